import type { Context } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";

export const SESSION_COOKIE = "nexus_session";

/** HttpOnly, Secure, SameSite=Lax, whole-site; expires with the session. */
export function setSessionCookie(c: Context, token: string, expiresAt: Date): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    secure: true,
    sameSite: "Lax",
    path: "/",
    expires: expiresAt,
  });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { httpOnly: true, secure: true, sameSite: "Lax", path: "/" });
}

/** The session token of a request: the cookie for browsers, `Authorization: Bearer` for programs. */
export function tokenFromHeaders(headers: Headers): { token: string; via: "cookie" | "bearer" } | null {
  const authorization = headers.get("authorization");
  if (authorization?.startsWith("Bearer ")) {
    const token = authorization.slice(7).trim();
    if (token) return { token, via: "bearer" };
  }
  const cookie = headers.get("cookie");
  if (!cookie) return null;
  for (const part of cookie.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === SESSION_COOKIE) {
      const token = rest.join("=");
      if (token) return { token, via: "cookie" };
    }
  }
  return null;
}
