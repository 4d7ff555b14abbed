import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { and, eq, isNull, lt, ne, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { ControlDb } from "../../db/client";
import { memberships, sessions, tenants, tokenFamilies, users } from "../../db/control/schema";
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
  twoFactorEnabled: boolean;
}

export interface SessionInfo {
  /** The session id, or the id of the token the caller presented. */
  id: string;
  /** What the caller presented: a browser/API session, an OAuth-style access token, or a personal access token. */
  kind: "session" | "access_token" | "personal_access_token";
  expiresAt: Date;
  lastUsedAt: Date;
  /** When a credential was last re-entered in this session (sessions only). */
  reauthenticatedAt: Date | null;
  /** Package permissions the credential is limited to (PAT scopes); null means the role decides alone. */
  scopes: ReadonlySet<string> | null;
  /** A credential bound to one organization (PATs) works only there. */
  tenantId: string | null;
}

export interface TenantAccess {
  id: string;
  slug: string;
  name: string;
  kind: "district" | "root";
  status: (typeof tenants.$inferSelect)["status"];
  databaseName: string;
  databaseUrl: string | null;
  twoFactorRequired: boolean;
  sessionLifetimeMinutes: number;
  /** The caller's role there, or null when the caller is not an active member. */
  role: Role | null;
  /** True when the role comes from administering the root ("Global") organization, not from a membership. */
  viaRoot: boolean;
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
  return {
    token,
    session: {
      id,
      kind: "session",
      expiresAt,
      lastUsedAt: now,
      reauthenticatedAt: null,
      scopes: null,
      tenantId: null,
    },
  };
}

const rootTenants = alias(tenants, "root_tenant");
const rootMemberships = alias(memberships, "root_membership");

/** The columns every credential kind resolves: the user, the named tenant, and the caller's roles. */
export function accessColumns() {
  return {
    user: {
      id: users.id,
      email: users.email,
      name: users.name,
      status: users.status,
      deletedAt: users.deletedAt,
      totpEnabledAt: users.totpEnabledAt,
    },
    tenant: {
      id: tenants.id,
      slug: tenants.slug,
      name: tenants.name,
      kind: tenants.kind,
      status: tenants.status,
      databaseName: tenants.databaseName,
      databaseUrl: tenants.databaseUrl,
      twoFactorRequired: tenants.twoFactorRequired,
      sessionLifetimeMinutes: tenants.sessionLifetimeMinutes,
    },
    role: memberships.role,
    membershipStatus: memberships.status,
    membershipDeletedAt: memberships.deletedAt,
    rootRole: rootMemberships.role,
  };
}

/**
 * Joins, onto a query that has `users` in it, the tenant named by `tenantSlug`, the user's membership there,
 * and their membership in the root organization (whose administrators administer every organization).
 */
export function joinAccess<Q extends { leftJoin: (...args: never[]) => unknown }>(
  query: Q,
  tenantSlug: string | null,
) {
  return (query as unknown as ReturnType<typeof baseAccessQuery>)
    .leftJoin(tenants, eq(tenants.slug, sql`${tenantSlug}`))
    .leftJoin(
      memberships,
      and(
        eq(memberships.userId, users.id),
        eq(memberships.tenantId, tenants.id),
        eq(memberships.status, "active"),
        isNull(memberships.deletedAt),
      ),
    )
    .leftJoin(rootTenants, and(eq(rootTenants.kind, "root"), eq(rootTenants.status, "ready")))
    .leftJoin(
      rootMemberships,
      and(
        eq(rootMemberships.userId, users.id),
        eq(rootMemberships.tenantId, rootTenants.id),
        eq(rootMemberships.status, "active"),
        isNull(rootMemberships.deletedAt),
      ),
    );
}

function baseAccessQuery(control: ControlDb) {
  return control.select(accessColumns()).from(users);
}

type AccessRow = {
  user: {
    id: string;
    email: string;
    name: string;
    status: "active" | "deactivated";
    deletedAt: Date | null;
    totpEnabledAt: Date | null;
  };
  tenant: Omit<TenantAccess, "role" | "viaRoot"> | null;
  role: Role | null;
  rootRole: Role | null;
};

/** Turns a joined row into the caller's user and tenant access; null when the user may not act at all. */
export function accessFromRow(row: AccessRow): { user: SessionUser; tenant: TenantAccess | null } | null {
  const { user } = row;
  if (user.status !== "active" || user.deletedAt) return null;
  let tenant: TenantAccess | null = null;
  if (row.tenant) {
    const rootAdmin = row.rootRole === "owner" || row.rootRole === "admin";
    const role: Role | null = row.role ?? (rootAdmin ? "admin" : null);
    tenant = { ...row.tenant, role, viaRoot: !row.role && rootAdmin };
  }
  return {
    user: { id: user.id, email: user.email, name: user.name, twoFactorEnabled: user.totpEnabledAt !== null },
    tenant,
  };
}

/**
 * Resolves a session token (and optionally the tenant a request names) in one query: the session, its
 * user, and the caller's role in that tenant (from a membership, or from administering the root
 * organization). Expired sessions, sessions still owing a second factor, and deactivated or deleted users
 * resolve to null.
 */
