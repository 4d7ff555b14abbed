import { and, desc, eq } from "drizzle-orm";
import { auditBy, auditRow } from "../../../../db/audit";
import type { ControlDb } from "../../../../db/client";
import type { UserActor } from "../../../../db/context";
import { auditLog, personalAccessTokens, tenants, users } from "../../../../db/control/schema";
import { AppError } from "../../../../shared/errors";
import { newId } from "../../../../shared/ids";
import type { Permission } from "../../../../shared/permissions";
import { rolePermissions } from "../../../../shared/permissions";
import {
  defaultTokenDays,
  PERSONAL_ACCESS_TOKEN_MAX_DAYS,
  PERSONAL_ACCESS_TOKEN_PREFIX,
  type PersonalAccessTokenPolicy,
  type PersonalAccessTokenRecord,
} from "../../../../shared/schemas/credentials";
import { accessCache } from "../../../auth/access-cache";
import { generatePrefixedToken, sha256Hex } from "../../../auth/crypto";
import { accessColumns, accessFromRow, joinAccess, type SessionInfo } from "../../../auth/session";
import { deviceLabel } from "../../../auth/user-agent";
import { type EmailSettings, publicLinkBase, tokenCreatedNotice } from "../../../email";
import type { Env } from "../../../env";
import { writeWithMail } from "../profile/email-verification";
import { requireRecentReauth } from "../profile/reauthentication";

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

type AccessRow = Parameters<typeof accessFromRow>[0] & {
  tenantDeletedAt: Date | null;
  patMaxLifetimeDays: number | null;
  patAllowNoExpiry: boolean | null;
};

/** The caller's membership in the organization named, with its token policy; NOT_FOUND otherwise. */
async function memberTenant(control: ControlDb, userId: string, tenantSlug: string) {
  const rows = await joinAccess(
    control
      .select({
        ...accessColumns(),
        tenantDeletedAt: tenants.deletedAt,
        patMaxLifetimeDays: tenants.patMaxLifetimeDays,
        patAllowNoExpiry: tenants.patAllowNoExpiry,
      })
      .from(users),
    tenantSlug,
  )
    .where(eq(users.id, userId))
    .limit(1);
  const row = rows[0] as AccessRow | undefined;
  const access = row ? accessFromRow(row) : null;
  const tenant = access?.tenant;
  if (!access || !tenant?.role || tenant.status === "deleted" || row?.tenantDeletedAt) return null;
  const maxLifetimeDays = row?.patMaxLifetimeDays ?? PERSONAL_ACCESS_TOKEN_MAX_DAYS;
  const policy: PersonalAccessTokenPolicy = {
    maxLifetimeDays,
    allowNoExpiry: row?.patAllowNoExpiry ?? false,
    defaultDays: defaultTokenDays({ maxLifetimeDays }),
  };
  return { user: access.user, tenant: { ...tenant, role: tenant.role }, policy };
}

const notAMember = () =>
  new AppError("NOT_FOUND", "That organization does not exist or you are not a member of it.");

/** The token policy of one organization the caller belongs to (its security settings). */
export async function personalAccessTokenPolicy(
  control: ControlDb,
  params: { userId: string; tenantSlug: string },
): Promise<PersonalAccessTokenPolicy> {
  const found = await memberTenant(control, params.userId, params.tenantSlug);
  if (!found) throw notAMember();
  return found.policy;
}

/** What sending the new-token notice needs: where its link points and the mail settings. */
export type TokenMailEnv = EmailSettings & Pick<Env, "PUBLIC_URL">;

type CreateParams = {
  actor: UserActor;
  /** The credential of the request: only a browser session re-authenticated within minutes may create. */
  session: SessionInfo;
  env: TokenMailEnv;
  userAgent: string | null;
  name: string;
  tenantSlug: string;
  scopes: Permission[];
  expiresInDays?: number | null;
};

/**
 * Makes a token for one organization with scopes the caller's role there allows. Creating one is a
 * sensitive act: only a browser session that entered a credential (signed in or re-authenticated) in the
 * last minutes may, never an access token or another personal access token; the expiry stays within the
 * organization's policy. Every refusal is audited (`token.creation_refused`, with its reason); a creation
 * is audited and mailed to the owner together. The token is returned this once; only its SHA-256 and its
 * first characters are kept.
 */
