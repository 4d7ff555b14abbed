import { and, eq, isNull } from "drizzle-orm";
import { auditRow } from "../../db/audit";
import type { ControlDb } from "../../db/client";
import {
  accessTokens,
  auditLog,
  personalAccessTokens,
  refreshTokens,
  tokenFamilies,
  users,
} from "../../db/control/schema";
import { newId } from "../../shared/ids";
import {
  ACCESS_TOKEN_PREFIX,
  PERSONAL_ACCESS_TOKEN_PREFIX,
  REFRESH_TOKEN_PREFIX,
  type TokenResponse,
} from "../../shared/schemas/credentials";
import { accessCache } from "./access-cache";
import { generatePrefixedToken, sha256Hex } from "./crypto";
import { accessColumns, accessFromRow, joinAccess, type ResolvedAccess } from "./session";

/**
 * Bearer credentials other than sessions: the OAuth-style token pair of POST /auth/token (access tokens
 * `nxa_…`, rotating refresh tokens `nxr_…`, grouped in a token family) and personal access tokens
 * (`nxp_…`). Each is 160 random bits and stored only as its SHA-256. See docs/decisions/0008-tokens.md.
 */
export const ACCESS_TOKEN_TTL_MS = 15 * 60 * 1000;
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** Personal access tokens record their last use at most this often. */
const PAT_TOUCH_INTERVAL_MS = 60 * 1000;
/** What a credential that never expires reports as its expiry (the access cache needs a date). */
const NEVER = new Date(8.64e15);

type Meta = { ip: string | null; requestId: string | null };
type AccessRow = Parameters<typeof accessFromRow>[0];

export type BearerKind = "access_token" | "personal_access_token" | "session";

/** What a bearer value is, by its prefix; anything unprefixed is a session token. */
export function bearerKindOf(token: string): BearerKind {
  if (token.startsWith(ACCESS_TOKEN_PREFIX)) return "access_token";
  if (token.startsWith(PERSONAL_ACCESS_TOKEN_PREFIX)) return "personal_access_token";
  return "session";
}

// ── Token pairs ─────────────────────────────────────────────────────────────────────────────────────────

function newPair(familyId: string, userId: string, now: Date) {
  const accessToken = generatePrefixedToken(ACCESS_TOKEN_PREFIX);
  const refreshToken = generatePrefixedToken(REFRESH_TOKEN_PREFIX);
  return {
    response: {
      access_token: accessToken,
      token_type: "Bearer",
      expires_in: ACCESS_TOKEN_TTL_MS / 1000,
      refresh_token: refreshToken,
    } satisfies TokenResponse,
    access: {
      id: sha256Hex(accessToken),
      familyId,
      userId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + ACCESS_TOKEN_TTL_MS),
    },
    refresh: {
      id: sha256Hex(refreshToken),
      familyId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + REFRESH_TOKEN_TTL_MS),
      usedAt: null,
    },
  };
}

/** A new token family (one sign-in of a client) with its first access and refresh tokens. */
export async function issueTokenFamily(
  control: ControlDb,
  params: { userId: string; clientName: string | null; secondFactor: boolean } & Meta,
  now = new Date(),
): Promise<{ familyId: string; response: TokenResponse }> {
  const familyId = newId();
  const pair = newPair(familyId, params.userId, now);
  await control.batch([
    control.insert(tokenFamilies).values({
      id: familyId,
      userId: params.userId,
      clientName: params.clientName,
      ip: params.ip,
      createdAt: now,
    }),
    control.insert(refreshTokens).values(pair.refresh),
    control.insert(accessTokens).values(pair.access),
    control.insert(auditLog).values(
      auditRow(
        {
          actorKind: "user",
          actorId: params.userId,
          action: "auth.token_issued",
          targetType: "token_family",
          targetId: familyId,
          after: { grant: "password", clientName: params.clientName, secondFactor: params.secondFactor },
          ip: params.ip,
          requestId: params.requestId,
        },
        now,
      ),
    ),
  ]);
  return { familyId, response: pair.response };
}

export interface PresentedRefreshToken {
  id: string;
  familyId: string;
  expiresAt: Date;
  usedAt: Date | null;
  familyRevokedAt: Date | null;
  user: { id: string; email: string; status: "active" | "deactivated"; deletedAt: Date | null };
}