export async function resolveAccess(
  control: ControlDb,
  token: string,
  tenantSlug: string | null,
  now = new Date(),
): Promise<ResolvedAccess | null> {
  const id = sessionIdOf(token);
  const rows = await joinAccess(
    control
      .select({ session: sessions, ...accessColumns() })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId)),
    tenantSlug,
  )
    .where(eq(sessions.id, id))
    .limit(1);
  const row = rows[0] as (AccessRow & { session: typeof sessions.$inferSelect }) | undefined;
  if (!row) return null;
  const { session } = row;
  const nowMs = now.getTime();
  if (nowMs >= session.expiresAt.getTime() || nowMs >= session.absoluteExpiresAt.getTime()) {
    await control.delete(sessions).where(eq(sessions.id, id));
    return null;
  }
  if (session.stage !== "active") return null;
  const resolved = accessFromRow(row);
  if (!resolved) return null;

  let expiresAt = session.expiresAt;
  if (nowMs - session.lastUsedAt.getTime() >= TOUCH_INTERVAL_MS) {
    expiresAt = new Date(Math.min(nowMs + SESSION_INACTIVITY_MS, session.absoluteExpiresAt.getTime()));
    await control.update(sessions).set({ lastUsedAt: now, expiresAt }).where(eq(sessions.id, id));
  }
  return {
    user: resolved.user,
    session: {
      id,
      kind: "session",
      expiresAt,
      // The use before this one (as last written): what organization session lifetimes are measured from.
      lastUsedAt: session.lastUsedAt,
      reauthenticatedAt: session.reauthenticatedAt,
      scopes: null,
      tenantId: null,
    },
    tenant: resolved.tenant,
  };
}

export async function invalidateSession(control: ControlDb, token: string): Promise<void> {
  const id = sessionIdOf(token);
  await control.delete(sessions).where(eq(sessions.id, id));
  accessCache.forgetSession(id);
}

/**
 * Ends every session of a user (optionally all but one) and revokes their token families: used on password
 * change, deactivation, role change and deletion. Evicts them from this isolate's access cache at once.
 */
export async function endUserSessions(
  control: ControlDb,
  userId: string,
  options: { exceptSessionId?: string; reason: string },
): Promise<{ sessions: number }> {
  const [deleted] = await control.batch([
    control
      .delete(sessions)
      .where(
        options.exceptSessionId
          ? and(eq(sessions.userId, userId), ne(sessions.id, options.exceptSessionId))
          : eq(sessions.userId, userId),
      ),
    control
      .update(tokenFamilies)
      .set({ revokedAt: new Date(), revokedReason: options.reason })
      .where(and(eq(tokenFamilies.userId, userId), isNull(tokenFamilies.revokedAt))),
  ]);
  accessCache.forgetUser(userId);
  return { sessions: deleted.rowsAffected };
}

/** Deletes every session past its inactivity or absolute expiry; returns how many. */
export async function deleteExpiredSessions(control: ControlDb, now = new Date()): Promise<number> {
  const result = await control
    .delete(sessions)
    .where(or(lt(sessions.expiresAt, now), lt(sessions.absoluteExpiresAt, now)));
  return result.rowsAffected;
}

/** A session waiting for its second factor lives this long, from the password step, whatever happens. */
export const PENDING_SECOND_FACTOR_MS = 10 * 60 * 1000;

/**
 * A new session's row and the token for it, to insert in one batch with what goes with it (the audit row,
 * the removal of a pending session). `reauthenticated` marks the moment of sign-in as a fresh entry of
 * credentials; `pending` makes a session that owes its second factor and ends within 10 minutes.
 */
export function newSessionValues(
  userId: string,
  meta: { ip: string | null; userAgent: string | null },
  options: { pending?: boolean; reauthenticated?: boolean } = {},
  now = new Date(),
) {
  const token = generateSessionToken();
  const id = sessionIdOf(token);
  const nowMs = now.getTime();
  const absoluteExpiresAt = new Date(
    nowMs + (options.pending ? PENDING_SECOND_FACTOR_MS : SESSION_ABSOLUTE_MS),
  );
  const expiresAt = options.pending ? absoluteExpiresAt : new Date(nowMs + SESSION_INACTIVITY_MS);
  const values: typeof sessions.$inferInsert = {
    id,
    userId,
    stage: options.pending ? "pending_second_factor" : "active",
    createdAt: now,
    lastUsedAt: now,
    expiresAt,
    absoluteExpiresAt,
    reauthenticatedAt: options.reauthenticated ? now : null,
    ip: meta.ip,
    userAgent: meta.userAgent?.slice(0, 400) ?? null,
  };
  return { token, id, expiresAt, values };
}

/**
 * How a session is named outside the database (lists of sessions, revoke requests): derived from its id,
 * so neither the token nor the key it is stored under is ever sent to a client.
 */
export function publicSessionId(sessionId: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(`session-ref:${sessionId}`))).slice(0, 32);
}
