import type { ControlDb, TenantDb } from "../../db/client";
import { TENANT_HEADER } from "../../shared/transport";
import { accessCache } from "../auth/access-cache";
import { bearerKindOf, resolveAccessToken, resolvePersonalAccessToken } from "../auth/bearer";
import { tokenFromHeaders } from "../auth/cookies";
import { type ResolvedAccess, resolveAccess, sessionIdOf } from "../auth/session";
import { openControl, openTenant } from "../data";
import type { Env } from "../env";
import { Logger } from "../log";

/** Built from plain inputs, so tests construct it directly without an HTTP layer. */
export interface ContextInput {
  env: Env;
  headers: Headers;
  requestId: string;
  ip?: string | null;
  log?: Logger;
}

export interface Context {
  env: Env;
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  log: Logger;
  /** How the caller authenticated, if at all. */
  credential: ReturnType<typeof tokenFromHeaders>;
  /** The tenant the request names (header), not yet checked. */
  tenantSlug: string | null;
  control: ControlDb;
  /** Session, user and membership in the named tenant: one control-database query, memoised per request. */
  access(): Promise<ResolvedAccess | null>;
  /** The tenant's database client, memoised: a batched call opens one. */
  tenantDb(tenant: { id: string; databaseName: string; databaseUrl: string | null }): TenantDb;
}

/**
 * Resolves what the caller presented: a session token (cookie or bearer), or as a bearer an access token
 * (`nxa_…`) or a personal access token (`nxp_…`). Each kind costs one control-database query, cached per
 * isolate under the SHA-256 of the presented value.
 */
async function cachedAccess(
  control: ControlDb,
  credential: NonNullable<ReturnType<typeof tokenFromHeaders>>,
  tenantSlug: string | null,
) {
  const { token } = credential;
  const sessionId = sessionIdOf(token);
  const hit = accessCache.get(sessionId, tenantSlug);
  if (hit) return hit;
  const kind = credential.via === "bearer" ? bearerKindOf(token) : "session";
  const access =
    kind === "access_token"
      ? await resolveAccessToken(control, token, tenantSlug)
      : kind === "personal_access_token"
        ? await resolvePersonalAccessToken(control, token, tenantSlug)
        : await resolveAccess(control, token, tenantSlug);
  if (access) accessCache.set(sessionId, tenantSlug, access);
  return access;
}

export function createContext(input: ContextInput): Context {
  const { env, headers } = input;
  const credential = tokenFromHeaders(headers);
  const tenantSlug = headers.get(TENANT_HEADER)?.trim().toLowerCase() || null;
  const control = openControl(env);
  let access: Promise<ResolvedAccess | null> | undefined;
  const tenantDbs = new Map<string, TenantDb>();
  return {
    env,
    requestId: input.requestId,
    ip: input.ip ?? null,
    userAgent: headers.get("user-agent"),
    log: input.log ?? new Logger({ requestId: input.requestId }),
    credential,
    tenantSlug,
    control,
    access() {
      access ??= credential ? cachedAccess(control, credential, tenantSlug) : Promise.resolve(null);
      return access;
    },
    tenantDb(tenant) {
      let db = tenantDbs.get(tenant.id);
      if (!db) {
        db = openTenant(env, tenant);
        tenantDbs.set(tenant.id, db);
      }
      return db;
    },
  };
}
