import { and, eq, inArray, isNull } from "drizzle-orm";
import type { ControlDb } from "../../../../db/client";
import { memberships, tenants, users } from "../../../../db/control/schema";
import { AppError } from "../../../../shared/errors";
import type { Role } from "../../../../shared/permissions";

/** Of `emails`, those that belong to an active member of the organization. */
export async function activeMemberEmails(
  control: ControlDb,
  tenantId: string,
  emails: string[],
): Promise<Set<string>> {
  if (emails.length === 0) return new Set();
  const rows = await control
    .select({ email: users.email })
    .from(users)
    .innerJoin(
      memberships,
      and(
        eq(memberships.userId, users.id),
        eq(memberships.tenantId, tenantId),
        eq(memberships.status, "active"),
        isNull(memberships.deletedAt),
      ),
    )
    .where(and(inArray(users.email, emails), isNull(users.deletedAt)));
  return new Set(rows.map((r) => r.email));
}

/** The organization's name and default role; NOT_FOUND once it is deleted. */
export async function loadOrganization(control: ControlDb, tenantId: string) {
  const [tenant] = await control
    .select({
      id: tenants.id,
      slug: tenants.slug,
      name: tenants.name,
      status: tenants.status,
      defaultRole: tenants.defaultRole,
      ssoOnly: tenants.ssoOnly,
      deletedAt: tenants.deletedAt,
    })
    .from(tenants)
    .where(eq(tenants.id, tenantId))
    .limit(1);
  if (!tenant || tenant.deletedAt || tenant.status === "deleted") {
    throw new AppError("NOT_FOUND", "That organization does not exist or you are not a member of it.");
  }
  return tenant;
}

/** Only an owner may hand out the owner role. */
export function mayGrant(actorRole: Role | null, role: Role): boolean {
  return role !== "owner" || actorRole === "owner";
}

export function assertMayGrant(actorRole: Role | null, role: Role): void {
  if (!mayGrant(actorRole, role)) {
    throw new AppError("FORBIDDEN", "Only an owner can invite someone as an owner.", {
      fieldErrors: { role: ["Only an owner can invite an owner"] },
    });
  }
}