/** The refresh token, its family and its user; null when no such token was ever issued. */
export async function findRefreshToken(
  control: ControlDb,
  refreshToken: string,
): Promise<PresentedRefreshToken | null> {
  const [row] = await control
    .select({
      id: refreshTokens.id,
      familyId: refreshTokens.familyId,
      expiresAt: refreshTokens.expiresAt,
      usedAt: refreshTokens.usedAt,
      familyRevokedAt: tokenFamilies.revokedAt,
      user: { id: users.id, email: users.email, status: users.status, deletedAt: users.deletedAt },
    })
    .from(refreshTokens)
    .innerJoin(tokenFamilies, eq(tokenFamilies.id, refreshTokens.familyId))
    .innerJoin(users, eq(users.id, tokenFamilies.userId))
    .where(eq(refreshTokens.id, sha256Hex(refreshToken)))
    .limit(1);
  return row ?? null;
}

/** Revokes a whole family because one of its refresh tokens came back after it was exchanged. */
async function revokeForReuse(control: ControlDb, presented: PresentedRefreshToken, meta: Meta, now: Date) {
  await control.batch([
    control
      .update(tokenFamilies)
      .set({ revokedAt: now, revokedReason: "refresh_token_reuse" })
      .where(and(eq(tokenFamilies.id, presented.familyId), isNull(tokenFamilies.revokedAt))),
    control.insert(auditLog).values(
      auditRow(
        {
          actorKind: "system",
          action: "auth.token_reuse_detected",
          targetType: "token_family",
          targetId: presented.familyId,
          after: { userId: presented.user.id, familyRevoked: true, reason: "refresh_token_reuse" },
          ip: meta.ip,
          requestId: meta.requestId,
        },
        now,
      ),
    ),
  ]);
  accessCache.forgetUser(presented.user.id);
}

export type RotationResult =
  | { ok: true; response: TokenResponse }
  | { ok: false; reason: "revoked" | "expired" | "inactive" | "reused" };

/**
 * Exchanges a refresh token for a new pair in the same family. Each refresh token is good for one
 * exchange: the exchange is claimed with a conditional update, so of two concurrent exchanges exactly one
 * wins, and the other, like any later presentation, counts as reuse and revokes the family (RFC 9700
 * §4.14.2). There is no grace window.
 */
