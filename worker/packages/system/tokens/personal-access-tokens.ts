import { and, desc, eq } from "drizzle-orm";
import { auditRow } from "../../../../db/audit";
import type { ControlDb } from "../../../../db/client";
import { auditLog, personalAccessTokens, tenants, users } from "../../../../db/control/schema";
import { AppError } from "../../../../shared/errors";
import { newId } from "../../../../shared/ids";
import type { Permission } from "../../../../shared/permissions";
import { rolePermissions } from "../../../../shared/permissions";
import {
  PERSONAL_ACCESS_TOKEN_DEFAULT_DAYS,
  PERSONAL_ACCESS_TOKEN_PREFIX,
  type PersonalAccessTokenRecord,
} from "../../../../shared/schemas/credentials";
import { accessCache } from "../../../auth/access-cache";
import { generatePrefixedToken, sha256Hex } from "../../../auth/crypto";
import { accessColumns, accessFromRow, joinAccess } from "../../../auth/session";
import type { Actor } from "../profile/procedures";

/** How many characters of a token are kept to recognise it by (`nxp_` and four more). */
const DISPLAY_PREFIX_LENGTH = 8;
const DAY_MS = 24 * 60 * 60 * 1000;

type Row = typeof personalAccessTokens.$inferSelect;
type TenantRef = { id: string; slug: string; name: string };

function recordOf(row: Row, tenant: TenantRef, now: Date): PersonalAccessTokenRecord {
  const status = row.revokedAt
    ? "revoked"
    : row.expiresAt && row.expiresAt.getTime() <= now.getTime()
      ? "expired"
      : "active";
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    tenant,
    scopes: row.scopes,
    status,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/** The user's own tokens (every organization), newest first. */
export async function listPersonalAccessTokens(
  control: ControlDb,
  params: { userId: string },
  now = new Date(),
): Promise<{ items: PersonalAccessTokenRecord[] }> {
  const rows = await control
    .select({
      token: personalAccessTokens,
      tenant: { id: tenants.id, slug: tenants.slug, name: tenants.name },
    })
    .from(personalAccessTokens)
    .innerJoin(tenants, eq(tenants.id, personalAccessTokens.tenantId))
    .where(eq(personalAccessTokens.userId, params.userId))
    .orderBy(desc(personalAccessTokens.createdAt));
  return { items: rows.map((r) => recordOf(r.token, r.tenant, now)) };
}

/**
 * Makes a token for one organization with scopes the caller's role there allows. The token is returned
 * this once; only its SHA-256 and its first characters are kept.
 */
export async function createPersonalAccessToken(
  control: ControlDb,
  params: {
    actor: Actor;
    name: string;
    tenantSlug: string;
    scopes: Permission[];
    expiresInDays?: number | null;
  },
  now = new Date(),
): Promise<{ token: string; record: PersonalAccessTokenRecord }> {
  const rows = await joinAccess(
    control.select({ ...accessColumns(), tenantDeletedAt: tenants.deletedAt }).from(users),
    params.tenantSlug,
  )
    .where(eq(users.id, params.actor.userId))
    .limit(1);
  const row = rows[0] as (Parameters<typeof accessFromRow>[0] & { tenantDeletedAt: Date | null }) | undefined;
  const tenant = row ? accessFromRow(row)?.tenant : null;
  if (!tenant?.role || tenant.status === "deleted" || row?.tenantDeletedAt) {
    throw new AppError("NOT_FOUND", "That organization does not exist or you are not a member of it.");
  }
  const allowed = rolePermissions[tenant.role];
  const beyond = params.scopes.filter((s) => !allowed.has(s));
  if (beyond.length > 0) {
    const message = `Your role in this organization does not allow ${beyond.join(", ")}.`;
    throw new AppError("BAD_REQUEST", message, { fieldErrors: { scopes: [message] } });
  }
  const days = params.expiresInDays === undefined ? PERSONAL_ACCESS_TOKEN_DEFAULT_DAYS : params.expiresInDays;
  const token = generatePrefixedToken(PERSONAL_ACCESS_TOKEN_PREFIX);
  const values: Row = {
    id: newId(),
    userId: params.actor.userId,
    tenantId: tenant.id,
    name: params.name,
    prefix: token.slice(0, DISPLAY_PREFIX_LENGTH),
    tokenHash: sha256Hex(token),
    scopes: params.scopes,
    expiresAt: days === null ? null : new Date(now.getTime() + days * DAY_MS),
    lastUsedAt: null,
    revokedAt: null,
    createdAt: now,
  };
  await control.batch([
    control.insert(personalAccessTokens).values(values),
    control.insert(auditLog).values(
      auditRow(
        {
          actorKind: "user",
          actorId: params.actor.userId,
          tenantId: tenant.id,
          action: "token.created",
          targetType: "personal_access_token",
          targetId: values.id,
          after: {
            name: values.name,
            prefix: values.prefix,
            scopes: values.scopes,
            expiresAt: values.expiresAt?.toISOString() ?? null,
          },
          ip: params.actor.ip,
          requestId: params.actor.requestId,
        },
        now,
      ),
    ),
  ]);
  return { token, record: recordOf(values, { id: tenant.id, slug: tenant.slug, name: tenant.name }, now) };
}

/** Revokes one of the user's own tokens at once; anyone else's id answers NOT_FOUND. Idempotent. */
export async function revokePersonalAccessToken(
  control: ControlDb,
  params: { actor: Actor; id: string },
  now = new Date(),
): Promise<PersonalAccessTokenRecord> {
  const [found] = await control
    .select({
      token: personalAccessTokens,
      tenant: { id: tenants.id, slug: tenants.slug, name: tenants.name },
    })
    .from(personalAccessTokens)
    .innerJoin(tenants, eq(tenants.id, personalAccessTokens.tenantId))
    .where(and(eq(personalAccessTokens.id, params.id), eq(personalAccessTokens.userId, params.actor.userId)))
    .limit(1);
  if (!found) throw new AppError("NOT_FOUND", "There is no such token.");
  if (found.token.revokedAt) return recordOf(found.token, found.tenant, now);
  await control.batch([
    control
      .update(personalAccessTokens)
      .set({ revokedAt: now })
      .where(eq(personalAccessTokens.id, found.token.id)),
    control.insert(auditLog).values(
      auditRow(
        {
          actorKind: "user",
          actorId: params.actor.userId,
          tenantId: found.tenant.id,
          action: "token.revoked",
          targetType: "personal_access_token",
          targetId: found.token.id,
          before: { revokedAt: null },
          after: { revokedAt: now.toISOString() },
          ip: params.actor.ip,
          requestId: params.actor.requestId,
        },
        now,
      ),
    ),
  ]);
  accessCache.forgetSession(found.token.tokenHash);
  return recordOf({ ...found.token, revokedAt: now }, found.tenant, now);
}
