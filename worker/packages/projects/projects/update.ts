import { and, eq, isNotNull, isNull } from "drizzle-orm";
import { auditBy, auditIfChanged, auditRow } from "../../../../db/audit";
import type { ServiceContext } from "../../../../db/context";
import { auditLog, projects } from "../../../../db/tenant/schema";
import { AppError } from "../../../../shared/errors";
import {
  type Project,
  type UpdateProjectInput,
  updateProjectInput,
} from "../../../../shared/schemas/projects";
import { assertGroup } from "../references";
import { loadTenantProjectRow, toProject } from "./views";

const archivedProject = () =>
  new AppError("CONFLICT", "This project is archived. Restore it before changing it.", {
    reason: "project_archived",
  });

/** Renames one of the organization's projects or changes its description or default group. */
export async function updateProject(ctx: ServiceContext, raw: UpdateProjectInput): Promise<Project> {
  const input = updateProjectInput.parse(raw);
  const { db } = ctx;
  const current = await loadTenantProjectRow(db, input.id);
  if (current.archivedAt) throw archivedProject();
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const set: Partial<typeof projects.$inferInsert> = {};
  if (input.name !== undefined && input.name !== current.name) {
    before.name = current.name;
    set.name = after.name = input.name;
  }
  const description = input.description === undefined ? undefined : input.description || null;
  if (description !== undefined && description !== current.description) {
    before.description = current.description;
    set.description = after.description = description;
  }
  const group = input.defaultAssigneeGroupId;
  if (group !== undefined && group !== current.defaultAssigneeGroupId) {
    if (group) await assertGroup(db, group, "defaultAssigneeGroupId");
    before.defaultAssigneeGroupId = current.defaultAssigneeGroupId;
    set.defaultAssigneeGroupId = after.defaultAssigneeGroupId = group;
  }
  if (Object.keys(set).length === 0) return toProject(current, "tenant");
  const now = new Date();
  await db.batch([
    db
      .update(projects)
      .set({ ...set, updatedAt: now })
      .where(eq(projects.id, current.id)),
    db
      .insert(auditLog)
      .values(
        auditRow(auditBy(ctx, "project", current.id, { action: "project.updated", before, after }), now),
      ),
  ]);
  return toProject(await loadTenantProjectRow(db, current.id), "tenant");
}

/**
 * Archives one of the organization's projects (its issues stay; no new issue can be filed in it) or
 * restores it. Doing either to a project already in that state changes nothing.
 */
export async function setProjectArchived(
  ctx: ServiceContext,
  id: string,
  archived: boolean,
): Promise<Project> {
  const { db } = ctx;
  const current = await loadTenantProjectRow(db, id);
  const now = new Date();
  await db.batch([
    db
      .update(projects)
      .set({ archivedAt: archived ? now : null, updatedAt: now })
      .where(
        and(
          eq(projects.id, current.id),
          archived ? isNull(projects.archivedAt) : isNotNull(projects.archivedAt),
        ),
      ),
    auditIfChanged(
      db,
      auditBy(ctx, "project", current.id, {
        action: archived ? "project.archived" : "project.restored",
        before: { archivedAt: current.archivedAt?.toISOString() ?? null },
        after: { archivedAt: archived ? now.toISOString() : null },
      }),
      now,
    ),
  ]);
  return toProject(await loadTenantProjectRow(db, current.id), "tenant");
}
