import { createHash } from "node:crypto";
import { generateHOTP } from "@oslojs/otp";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { recoveryCodes, users } from "../../db/control/schema";
import { decryptSecret, encryptSecret } from "../../worker/auth/crypto";
import {
  acceptTotpCode,
  consumeRecoveryCode,
  generateRecoveryCodes,
  generateTotpKey,
  matchTotpStep,
  recoveryCodeRows,
  sealTotpKey,
  totpStepAt,
} from "../../worker/auth/totp";
import { freshControl } from "../support/databases";
import { createUser } from "../support/fixtures";

const encryptionKey = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64");
const codeAt = (key: Uint8Array, step: number) => generateHOTP(key, BigInt(step), 6);

async function enrolled() {
  const { db } = await freshControl();
  const user = await createUser(db);
  const key = generateTotpKey();
  const totpSecret = await sealTotpKey(encryptionKey, user.id, key);
  await db.update(users).set({ totpSecret }).where(eq(users.id, user.id));
  const load = async () => (await db.query.users.findFirst({ where: eq(users.id, user.id) }))!;
  return { db, user, key, load };
}

describe("TOTP codes", () => {
  it("match one step either side of now, and no further", () => {
    const key = generateTotpKey();
    const now = new Date("2026-09-01T08:00:10Z");
    const step = totpStepAt(now);
    expect(matchTotpStep(key, codeAt(key, step), null, now)).toBe(step);
    expect(matchTotpStep(key, codeAt(key, step - 1), null, now)).toBe(step - 1);
    expect(matchTotpStep(key, codeAt(key, step + 1), null, now)).toBe(step + 1);
    expect(matchTotpStep(key, codeAt(key, step - 2), null, now)).toBeNull();
    expect(matchTotpStep(key, codeAt(key, step + 2), null, now)).toBeNull();
  });

  it("are accepted once: a replay of the same code fails", async () => {
    const { db, key, load } = await enrolled();
    const now = new Date();
    const code = codeAt(key, totpStepAt(now));
    expect(await acceptTotpCode(db, encryptionKey, await load(), code, { now })).toBe(true);
    expect(await acceptTotpCode(db, encryptionKey, await load(), code, { now })).toBe(false);
    expect((await load()).totpLastStep).toBe(totpStepAt(now));
  });

  it("never accept a step at or before the last one accepted", async () => {
    const { db, key, load } = await enrolled();
    const now = new Date();
    const step = totpStepAt(now);
    expect(await acceptTotpCode(db, encryptionKey, await load(), codeAt(key, step + 1), { now })).toBe(true);
    expect(await acceptTotpCode(db, encryptionKey, await load(), codeAt(key, step), { now })).toBe(false);
  });

  it("let only one of two simultaneous uses of a code through", async () => {
    const { db, key, load } = await enrolled();
    const now = new Date();
    const user = await load();
    const code = codeAt(key, totpStepAt(now));
    const results = await Promise.all(
      Array.from({ length: 5 }, () => acceptTotpCode(db, encryptionKey, user, code, { now })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("turn two-factor on when confirming enrolment", async () => {
    const { db, key, load } = await enrolled();
    const now = new Date();
    expect(
      await acceptTotpCode(db, encryptionKey, await load(), codeAt(key, totpStepAt(now)), {
        now,
        enable: true,
      }),
    ).toBe(true);
    expect((await load()).totpEnabledAt?.getTime()).toBe(now.getTime());
  });
});

describe("TOTP secrets at rest", () => {
  it("are encrypted, and decrypt only for the user they were sealed for", async () => {
    const secret = crypto.getRandomValues(new Uint8Array(20));
    const sealed = await encryptSecret(encryptionKey, secret, "totp:user-a");
    expect(sealed).toMatch(/^v1\./);
    expect(await decryptSecret(encryptionKey, sealed, "totp:user-a")).toEqual(secret);
    await expect(decryptSecret(encryptionKey, sealed, "totp:user-b")).rejects.toThrow();
    const otherKey = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64");
    await expect(decryptSecret(otherKey, sealed, "totp:user-a")).rejects.toThrow();
    await expect(encryptSecret(undefined, secret, "x")).rejects.toThrow(/ENCRYPTION_KEY/);
  });
});

describe("recovery codes", () => {
  it("are ten distinct codes of 60 random bits, each usable once, by its own user only", async () => {
    const { db, user } = await freshControl().then(async ({ db }) => ({ db, user: await createUser(db) }));
    const other = await createUser(db);
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);
    await db.insert(recoveryCodes).values(recoveryCodeRows(user.id, codes));
    // Stored as SHA-256 hashes of the normalised code: no row holds any code, as printed or without dashes.
    const stored = await db.select().from(recoveryCodes);
    const text = JSON.stringify(stored);
    for (const code of codes) {
      expect(text).not.toContain(code);
      expect(text).not.toContain(code.replaceAll("-", ""));
    }
    const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");
    expect(stored.map((row) => row.codeHash).sort()).toEqual(
      codes.map((code) => sha256(`recovery:${code.replaceAll("-", "")}`)).sort(),
    );
    expect(new Set(stored.map((row) => row.userId))).toEqual(new Set([user.id]));

    expect(await consumeRecoveryCode(db, other.id, codes[0]!)).toBe(false);
    expect(await consumeRecoveryCode(db, user.id, ` ${codes[0]!.toUpperCase().replaceAll("-", "")} `)).toBe(
      true,
    );
    expect(await consumeRecoveryCode(db, user.id, codes[0]!)).toBe(false);
    expect(await consumeRecoveryCode(db, user.id, codes[1]!)).toBe(true);
  });
});