export async function createPersonalAccessToken(
  control: ControlDb,
  params: CreateParams,
  now = new Date(),
): Promise<{ token: string; record: PersonalAccessTokenRecord }> {
  const refuse = async (error: AppError, reason: string, tenantId: string | null = null) => {
    await control.insert(auditLog).values(
      auditRow(
        auditBy(
          { actor: params.actor, tenant: tenantId ? { id: tenantId } : null },
          "user",
          params.actor.userId,
          {
            action: "token.creation_refused",
            after: {
              reason,
              credential: params.session.kind,
              tenantSlug: params.tenantSlug,
              scopes: params.scopes,
              expiresInDays: params.expiresInDays ?? null,
            },
          },
        ),
        now,
      ),
    );
    return error;
  };

  if (params.session.kind !== "session") {
    throw await refuse(
      new AppError(
        "FORBIDDEN",
        "Personal access tokens can be created only in a browser session: sign in to Nexus in a browser.",
        { reason: "browser_session_required" },
      ),
      "browser_session_required",
    );
  }
  try {
    await requireRecentReauth({ control, session: params.session }, undefined, now);
  } catch (error) {
    if (error instanceof AppError) throw await refuse(error, "reauthentication_required");
    throw error;
  }

  const found = await memberTenant(control, params.actor.userId, params.tenantSlug);
  if (!found) throw await refuse(notAMember(), "not_a_member");
  const { user, tenant, policy } = found;

  const allowed = rolePermissions[tenant.role];
  const beyond = params.scopes.filter((s) => !allowed.has(s));
  if (beyond.length > 0) {
    const message = `Your role in this organization does not allow ${beyond.join(", ")}.`;
    throw await refuse(
      new AppError("BAD_REQUEST", message, { fieldErrors: { scopes: [message] } }),
      "scope_beyond_role",
      tenant.id,
    );
  }
  const days = params.expiresInDays === undefined ? policy.defaultDays : params.expiresInDays;
  if (days === null && !policy.allowNoExpiry) {
    const message = `${tenant.name} does not allow tokens that never expire. Choose at most ${policy.maxLifetimeDays} days.`;
    throw await refuse(
      new AppError("BAD_REQUEST", message, {
        reason: "token_expiry_required",
        fieldErrors: { expiresInDays: [message] },
      }),
      "token_expiry_required",
      tenant.id,
    );
  }
  if (days !== null && days > policy.maxLifetimeDays) {
    const message = `${tenant.name} allows tokens for at most ${policy.maxLifetimeDays} days.`;
    throw await refuse(
      new AppError("BAD_REQUEST", message, {
        reason: "token_lifetime_over_policy",
        fieldErrors: { expiresInDays: [message] },
      }),
      "token_lifetime_over_policy",
      tenant.id,
    );
  }

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
  const linkBase = publicLinkBase(params.env);
  const notice = tokenCreatedNotice({
    to: user.email,
    name: user.name,
    tokenName: values.name,
    prefix: values.prefix,
    organization: tenant.name,
    scopes: values.scopes,
    expiresAt: values.expiresAt,
    createdAt: now,
    ip: params.actor.ip,
    device: params.userAgent ? deviceLabel(params.userAgent) : null,
    tokensUrl: linkBase ? `${linkBase}/me/tokens` : null,
  });
  await writeWithMail(
    control,
    params.env,
    [
      control.insert(personalAccessTokens).values(values),
      control.insert(auditLog).values(
        auditRow(
          auditBy({ actor: params.actor, tenant: { id: tenant.id } }, "personal_access_token", values.id, {
            action: "token.created",
            after: {
              name: values.name,
              prefix: values.prefix,
              scopes: values.scopes,
              expiresAt: values.expiresAt?.toISOString() ?? null,
            },
          }),
          now,
        ),
      ),
    ],
    [notice],
    now,
  );
  return { token, record: recordOf(values, { id: tenant.id, slug: tenant.slug, name: tenant.name }, now) };
}

/** Revokes one of the user's own tokens at once; anyone else's id answers NOT_FOUND. Idempotent. */
export async function revokePersonalAccessToken(
  control: ControlDb,
  params: { actor: UserActor; id: string },
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
    control
      .insert(auditLog)
      .values(
        auditRow(
          auditBy(
            { actor: params.actor, tenant: { id: found.tenant.id } },
            "personal_access_token",
            found.token.id,
            { action: "token.revoked", before: { revokedAt: null }, after: { revokedAt: now.toISOString() } },
          ),
          now,
        ),
      ),
  ]);
  accessCache.forgetSession(found.token.tokenHash);
  return recordOf({ ...found.token, revokedAt: now }, found.tenant, now);
}
