import { encodeBase32UpperCaseNoPadding } from "@oslojs/encoding";
import { eq } from "drizzle-orm";
import { auditBy, auditRow } from "../../../../db/audit";
import type { ControlDb } from "../../../../db/client";
import type { UserActor } from "../../../../db/context";
import { auditLog, recoveryCodes, users } from "../../../../db/control/schema";
import { AppError } from "../../../../shared/errors";
import type { TwoFactorStatus } from "../../../../shared/schemas/credentials";
import { accessCache } from "../../../auth/access-cache";
import { consumeRateLimit, limits, resetRateLimit } from "../../../auth/rate-limit";
import {
  acceptTotpCode,
  generateRecoveryCodes,
  generateTotpKey,
  recoveryCodeRows,
  remainingRecoveryCodes,
  sealTotpKey,
  totpKeyUri,
  totpQrSvg,
} from "../../../auth/totp";

async function loadUser(control: ControlDb, userId: string) {
  const user = await control.query.users.findFirst({ where: eq(users.id, userId) });
  if (!user) throw new AppError("UNAUTHORIZED", "Your session has ended. Sign in again.");
  return user;
}

function audit(actor: UserActor, action: string, now: Date, after?: unknown) {
  return auditRow(auditBy({ actor }, "user", actor.userId, { action, after }), now);
}

export async function twoFactorStatus(control: ControlDb, userId: string): Promise<TwoFactorStatus> {
  const user = await loadUser(control, userId);
  return {
    enabled: user.totpEnabledAt !== null,
    enabledAt: user.totpEnabledAt?.toISOString() ?? null,
    enrolmentPending: user.totpEnabledAt === null && user.totpSecret !== null,
    recoveryCodesRemaining: user.totpEnabledAt ? await remainingRecoveryCodes(control, userId) : 0,
  };
}

/**
 * Starts enrolment: a new secret, stored encrypted, not yet in force. Answers it for the authenticator app
 * (otpauth URI, QR code, and the secret for typing in). Starting again replaces an unconfirmed secret.
 */
export async function beginTwoFactor(
  control: ControlDb,
  params: { actor: UserActor; encryptionKey: string | undefined },
  now = new Date(),
): Promise<{ secret: string; uri: string; qrSvg: string }> {
  const user = await loadUser(control, params.actor.userId);
  if (user.totpEnabledAt) {
    throw new AppError(
      "CONFLICT",
      "Two-factor authentication is already on. Turn it off first to start over.",
    );
  }
  const key = generateTotpKey();
  const sealed = await sealTotpKey(params.encryptionKey, user.id, key);
  await control.batch([
    control
      .update(users)
      .set({ totpSecret: sealed, totpLastStep: null, updatedAt: now })
      .where(eq(users.id, user.id)),
    control.insert(auditLog).values(audit(params.actor, "two_factor.enrolment_started", now)),
  ]);
  const uri = totpKeyUri(user.email, key);
  return { secret: encodeBase32UpperCaseNoPadding(key), uri, qrSvg: totpQrSvg(uri) };
}

/** Finishes enrolment with a code from the app; turns two-factor on and answers 10 fresh recovery codes. */
export async function confirmTwoFactor(
  control: ControlDb,
  params: { actor: UserActor; encryptionKey: string | undefined; code: string },
  now = new Date(),
): Promise<{ recoveryCodes: string[] }> {
  const user = await loadUser(control, params.actor.userId);
  if (user.totpEnabledAt) throw new AppError("CONFLICT", "Two-factor authentication is already on.");
  if (!user.totpSecret) {
    throw new AppError("BAD_REQUEST", "Start setting up two-factor authentication first.", {
      reason: "two_factor_not_started",
    });
  }
  await consumeRateLimit(control, limits.secondFactorPerAccount, user.id);
  const accepted = await acceptTotpCode(control, params.encryptionKey, user, params.code, {
    enable: true,
    now,
  });
  if (!accepted) {
    await control.insert(auditLog).values(audit(params.actor, "two_factor.confirmation_failed", now));
    throw new AppError("BAD_REQUEST", "That code is not valid. Enter the current code from your app.", {
      fieldErrors: { code: ["That code is not valid. Enter the current code from your app."] },
    });
  }
  await resetRateLimit(control, limits.secondFactorPerAccount, user.id);
  const codes = generateRecoveryCodes();
  await control.batch([
    control.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id)),
    control.insert(recoveryCodes).values(recoveryCodeRows(user.id, codes, now)),
    control
      .insert(auditLog)
      .values(audit(params.actor, "two_factor.enabled", now, { recoveryCodes: codes.length })),
  ]);
  accessCache.forgetUser(user.id);
  return { recoveryCodes: codes };
}

/** Turns two-factor off: forgets the secret and the recovery codes. */
export async function disableTwoFactor(
  control: ControlDb,
  params: { actor: UserActor },
  now = new Date(),
): Promise<{ enabled: false }> {
  const user = await loadUser(control, params.actor.userId);
  if (!user.totpSecret && !user.totpEnabledAt) return { enabled: false };
  await control.batch([
    control
      .update(users)
      .set({ totpSecret: null, totpEnabledAt: null, totpLastStep: null, updatedAt: now })
      .where(eq(users.id, user.id)),
    control.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id)),
    control
      .insert(auditLog)
      .values(
        audit(
          params.actor,
          user.totpEnabledAt ? "two_factor.disabled" : "two_factor.enrolment_cancelled",
          now,
        ),
      ),
  ]);
  accessCache.forgetUser(user.id);
  return { enabled: false };
}

/** Replaces every recovery code (used or not) with 10 new ones. */
export async function regenerateRecoveryCodes(
  control: ControlDb,
  params: { actor: UserActor },
  now = new Date(),
): Promise<{ recoveryCodes: string[] }> {
  const user = await loadUser(control, params.actor.userId);
  if (!user.totpEnabledAt) {
    throw new AppError("BAD_REQUEST", "Two-factor authentication is not on.", { reason: "two_factor_off" });
  }
  const codes = generateRecoveryCodes();
  await control.batch([
    control.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id)),
    control.insert(recoveryCodes).values(recoveryCodeRows(user.id, codes, now)),
    control
      .insert(auditLog)
      .values(
        audit(params.actor, "two_factor.recovery_codes_regenerated", now, { recoveryCodes: codes.length }),
      ),
  ]);
  return { recoveryCodes: codes };
}
