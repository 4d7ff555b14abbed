import { eq, sql } from "drizzle-orm";
import { auditBy, auditRow } from "../../../../db/audit";
import type { ControlDb } from "../../../../db/client";
import type { UserActor } from "../../../../db/context";
import { auditLog, tenants, type UserPreferences, users } from "../../../../db/control/schema";
import { AppError } from "../../../../shared/errors";
import type { ContextOutput } from "../../../../shared/schemas/credentials";
import { accessColumns, accessFromRow, joinAccess } from "../../../auth/session";

type TenantRef = { id: string; slug: string; name: string };

/**
 * The organization named by `slug`, if the user may work in it (an active membership, or administering the
 * root organization) and it is live; null otherwise.
 */
async function reachableTenant(control: ControlDb, userId: string, slug: string): Promise<TenantRef | null> {
  const rows = await joinAccess(
    control.select({ ...accessColumns(), tenantDeletedAt: tenants.deletedAt }).from(users),
    slug,
  )
    .where(eq(users.id, userId))
    .limit(1);
  const row = rows[0] as (Parameters<typeof accessFromRow>[0] & { tenantDeletedAt: Date | null }) | undefined;
  if (!row) return null;
  const tenant = accessFromRow(row)?.tenant;
  if (!tenant?.role || tenant.status === "deleted" || row.tenantDeletedAt) return null;
  return { id: tenant.id, slug: tenant.slug, name: tenant.name };
}

async function reachableTenantById(control: ControlDb, userId: string, tenantId: string) {
  const [t] = await control
    .select({ slug: tenants.slug })
    .from(tenants)
    .where(eq(tenants.id, tenantId))
    .limit(1);
  return t ? reachableTenant(control, userId, t.slug) : null;
}

function contextOf(preferences: UserPreferences, tenant: TenantRef | null): ContextOutput {
  const c = tenant ? preferences.contexts?.[tenant.id] : undefined;
  return {
    tenant,
    projectId: c?.projectId ?? null,
    schoolId: c?.schoolId ?? null,
    calendarId: c?.calendarId ?? null,
  };
}

async function loadUser(control: ControlDb, userId: string) {
  const user = await control.query.users.findFirst({ where: eq(users.id, userId) });
  if (!user) throw new AppError("UNAUTHORIZED", "Your session has ended. Sign in again.");
  return user;
}

const notFound = () =>
  new AppError("NOT_FOUND", "That organization does not exist or you are not a member of it.");

/**
 * The remembered context in the organization named, or in the default organization when none is named
 * (tenant null when there is no default, or the user no longer belongs to it).
 */
export async function getContext(
  control: ControlDb,
  params: { userId: string; tenantSlug?: string },
): Promise<ContextOutput> {
  const user = await loadUser(control, params.userId);
  let tenant: TenantRef | null = null;
  if (params.tenantSlug) {
    tenant = await reachableTenant(control, user.id, params.tenantSlug);
    if (!tenant) throw notFound();
  } else if (user.defaultTenantId) {
    tenant = await reachableTenantById(control, user.id, user.defaultTenantId);
  }
  return contextOf(user.preferences, tenant);
}

/**
 * Remembers, for an organization, a project, school and calendar, and makes it the user's default only
 * when `makeDefault` is true: remembering a school in a second organization never moves the default. A
 * field left out keeps its value; null forgets it. A call that changes nothing writes nothing.
 */
export async function setContext(
  control: ControlDb,
  params: {
    actor: UserActor;
    tenantSlug?: string;
    makeDefault?: boolean;
    projectId?: string | null;
    schoolId?: string | null;
    calendarId?: string | null;
  },
  now = new Date(),
): Promise<ContextOutput> {
  const user = await loadUser(control, params.actor.userId);
  let tenant: TenantRef | null;
  if (params.tenantSlug) {
    tenant = await reachableTenant(control, user.id, params.tenantSlug);
    if (!tenant) throw notFound();
  } else {
    tenant = user.defaultTenantId ? await reachableTenantById(control, user.id, user.defaultTenantId) : null;
    if (!tenant) {
      throw new AppError("BAD_REQUEST", "Choose an organization first.", {
        fieldErrors: { tenantSlug: ["Choose an organization first."] },
      });
    }
  }
  const before = user.preferences.contexts?.[tenant.id] ?? {};
  const next = { ...before };
  for (const key of ["projectId", "schoolId", "calendarId"] as const) {
    const value = params[key];
    if (value === null) delete next[key];
    else if (value !== undefined) next[key] = value;
  }
  const defaultTenantId = params.makeDefault ? tenant.id : user.defaultTenantId;
  const contextChanged = (["projectId", "schoolId", "calendarId"] as const).some(
    (key) => before[key] !== next[key],
  );
  if (!contextChanged && defaultTenantId === user.defaultTenantId) {
    return contextOf(user.preferences, tenant);
  }
  // Only this organization's context is written, inside the stored JSON by the UPDATE itself: a change made
  // at the same time to another organization's context or to other preferences (two tabs) stands too.
  const preferences = sql`json_set(${users.preferences}, '$.contexts', json_set(coalesce(json_extract(${users.preferences}, '$.contexts'), '{}'), ${`$."${tenant.id}"`}, json(${JSON.stringify(next)})))`;
  await control.batch([
    control.update(users).set({ defaultTenantId, preferences, updatedAt: now }).where(eq(users.id, user.id)),
    control.insert(auditLog).values(
      auditRow(
        auditBy({ actor: params.actor, tenant: { id: tenant.id } }, "user", user.id, {
          action: "profile.context_set",
          before: { defaultTenantId: user.defaultTenantId, context: before },
          after: { defaultTenantId, context: next },
        }),
        now,
      ),
    ),
  ]);
  return contextOf({ contexts: { [tenant.id]: next } }, tenant);
}
