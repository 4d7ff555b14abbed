import { and, eq, ne, sql } from "drizzle-orm";
import type { TenantDb } from "../../../../db/client";
import { groups } from "../../../../db/tenant/schema";
import { AppError } from "../../../../shared/errors";
import type { Group } from "../../../../shared/schemas/groups";

export type GroupRow = typeof groups.$inferSelect;

/** A group's columns with its member count (the group_members primary key serves the count). */
export const groupColumns = {
  id: groups.id,
  name: groups.name,
  description: groups.description,
  createdAt: groups.createdAt,
  updatedAt: groups.updatedAt,
  archivedAt: groups.archivedAt,
  memberCount: sql<number>`(SELECT count(*) FROM group_members WHERE group_members.group_id = ${groups.id})`,
};

export function toGroup(row: GroupRow & { memberCount: number }): Group {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    archived: row.archivedAt !== null,
    archivedAt: row.archivedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    memberCount: Number(row.memberCount),
  };
}

export const groupNotFound = () => new AppError("NOT_FOUND", "There is no such group in this organization.");

/** The group with its member count; NOT_FOUND when this organization has no such group. */
export async function loadGroup(db: TenantDb, id: string): Promise<Group> {
  const [row] = await db.select(groupColumns).from(groups).where(eq(groups.id, id)).limit(1);
  if (!row) throw groupNotFound();
  return toGroup(row);
}

/** The group row, for a change; NOT_FOUND when missing, CONFLICT when archived (restore it first). */
export async function loadChangeableGroup(db: TenantDb, id: string): Promise<GroupRow> {
  const row = await db.query.groups.findFirst({ where: eq(groups.id, id) });
  if (!row) throw groupNotFound();
  if (row.archivedAt) {
    throw new AppError("CONFLICT", "This group is archived. Restore it before changing it.", {
      reason: "group_archived",
    });
  }
  return row;
}

/** Group names are unique in an organization regardless of case. */
export async function assertNameFree(db: TenantDb, name: string, exceptId?: string): Promise<void> {
  const [clash] = await db
    .select({ id: groups.id })
    .from(groups)
    .where(and(sql`lower(${groups.name}) = lower(${name})`, exceptId ? ne(groups.id, exceptId) : undefined))
    .limit(1);
  if (clash) throw nameTaken(name);
}

export function nameTaken(name: string) {
  return new AppError("CONFLICT", `There is already a group named "${name}".`, {
    fieldErrors: { name: ["Another group has this name"] },
    reason: "name_taken",
  });
}
