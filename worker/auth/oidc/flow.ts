import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";
import { z } from "zod";
import type { ProviderName } from "./providers";

/**
 * What the browser keeps between the start of a sign-in and the provider's callback: the state, the PKCE
 * code verifier, the nonce, where to go afterwards, and why the flow began. Kept in one short-lived
 * HttpOnly cookie per provider, scoped to that provider's callback path.
 */
export const flowState = z.object({
  state: z.string().min(20).max(200),
  codeVerifier: z.string().min(43).max(128),
  nonce: z.string().min(20).max(200),
  next: z.string().max(2000),
  intent: z.enum(["signin", "register"]),
});
export type FlowState = z.infer<typeof flowState>;

/** Ten minutes to pick an account at the provider. */
export const FLOW_COOKIE_MAX_AGE_SECONDS = 10 * 60;

export function flowCookieName(provider: ProviderName): string {
  return `nexus_oauth_${provider}`;
}

export function flowCookiePath(provider: ProviderName): string {
  return `/auth/oauth/${provider}`;
}

export function encodeFlow(flow: FlowState): string {
  return encodeBase64urlNoPadding(new TextEncoder().encode(JSON.stringify(flow)));
}

export function decodeFlow(value: string | undefined): FlowState | null {
  if (!value || value.length > 4096) return null;
  try {
    const json = new TextDecoder().decode(decodeBase64urlIgnorePadding(value));
    const parsed = flowState.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** 32 random bytes, base64url: the state and the nonce. */
export function randomToken(): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return encodeBase64urlNoPadding(bytes);
}

/**
 * Where to send the browser after sign-in: only a path on this site ("/…", not "//host" or "/\host", no
 * control characters or whitespace); anything else becomes "/" so the flow cannot be an open redirect.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || next.length > 2000) return "/";
  if (!next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u0020\u007f\\]/.test(next)) return "/";
  const base = "https://nexus.invalid";
  try {
    const url = new URL(next, base);
    if (url.origin !== base) return "/";
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return "/";
  }
}

/** Compares two strings in constant time (the state, the nonce). */
export function sameString(a: string, b: string): boolean {
  const encoder = new TextEncoder();
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  return x.length === y.length && constantTimeEqual(x, y);
}
