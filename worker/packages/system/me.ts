import { asc, eq } from "drizzle-orm";
import type { ControlDb } from "../../../db/client";
import { memberships, tenants } from "../../../db/control/schema";
import type { Me } from "../../../shared/schemas/system";
import type { SessionUser } from "../../auth/session";

/** The signed-in user and the organizations they belong to (live ones only), by name. */
export async function loadMe(control: ControlDb, user: SessionUser): Promise<Me> {
  const rows = await control
    .select({
      role: memberships.role,
      tenant: {
        id: tenants.id,
        slug: tenants.slug,
        name: tenants.name,
        kind: tenants.kind,
        status: tenants.status,
      },
    })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(eq(memberships.userId, user.id))
    .orderBy(asc(tenants.name));
  return { user, memberships: rows.filter((r) => r.tenant.status !== "deleted") };
}
