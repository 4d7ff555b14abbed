import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";
import { z } from "zod";
import { AppError } from "../../shared/errors";
import { derivedHmacKey } from "./crypto";

/** A verification link works for this long after it was sent. */
export const EMAIL_VERIFICATION_TTL_MS = 48 * 60 * 60 * 1000;

/** HKDF `info` of the signing key: a key for this and nothing else. */
const PURPOSE = "nexus/email-verification/v1";
const PREFIX = "ev1.";

/** What a verification token says: this user may prove they receive mail at this address until then. */
export interface EmailVerificationClaims {
  userId: string;
  email: string;
  expiresAt: Date;
}

export type EmailVerificationCheck =
  | { ok: true; claims: EmailVerificationClaims }
  | { ok: false; reason: "invalid" | "expired" };

const claimsShape = z.object({
  u: z.string().min(1).max(64),
  e: z.string().min(3).max(254),
  x: z.number().int().positive(),
});

const utf8 = (value: string) => new TextEncoder().encode(value);

async function signingKey(secret: string | undefined): Promise<CryptoKey> {
  try {
    return await derivedHmacKey(secret, PURPOSE);
  } catch (cause) {
    throw new AppError(
      "UNAVAILABLE",
      "Email addresses cannot be verified right now: Nexus has no valid ENCRYPTION_KEY configured.",
      {},
      { cause },
    );
  }
}

/**
 * A stateless token for the link that verifies `email` for `userId`: `ev1.<claims>.<HMAC-SHA-256>`, both
 * parts base64url. The claims (user id, address, expiry in seconds) are readable, not secret; the 256-bit
 * tag under a key derived from ENCRYPTION_KEY makes them unforgeable. Nothing is stored.
 */
export async function signEmailVerificationToken(
  secret: string | undefined,
  subject: { userId: string; email: string },
  now = new Date(),
): Promise<{ token: string; expiresAt: Date }> {
  const key = await signingKey(secret);
  const expiresAt = new Date(Math.floor((now.getTime() + EMAIL_VERIFICATION_TTL_MS) / 1000) * 1000);
  const claims = { u: subject.userId, e: subject.email, x: expiresAt.getTime() / 1000 };
  const payload = encodeBase64urlNoPadding(utf8(JSON.stringify(claims)));
  const tag = await crypto.subtle.sign("HMAC", key, utf8(`${PREFIX}${payload}`));
  return { token: `${PREFIX}${payload}.${encodeBase64urlNoPadding(new Uint8Array(tag))}`, expiresAt };
}

/**
 * Checks a token's tag (in constant time, by Web Crypto) and then its expiry. Never throws for what a
 * client sends: anything malformed, forged, altered or signed under another key is `invalid`.
 */
export async function readEmailVerificationToken(
  secret: string | undefined,
  token: string,
  now = new Date(),
): Promise<EmailVerificationCheck> {
  const key = await signingKey(secret);
  const invalid = { ok: false, reason: "invalid" } as const;
  if (!token.startsWith(PREFIX)) return invalid;
  const parts = token.slice(PREFIX.length).split(".");
  if (parts.length !== 2 || !parts[0] || !parts[1]) return invalid;
  const [payload, tagText] = parts as [string, string];
  let tag: Uint8Array<ArrayBuffer>;
  let claimsJson: string;
  try {
    tag = new Uint8Array(decodeBase64urlIgnorePadding(tagText));
    claimsJson = new TextDecoder("utf-8", { fatal: true }).decode(decodeBase64urlIgnorePadding(payload));
  } catch {
    return invalid;
  }
  // Only the canonical spelling of the tag: no two strings are the same token.
  if (encodeBase64urlNoPadding(tag) !== tagText) return invalid;
  if (!(await crypto.subtle.verify("HMAC", key, tag, utf8(`${PREFIX}${payload}`)))) return invalid;
  let parsed: z.infer<typeof claimsShape>;
  try {
    parsed = claimsShape.parse(JSON.parse(claimsJson));
  } catch {
    return invalid;
  }
  const expiresAt = new Date(parsed.x * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, claims: { userId: parsed.u, email: parsed.e, expiresAt } };
}

/** The link in the email. The token rides in the fragment, which browsers never send to a server. */
export function emailVerificationLink(publicUrl: string, token: string): string {
  return `${publicUrl}/verify-email#token=${token}`;
}
