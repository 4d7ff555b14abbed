import { sql } from "drizzle-orm";
import type { ControlDb } from "../../db/client";
import { AppError } from "../../shared/errors";

export interface RateLimit {
  /** What is limited, e.g. "sign-in:ip". Part of the counter key. */
  name: string;
  /** Attempts allowed per window. */
  limit: number;
  windowSeconds: number;
}

/** The limits Nexus applies. Per-account and per-IP counters are separate, so one cannot exhaust the other. */
export const limits = {
  signInPerAccount: { name: "sign-in:account", limit: 10, windowSeconds: 15 * 60 },
  signInPerIp: { name: "sign-in:ip", limit: 50, windowSeconds: 15 * 60 },
  registrationPerIp: { name: "register:ip", limit: 5, windowSeconds: 60 * 60 },
  emailCheckPerIp: { name: "email-check:ip", limit: 10, windowSeconds: 15 * 60 },
  tokenPerAccount: { name: "token:account", limit: 20, windowSeconds: 15 * 60 },
  tokenPerIp: { name: "token:ip", limit: 100, windowSeconds: 15 * 60 },
  invitationsPerTenant: { name: "invitations:tenant", limit: 200, windowSeconds: 60 * 60 },
  secondFactorPerAccount: { name: "second-factor:account", limit: 10, windowSeconds: 15 * 60 },
  /** Verification links mailed for one account (address changes and resends): no mail bombing. */
  emailVerificationPerAccount: { name: "email-verification:account", limit: 5, windowSeconds: 60 * 60 },
  /** Verification links opened from one IP. */
  emailVerifyPerIp: { name: "email-verify:ip", limit: 30, windowSeconds: 15 * 60 },
} satisfies Record<string, RateLimit>;

/**
 * Counts one attempt against `limit` for `subject` (an IP, an email, a tenant id) in a fixed window, in one
 * atomic statement, and throws TOO_MANY_REQUESTS with Retry-After once the window's allowance is spent.
 */
export async function consumeRateLimit(
  control: ControlDb,
  limit: RateLimit,
  subject: string,
  now = Date.now(),
): Promise<void> {
  const key = `${limit.name}:${subject.toLowerCase()}`;
  const windowMs = limit.windowSeconds * 1000;
  const expiredBefore = now - windowMs;
  const rows = await control.all<{ count: number; window_started_at: number }>(sql`
    INSERT INTO rate_limits (key, window_started_at, count) VALUES (${key}, ${now}, 1)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN rate_limits.window_started_at <= ${expiredBefore} THEN 1 ELSE rate_limits.count + 1 END,
      window_started_at = CASE WHEN rate_limits.window_started_at <= ${expiredBefore} THEN ${now} ELSE rate_limits.window_started_at END
    RETURNING count, window_started_at`);
  const row = rows[0];
  if (row && row.count > limit.limit) {
    const retryAfterSeconds = Math.max(1, Math.ceil((row.window_started_at + windowMs - now) / 1000));
    throw new AppError("TOO_MANY_REQUESTS", "Too many attempts. Wait a little and try again.", {
      retryAfterSeconds,
    });
  }
}

/** Without a client address, a per-IP limit allows this share of its attempts, in one bucket for all. */
export const NO_ADDRESS_DIVISOR = 10;

/** The per-IP `limit` as it applies to requests without a client address: one shared, stricter bucket. */
export function noAddressLimit(limit: RateLimit): RateLimit {
  return {
    name: `${limit.name}:no-address`,
    limit: Math.max(1, Math.floor(limit.limit / NO_ADDRESS_DIVISOR)),
    windowSeconds: limit.windowSeconds,
  };
}

/**
 * Counts one attempt against a per-IP `limit` for the request's client address (`clientAddress`). A request
 * without one (not through Cloudflare's edge: a service binding, a test) is counted in one bucket shared by
 * every such request with a tenth of the allowance, never in a per-IP bucket of its own choosing; the
 * per-account limits the caller also applies are unchanged. See ADR 0010.
 */
export async function consumeIpRateLimit(
  control: ControlDb,
  limit: RateLimit,
  ip: string | null,
  now = Date.now(),
): Promise<void> {
  if (ip) return consumeRateLimit(control, limit, ip, now);
  return consumeRateLimit(control, noAddressLimit(limit), "shared", now);
}

/** Forgets the counter, e.g. the per-account sign-in counter after a successful sign-in. */
export async function resetRateLimit(control: ControlDb, limit: RateLimit, subject: string): Promise<void> {
  await control.run(sql`DELETE FROM rate_limits WHERE key = ${`${limit.name}:${subject.toLowerCase()}`}`);
}