export async function rotateRefreshToken(
  control: ControlDb,
  presented: PresentedRefreshToken,
  meta: Meta,
  now = new Date(),
): Promise<RotationResult> {
  if (presented.familyRevokedAt) return { ok: false, reason: "revoked" };
  if (presented.usedAt) {
    await revokeForReuse(control, presented, meta, now);
    return { ok: false, reason: "reused" };
  }
  if (presented.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired" };
  if (presented.user.status !== "active" || presented.user.deletedAt)
    return { ok: false, reason: "inactive" };

  const claimed = await control
    .update(refreshTokens)
    .set({ usedAt: now })
    .where(and(eq(refreshTokens.id, presented.id), isNull(refreshTokens.usedAt)));
  if (claimed.rowsAffected !== 1) {
    await revokeForReuse(control, presented, meta, now);
    return { ok: false, reason: "reused" };
  }
  const pair = newPair(presented.familyId, presented.user.id, now);
  await control.batch([
    control.insert(refreshTokens).values(pair.refresh),
    control.insert(accessTokens).values(pair.access),
    control.insert(auditLog).values(
      auditRow(
        {
          actorKind: "user",
          actorId: presented.user.id,
          action: "auth.token_refreshed",
          targetType: "token_family",
          targetId: presented.familyId,
          ip: meta.ip,
          requestId: meta.requestId,
        },
        now,
      ),
    ),
  ]);
  return { ok: true, response: pair.response };
}

// ── Resolving bearer credentials on requests ────────────────────────────────────────────────────────────

/**
 * An access token (with the named tenant and the caller's role there) in one query: unexpired, its family
 * not revoked, its user active.
 */
export async function resolveAccessToken(
  control: ControlDb,
  token: string,
  tenantSlug: string | null,
  now = new Date(),
): Promise<ResolvedAccess | null> {
  const id = sha256Hex(token);
  const rows = await joinAccess(
    control
      .select({
        token: { createdAt: accessTokens.createdAt, expiresAt: accessTokens.expiresAt },
        familyRevokedAt: tokenFamilies.revokedAt,
        ...accessColumns(),
      })
      .from(accessTokens)
      .innerJoin(tokenFamilies, eq(tokenFamilies.id, accessTokens.familyId))
      .innerJoin(users, eq(users.id, accessTokens.userId)),
    tenantSlug,
  )
    .where(eq(accessTokens.id, id))
    .limit(1);
  const row = rows[0] as
    | (AccessRow & { token: { createdAt: Date; expiresAt: Date }; familyRevokedAt: Date | null })
    | undefined;
  if (!row || row.familyRevokedAt || row.token.expiresAt.getTime() <= now.getTime()) return null;
  const resolved = accessFromRow(row);
  if (!resolved) return null;
  return {
    user: resolved.user,
    session: {
      id,
      kind: "access_token",
      expiresAt: row.token.expiresAt,
      lastUsedAt: row.token.createdAt,
      reauthenticatedAt: null,
      scopes: null,
      tenantId: null,
    },
    tenant: resolved.tenant,
  };
}

/**
 * A personal access token in one query: not revoked, not expired, its user active. It carries its scopes
 * and its organization, which the procedure ladder enforces. Its last use is recorded at most once a minute.
 */
export async function resolvePersonalAccessToken(
  control: ControlDb,
  token: string,
  tenantSlug: string | null,
  now = new Date(),
): Promise<ResolvedAccess | null> {
  const hash = sha256Hex(token);
  const rows = await joinAccess(
    control
      .select({
        pat: {
          id: personalAccessTokens.id,
          tenantId: personalAccessTokens.tenantId,
          scopes: personalAccessTokens.scopes,
          expiresAt: personalAccessTokens.expiresAt,
          lastUsedAt: personalAccessTokens.lastUsedAt,
          revokedAt: personalAccessTokens.revokedAt,
          createdAt: personalAccessTokens.createdAt,
        },
        ...accessColumns(),
      })
      .from(personalAccessTokens)
      .innerJoin(users, eq(users.id, personalAccessTokens.userId)),
    tenantSlug,
  )
    .where(eq(personalAccessTokens.tokenHash, hash))
    .limit(1);
  const row = rows[0] as
    | (AccessRow & {
        pat: {
          id: string;
          tenantId: string;
          scopes: string[];
          expiresAt: Date | null;
          lastUsedAt: Date | null;
          revokedAt: Date | null;
          createdAt: Date;
        };
      })
    | undefined;
  if (!row) return null;
  const { pat } = row;
  if (pat.revokedAt || (pat.expiresAt && pat.expiresAt.getTime() <= now.getTime())) return null;
  const resolved = accessFromRow(row);
  if (!resolved) return null;
  if (!pat.lastUsedAt || now.getTime() - pat.lastUsedAt.getTime() >= PAT_TOUCH_INTERVAL_MS) {
    await control
      .update(personalAccessTokens)
      .set({ lastUsedAt: now })
      .where(eq(personalAccessTokens.id, pat.id));
  }
  return {
    user: resolved.user,
    session: {
      id: pat.id,
      kind: "personal_access_token",
      expiresAt: pat.expiresAt ?? NEVER,
      lastUsedAt: pat.lastUsedAt ?? pat.createdAt,
      reauthenticatedAt: null,
      scopes: new Set(pat.scopes),
      tenantId: pat.tenantId,
    },
    tenant: resolved.tenant,
  };
}

/**
 * Signs an app out: revokes the token family of the access token it presents (RFC 7009's effect, through
 * /auth/sign-out). Answers the family's user, or null when the token is unknown or its family already ended.
 */
export async function revokeFamilyOfAccessToken(
  control: ControlDb,
  token: string,
  meta: Meta,
  now = new Date(),
): Promise<{ userId: string; familyId: string } | null> {
  const [row] = await control
    .select({ familyId: accessTokens.familyId, userId: accessTokens.userId })
    .from(accessTokens)
    .innerJoin(tokenFamilies, eq(tokenFamilies.id, accessTokens.familyId))
    .where(and(eq(accessTokens.id, sha256Hex(token)), isNull(tokenFamilies.revokedAt)))
    .limit(1);
  if (!row) return null;
  await control.batch([
    control
      .update(tokenFamilies)
      .set({ revokedAt: now, revokedReason: "signed_out" })
      .where(and(eq(tokenFamilies.id, row.familyId), isNull(tokenFamilies.revokedAt))),
    control.insert(auditLog).values(
      auditRow(
        {
          actorKind: "user",
          actorId: row.userId,
          action: "auth.signed_out",
          targetType: "token_family",
          targetId: row.familyId,
          ip: meta.ip,
          requestId: meta.requestId,
        },
        now,
      ),
    ),
  ]);
  accessCache.forgetUser(row.userId);
  return row;
}
