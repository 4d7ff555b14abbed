import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decoyHash, hashPassword, verifyPassword } from "../../worker/auth/password";
import { generateSessionToken, sessionIdOf } from "../../worker/auth/session";

describe("passwords", () => {
  it("verify the password they were made from, and no other", async () => {
    const stored = await hashPassword("Falcon-Ridge-1987");
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword(stored, "Falcon-Ridge-1987")).toBe(true);
    expect(await verifyPassword(stored, "falcon-ridge-1987")).toBe(false);
  });

  it("salt every hash", async () => {
    expect(await hashPassword("same")).not.toBe(await hashPassword("same"));
  });

  it("never verify against the decoy or a malformed hash", async () => {
    expect(await verifyPassword(decoyHash, "")).toBe(false);
    expect(await verifyPassword("plain-text", "plain-text")).toBe(false);
  });
});

describe("session tokens", () => {
  it("carry 160 random bits and are stored as their SHA-256", () => {
    const tokens = new Set(Array.from({ length: 200 }, generateSessionToken));
    expect(tokens.size).toBe(200);
    const token = [...tokens][0]!;
    expect(token).toMatch(/^[a-z2-7]{32}$/);
    for (const each of [...tokens].slice(0, 20)) {
      expect(sessionIdOf(each)).toBe(createHash("sha256").update(each, "utf8").digest("hex"));
    }
    expect(new Set([...tokens].map(sessionIdOf)).size).toBe(200);
  });
});
