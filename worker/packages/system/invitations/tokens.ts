import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { AppError } from "../../../../shared/errors";

/** An invitation link works for this long after it was (re)sent. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** 160 random bits, base32: the token in the invitation link. Only its hash is stored. */
export function generateInvitationToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

/** SHA-256 (hex) of a token: what `invitations.token_hash` holds and what a link is looked up by. */
export function invitationTokenHash(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/** Where invitation links point. Without PUBLIC_URL no link can be made, so nothing is written or sent. */
export function publicUrlOf(env: { PUBLIC_URL?: string }): string {
  const url = env.PUBLIC_URL?.trim().replace(/\/+$/, "");
  if (!url) {
    throw new AppError("UNAVAILABLE", "Invitations cannot be sent: Nexus has no PUBLIC_URL configured.");
  }
  return url;
}

/** The link in the email. */
export function invitationLink(publicUrl: string, token: string): string {
  return `${publicUrl}/invitations/${token}`;
}
