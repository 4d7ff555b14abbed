import { describe, expect, it } from "vitest";
import { AppError } from "../../shared/errors";
import {
  EMAIL_VERIFICATION_TTL_MS,
  emailVerificationLink,
  readEmailVerificationToken,
  signEmailVerificationToken,
} from "../../worker/auth/email-verification-token";

const newKey = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64");
const subject = { userId: "user-1", email: "ada@example.org" };

describe("email verification tokens", () => {
  it("carry the user, the address and a 48-hour expiry, and read back under the same key", async () => {
    const key = newKey();
    const now = new Date("2026-03-01T12:00:00.500Z");
    const { token, expiresAt } = await signEmailVerificationToken(key, subject, now);
    expect(token).toMatch(/^ev1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(expiresAt.getTime()).toBe(Date.parse("2026-03-03T12:00:00.000Z"));
    expect(expiresAt.getTime() - now.getTime()).toBeLessThanOrEqual(EMAIL_VERIFICATION_TTL_MS);
    expect(await readEmailVerificationToken(key, token, now)).toEqual({
      ok: true,
      claims: { ...subject, expiresAt },
    });
  });

  it("expire at the stated time, not before", async () => {
    const key = newKey();
    const now = new Date("2026-03-01T12:00:00Z");
    const { token, expiresAt } = await signEmailVerificationToken(key, subject, now);
    const justBefore = new Date(expiresAt.getTime() - 1);
    expect((await readEmailVerificationToken(key, token, justBefore)).ok).toBe(true);
    expect(await readEmailVerificationToken(key, token, expiresAt)).toEqual({ ok: false, reason: "expired" });
  });

  it("are invalid when any character changes, under another key, or malformed, and never throw", async () => {
    const key = newKey();
    const { token } = await signEmailVerificationToken(key, subject);
    const altered = new Set<string>();
    for (let i = 4; i < token.length; i++) {
      if (token[i] === ".") continue;
      altered.add(token.slice(0, i) + (token[i] === "a" ? "b" : "a") + token.slice(i + 1));
    }
    const others = [
      ...altered,
      token.toUpperCase(),
      token.replace(/^ev1\./, "ev2."),
      `${token}.extra`,
      token.slice(0, token.lastIndexOf(".")),
      "",
      "ev1.",
      "ev1..",
      "ev1.!!!.???",
      `ev1.${Buffer.from("not json").toString("base64url")}.${"A".repeat(43)}`,
    ];
    for (const candidate of others) {
      expect(await readEmailVerificationToken(key, candidate)).toEqual({ ok: false, reason: "invalid" });
    }
    expect(await readEmailVerificationToken(newKey(), token)).toEqual({ ok: false, reason: "invalid" });
  });

  it("answer UNAVAILABLE, not a crash, when the Worker has no valid key", async () => {
    for (const key of [undefined, "", Buffer.from("short").toString("base64")]) {
      const error = await signEmailVerificationToken(key, subject).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("UNAVAILABLE");
    }
  });

  it("ride in the link's fragment, so no server ever logs them", () => {
    expect(emailVerificationLink("https://nexus.example.org", "ev1.x.y")).toBe(
      "https://nexus.example.org/verify-email#token=ev1.x.y",
    );
  });
});
