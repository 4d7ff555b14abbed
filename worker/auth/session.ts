import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { and, eq, lt, or, sql } from "drizzle-orm";
import type { ControlDb } from "../../db/client";
import { memberships, sessions, tenants, users } from "../../db/control/schema";
import type { Role } from "../../shared/permissions";
import { accessCache } from "./access-cache";

/** Sessions end after this long without use… */
export const SESSION_INACTIVITY_MS = 8 * 60 * 60 * 1000;
/** …and after this long in any case. */
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;
/** lastUsedAt and the sliding expiry are written at most this often, so reads do not all become writes. */
const TOUCH_INTERVAL_MS = 5 * 60 * 1000;

/** 160 random bits, base32: what the client holds. */
export function generateSessionToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

/** What the database holds: the token's SHA-256. A leaked table cannot be replayed as cookies. */
export function sessionIdOf(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export interface SessionUser {
  id: string;
  email: string;
  name: string;
}

export interface SessionInfo {
  id: string;
  expiresAt: Date;
}

export interface TenantAccess {
  id: string;
  slug: string;
  name: string;
  kind: "district" | "root";
  status: (typeof tenants.$inferSelect)["status"];
  databaseName: string;
  databaseUrl: string | null;
  /** The caller's role there, or null when the caller is not a member. */
  role: Role | null;
}

export interface ResolvedAccess {
  user: SessionUser;
  session: SessionInfo;
  /** The tenant named by the request, when it named one that exists. */
  tenant: TenantAccess | null;
}

export async function createSession(
  control: ControlDb,
  userId: string,
  meta: { ip: string | null; userAgent: string | null },
  now = new Date(),
): Promise<{ token: string; session: SessionInfo }> {
  const token = generateSessionToken();
  const id = sessionIdOf(token);
  const expiresAt = new Date(now.getTime() + SESSION_INACTIVITY_MS);
  await control.insert(sessions).values({
    id,
    userId,
    createdAt: now,
    lastUsedAt: now,
    expiresAt,
    absoluteExpiresAt: new Date(now.getTime() + SESSION_ABSOLUTE_MS),
    ip: meta.ip,
    userAgent: meta.userAgent?.slice(0, 400) ?? null,
  });
  return { token, session: { id, expiresAt } };
}

/**
 * Resolves a token (and optionally the tenant a request names) in one query: the session, its user, and
 * the caller's membership in that tenant. Expired sessions and deactivated users resolve to null.
 */
export async function resolveAccess(
  control: ControlDb,
  token: string,
  tenantSlug: string | null,
  now = new Date(),
): Promise<ResolvedAccess | null> {
  const id = sessionIdOf(token);
  const rows = await control
    .select({
      session: sessions,
      user: { id: users.id, email: users.email, name: users.name, status: users.status },
      tenant: {
        id: tenants.id,
        slug: tenants.slug,
        name: tenants.name,
        kind: tenants.kind,
        status: tenants.status,
        databaseName: tenants.databaseName,
        databaseUrl: tenants.databaseUrl,
      },
      role: memberships.role,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(tenants, eq(tenants.slug, sql`${tenantSlug}`))
    .leftJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.tenantId, tenants.id)))
    .where(eq(sessions.id, id))
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  const { session, user } = row;
  const nowMs = now.getTime();
  if (nowMs >= session.expiresAt.getTime() || nowMs >= session.absoluteExpiresAt.getTime()) {
    await control.delete(sessions).where(eq(sessions.id, id));
    return null;
  }
  if (user.status !== "active") return null;

  let expiresAt = session.expiresAt;
  if (nowMs - session.lastUsedAt.getTime() >= TOUCH_INTERVAL_MS) {
    expiresAt = new Date(Math.min(nowMs + SESSION_INACTIVITY_MS, session.absoluteExpiresAt.getTime()));
    await control.update(sessions).set({ lastUsedAt: now, expiresAt }).where(eq(sessions.id, id));
  }
  return {
    user: { id: user.id, email: user.email, name: user.name },
    session: { id, expiresAt },
    tenant: row.tenant ? { ...row.tenant, role: row.role ?? null } : null,
  };
}

export async function invalidateSession(control: ControlDb, token: string): Promise<void> {
  const id = sessionIdOf(token);
  await control.delete(sessions).where(eq(sessions.id, id));
  accessCache.forgetSession(id);
}

/** Deletes every session past its inactivity or absolute expiry; returns how many. */
export async function deleteExpiredSessions(control: ControlDb, now = new Date()): Promise<number> {
  const result = await control
    .delete(sessions)
    .where(or(lt(sessions.expiresAt, now), lt(sessions.absoluteExpiresAt, now)));
  return result.rowsAffected;
}
