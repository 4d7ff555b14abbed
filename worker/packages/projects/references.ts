import { and, eq, isNull } from "drizzle-orm";
import type { ControlDb, TenantDb } from "../../../db/client";
import { memberships, users } from "../../../db/control/schema";
import { catalogCategories, groups, issues, schools } from "../../../db/tenant/schema";
import { AppError } from "../../../shared/errors";

/** A reference in the input that names nothing this organization has: NOT_FOUND on that field. */
export function referenceNotFound(field: string, message: string, detail = "Not found in this organization") {
  return new AppError("NOT_FOUND", message, { fieldErrors: { [field]: [detail] } });
}

/** `userId` must be an active member of the organization (active account, active membership). */
export async function assertActiveMember(
  control: ControlDb,
  tenantId: string,
  userId: string,
  field: string,
): Promise<void> {
  const [row] = await control
    .select({ id: users.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.tenantId, tenantId),
        eq(memberships.userId, userId),
        eq(memberships.status, "active"),
        isNull(memberships.deletedAt),
        eq(users.status, "active"),
        isNull(users.deletedAt),
      ),
    )
    .limit(1);
  if (!row) {
    throw referenceNotFound(
      field,
      "That person is not an active member of this organization.",
      "Not an active member",
    );
  }
}

/** `groupId` must be a live (not archived) group of the organization. */
export async function assertGroup(db: TenantDb, groupId: string, field: string): Promise<void> {
  const [row] = await db
    .select({ id: groups.id })
    .from(groups)
    .where(and(eq(groups.id, groupId), isNull(groups.archivedAt)))
    .limit(1);
  if (!row) throw referenceNotFound(field, "There is no such group in this organization.");
}

export async function assertCategory(db: TenantDb, id: string, field: string): Promise<void> {
  const [row] = await db
    .select({ id: catalogCategories.id })
    .from(catalogCategories)
    .where(and(eq(catalogCategories.id, id), isNull(catalogCategories.archivedAt)))
    .limit(1);
  if (!row) throw referenceNotFound(field, "There is no such category in this organization's catalog.");
}

/** A post-incident analysis must name an incident of this organization. */
export async function assertIncident(db: TenantDb, id: string, field: string): Promise<void> {
  const [row] = await db.select({ type: issues.type }).from(issues).where(eq(issues.id, id)).limit(1);
  if (row?.type !== "incident")
    throw referenceNotFound(field, "There is no such incident in this organization.");
}

/**
 * `schoolId` must be an open school of the organization: another organization's schools do not exist in
 * this database (NOT_FOUND); a closed school takes no new issues (BAD_REQUEST, reason school_closed). Only
 * checked when a school is newly chosen, so an issue at a school that closed since stays editable. Returns
 * the school's name (for the issue's search document).
 */
export async function assertOpenSchool(
  db: TenantDb,
  schoolId: string,
  field: string,
): Promise<{ id: string; name: string }> {
  const [row] = await db
    .select({ id: schools.id, name: schools.name, status: schools.status })
    .from(schools)
    .where(eq(schools.id, schoolId))
    .limit(1);
  if (!row) throw referenceNotFound(field, "There is no such school in this organization.");
  if (row.status === "closed") {
    const message = `${row.name} is closed: choose an open school.`;
    throw new AppError("BAD_REQUEST", message, {
      fieldErrors: { [field]: [message] },
      reason: "school_closed",
    });
  }
  return { id: row.id, name: row.name };
}
