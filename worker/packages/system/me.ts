import { and, asc, eq, isNull, ne } from "drizzle-orm";
import type { ControlDb } from "../../../db/client";
import { memberships, tenants } from "../../../db/control/schema";
import type { Me } from "../../../shared/schemas/system";
import type { SessionUser } from "../../auth/session";

const tenantColumns = {
  id: tenants.id,
  slug: tenants.slug,
  name: tenants.name,
  kind: tenants.kind,
  status: tenants.status,
};

/**
 * The signed-in user and the organizations they can open, by name: their active memberships, and — for
 * owners and administrators of the root ("Global") organization — every other live organization, as admin.
 */
export async function loadMe(control: ControlDb, user: SessionUser): Promise<Me> {
  const own = await control
    .select({ role: memberships.role, tenant: tenantColumns })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(
      and(
        eq(memberships.userId, user.id),
        eq(memberships.status, "active"),
        isNull(memberships.deletedAt),
        ne(tenants.status, "deleted"),
      ),
    )
    .orderBy(asc(tenants.name));
  const rootAdmin = own.some(
    (m) =>
      m.tenant.kind === "root" && m.tenant.status === "ready" && (m.role === "owner" || m.role === "admin"),
  );
  const list: Me["memberships"] = own.map((m) => ({ ...m, viaRoot: false }));
  if (rootAdmin) {
    const mine = new Set(own.map((m) => m.tenant.id));
    const others = await control
      .select(tenantColumns)
      .from(tenants)
      .where(ne(tenants.status, "deleted"))
      .orderBy(asc(tenants.name));
    for (const tenant of others)
      if (!mine.has(tenant.id)) list.push({ tenant, role: "admin", viaRoot: true });
    list.sort((a, b) => a.tenant.name.localeCompare(b.tenant.name));
  }
  return { user, memberships: list };
}
