import { SELF } from "cloudflare:test";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP } from "@oslojs/otp";
import { eq } from "drizzle-orm";
import { sessions, users } from "../../db/control/schema";
import { TENANT_HEADER } from "../../shared/transport";
import { hashPassword } from "../../worker/auth/password";
import { sessionIdOf } from "../../worker/auth/session";
import { control, member, ORIGIN } from "./support";

/** Every helper request comes from an address of its own test, so rate-limit counters never collide. */
export function randomIp(): string {
  const b = crypto.getRandomValues(new Uint8Array(6));
  return `2001:db8:${[...b].map((x) => x.toString(16)).join(":")}::1`;
}

export const PASSWORD = "Granite-Harbor-Lantern-42";

/** A tenant, its member (with `role`) holding a password, and a session token from the fixture. */
export async function account(role: Parameters<typeof member>[0] = "owner") {
  const m = await member(role);
  await control()
    .update(users)
    .set({ passwordHash: await hashPassword(PASSWORD) })
    .where(eq(users.id, m.user.id));
  return { ...m, email: m.user.email, password: PASSWORD, ip: randomIp() };
}

/**
 * Marks the session behind `token` as having entered a credential `minutesAgo` minutes ago (0: now), as
 * signing in or re-authenticating does. For tests about something else that a sensitive act needs.
 */
export async function markReauthenticated(token: string, minutesAgo = 0) {
  await control()
    .update(sessions)
    .set({ reauthenticatedAt: new Date(Date.now() - minutesAgo * 60_000) })
    .where(eq(sessions.id, sessionIdOf(token)));
}

/** The session token in a response's Set-Cookie, if any. */
export function sessionCookieOf(response: Response): string | null {
  const cookie = response.headers.get("set-cookie") ?? "";
  const match = /nexus_session=([^;]*)/.exec(cookie);
  return match?.[1] ? match[1] : null;
}

// biome-ignore lint/suspicious/noExplicitAny: assertions read whatever shape each route answers
type Json = any;

export async function postJson(
  path: string,
  body: unknown,
  options: { token?: string; ip?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = {
    origin: ORIGIN,
    "content-type": "application/json",
    "cf-connecting-ip": options.ip ?? randomIp(),
    ...options.headers,
  };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await SELF.fetch(`${ORIGIN}${path}`, {
    method: "POST",
    headers,
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Json, response };
}

export async function signIn(
  email: string,
  password: string,
  options: { ip?: string; userAgent?: string } = {},
) {
  const result = await postJson(
    "/auth/sign-in",
    { email, password },
    { ip: options.ip, headers: options.userAgent ? { "user-agent": options.userAgent } : {} },
  );
  return { ...result, token: sessionCookieOf(result.response) };
}

/**
 * A tRPC mutation through the Worker, as a bearer client. Sent as a batch of one (as the client's batch
 * link does), so a procedure without input gets none.
 */
export async function trpcMutation(
  path: string,
  input: unknown,
  options: { token?: string; tenant?: string } = {},
) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.tenant) headers[TENANT_HEADER] = options.tenant;
  const response = await SELF.fetch(`${ORIGIN}/trpc/${path}?batch=1`, {
    method: "POST",
    headers,
    body: JSON.stringify(input === undefined ? {} : { 0: input }),
  });
  const [body] = (await response.json()) as Json[];
  return { status: response.status, body: body as Json, headers: response.headers };
}

/** POST /auth/token, form-encoded (the OAuth default) or as JSON. */
export async function tokenRequest(
  params: Record<string, string>,
  options: { json?: boolean; ip?: string } = {},
) {
  const response = await SELF.fetch(`${ORIGIN}/auth/token`, {
    method: "POST",
    headers: {
      "content-type": options.json ? "application/json" : "application/x-www-form-urlencoded",
      "cf-connecting-ip": options.ip ?? randomIp(),
    },
    body: options.json ? JSON.stringify(params) : new URLSearchParams(params).toString(),
  });
  return { status: response.status, body: (await response.json()) as Json, headers: response.headers };
}

/** The code an authenticator app shows for `secret` (base32) at the current step plus `offset`. */
export function totpCode(secret: string, offset = 0): string {
  const step = Math.floor(Date.now() / 30_000) + offset;
  return generateHOTP(decodeBase32IgnorePadding(secret), BigInt(step), 6);
}

/**
 * Turns two-factor on for the account behind `token` (a session that re-authenticates with `password`),
 * confirming with the code of the current step. Answers the secret, that code and the recovery codes.
 */
export async function enableTwoFactor(token: string, password: string) {
  const reauth = await trpcMutation("system.profile.reauthenticate", { password }, { token });
  if (reauth.status !== 200) throw new Error(`reauthenticate: ${JSON.stringify(reauth.body)}`);
  const begin = await trpcMutation("system.profile.twoFactor.begin", undefined, { token });
  if (begin.status !== 200) throw new Error(`begin: ${JSON.stringify(begin.body)}`);
  const { secret } = begin.body.result.data as { secret: string };
  const confirmedCode = totpCode(secret);
  const confirm = await trpcMutation("system.profile.twoFactor.confirm", { code: confirmedCode }, { token });
  if (confirm.status !== 200) throw new Error(`confirm: ${JSON.stringify(confirm.body)}`);
  return { secret, confirmedCode, recoveryCodes: confirm.body.result.data.recoveryCodes as string[] };
}
