import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import { createTOTPKeyURI, verifyHOTP } from "@oslojs/otp";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { renderSVG } from "uqr";
import type { ControlDb } from "../../db/client";
import { recoveryCodes, users } from "../../db/control/schema";
import { newId } from "../../shared/ids";
import { RECOVERY_CODE_COUNT } from "../../shared/schemas/credentials";
import { decryptSecret, encryptSecret, randomBytes, sha256Hex } from "./crypto";

/**
 * TOTP second factor (RFC 6238 through @oslojs/otp): 30-second steps, 6 digits, SHA-1 (what every
 * authenticator app supports). A code is accepted one step either side of now, and never for a step at or
 * before the last one accepted, so an observed code cannot be replayed.
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
const ISSUER = "Nexus";

export function totpStepAt(now: Date): number {
  return Math.floor(now.getTime() / (TOTP_PERIOD_SECONDS * 1000));
}

/** A new secret: 20 random bytes (160 bits, RFC 4226's recommendation). */
export function generateTotpKey(): Uint8Array {
  return randomBytes(20);
}

/** The secret as stored in users.totp_secret: encrypted, bound to the user. */
export function sealTotpKey(encryptionKey: string | undefined, userId: string, key: Uint8Array) {
  return encryptSecret(encryptionKey, key, `totp:${userId}`);
}

export function openTotpKey(encryptionKey: string | undefined, userId: string, sealed: string) {
  return decryptSecret(encryptionKey, sealed, `totp:${userId}`);
}

export function totpKeyUri(accountName: string, key: Uint8Array): string {
  return createTOTPKeyURI(ISSUER, accountName, key, TOTP_PERIOD_SECONDS, TOTP_DIGITS);
}

/** The URI as a QR code (SVG markup). */
export function totpQrSvg(uri: string): string {
  return renderSVG(uri, { ecc: "M", border: 2 });
}

/**
 * The step `code` belongs to, among the steps one either side of `now` that come after `lastStep`; null
 * when it matches none. Each candidate is compared in constant time.
 */
export function matchTotpStep(
  key: Uint8Array,
  code: string,
  lastStep: number | null,
  now: Date,
): number | null {
  const current = totpStepAt(now);
  let matched: number | null = null;
  for (let step = current - 1; step <= current + 1; step++) {
    if (lastStep !== null && step <= lastStep) continue;
    if (verifyHOTP(key, BigInt(step), TOTP_DIGITS, code) && matched === null) matched = step;
  }
  return matched;
}

export interface TotpUser {
  id: string;
  totpSecret: string | null;
  totpLastStep: number | null;
}

/**
 * Checks a code against the user's secret and records its step, atomically: of two requests carrying the
 * same code only one succeeds. `enable` also turns two-factor on in the same statement (enrolment).
 */
export async function acceptTotpCode(
  control: ControlDb,
  encryptionKey: string | undefined,
  user: TotpUser,
  code: string,
  options: { enable?: boolean; now?: Date } = {},
): Promise<boolean> {
  if (!user.totpSecret) return false;
  const now = options.now ?? new Date();
  const key = await openTotpKey(encryptionKey, user.id, user.totpSecret);
  const step = matchTotpStep(key, code, user.totpLastStep, now);
  if (step === null) return false;
  const result = await control
    .update(users)
    .set({
      totpLastStep: step,
      ...(options.enable ? { totpEnabledAt: now, updatedAt: now } : {}),
    })
    .where(
      and(
        eq(users.id, user.id),
        eq(users.totpSecret, user.totpSecret),
        or(isNull(users.totpLastStep), lt(users.totpLastStep, step)),
      ),
    );
  return result.rowsAffected === 1;
}

// ── Recovery codes ──────────────────────────────────────────────────────────────────────────────────────

/** 60 random bits each, printed as `xxxx-xxxx-xxxx`. */
export function generateRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const raw = encodeBase32LowerCaseNoPadding(randomBytes(8)).slice(0, 12);
    return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8, 12)}`;
  });
}

/** Case, spaces and dashes do not matter. */
export function recoveryCodeHash(code: string): string {
  return sha256Hex(`recovery:${code.replace(/[\s-]+/g, "").toLowerCase()}`);
}

/** Rows replacing a user's recovery codes (insert after deleting the old ones, in one batch). */
export function recoveryCodeRows(userId: string, codes: string[], now = new Date()) {
  return codes.map((code) => ({
    id: newId(),
    userId,
    codeHash: recoveryCodeHash(code),
    usedAt: null,
    createdAt: now,
  }));
}

/** Uses up one recovery code; false when it is not one of the user's, or was used already. */
export async function consumeRecoveryCode(
  control: ControlDb,
  userId: string,
  code: string,
  now = new Date(),
): Promise<boolean> {
  const result = await control
    .update(recoveryCodes)
    .set({ usedAt: now })
    .where(
      and(
        eq(recoveryCodes.codeHash, recoveryCodeHash(code)),
        eq(recoveryCodes.userId, userId),
        isNull(recoveryCodes.usedAt),
      ),
    );
  return result.rowsAffected === 1;
}

export async function remainingRecoveryCodes(control: ControlDb, userId: string): Promise<number> {
  const [row] = await control
    .select({ n: sql<number>`count(*)` })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  return Number(row?.n ?? 0);
}

/**
 * The second factor a person offers at sign-in or to the token endpoint: a TOTP code, or (sign-in only) a
 * recovery code. Records the accepted step or uses up the code.
 */
export async function verifySecondFactor(
  control: ControlDb,
  encryptionKey: string | undefined,
  user: TotpUser,
  offered: { code?: string; recoveryCode?: string },
  now = new Date(),
): Promise<"code" | "recovery_code" | null> {
  if (offered.code !== undefined) {
    return (await acceptTotpCode(control, encryptionKey, user, offered.code, { now })) ? "code" : null;
  }
  if (offered.recoveryCode !== undefined) {
    return (await consumeRecoveryCode(control, user.id, offered.recoveryCode, now)) ? "recovery_code" : null;
  }
  return null;
}
