import { eq, inArray, isNull } from "drizzle-orm";
import type { ControlDb, TenantDb } from "../../../../db/client";
import { sharedProjects } from "../../../../db/control/schema";
import { groups, projects } from "../../../../db/tenant/schema";
import { AppError } from "../../../../shared/errors";
import type { Project, ProjectRef, ProjectScope } from "../../../../shared/schemas/projects";

export type ProjectRow = typeof projects.$inferSelect;
export type SharedProjectRow = typeof sharedProjects.$inferSelect;

export function toProject(row: ProjectRow | SharedProjectRow, scope: ProjectScope): Project {
  return {
    scope,
    id: row.id,
    key: row.key,
    name: row.name,
    description: row.description,
    defaultAssigneeGroupId: "defaultAssigneeGroupId" in row ? row.defaultAssigneeGroupId : null,
    defaultAssigneeGroup:
      "defaultAssigneeGroupId" in row && row.defaultAssigneeGroupId
        ? { id: row.defaultAssigneeGroupId, name: null }
        : null,
    archived: row.archivedAt !== null,
    archivedAt: row.archivedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Projects with their default groups' names (one query). */
export async function withGroupNames(db: TenantDb, items: Project[]): Promise<Project[]> {
  const ids = [
    ...new Set(items.flatMap((p) => (p.defaultAssigneeGroupId ? [p.defaultAssigneeGroupId] : []))),
  ];
  if (ids.length === 0) return items;
  const rows = await db
    .select({ id: groups.id, name: groups.name })
    .from(groups)
    .where(inArray(groups.id, ids));
  const names = new Map(rows.map((g) => [g.id, g.name]));
  return items.map((p) =>
    p.defaultAssigneeGroup
      ? {
          ...p,
          defaultAssigneeGroup: {
            id: p.defaultAssigneeGroup.id,
            name: names.get(p.defaultAssigneeGroup.id) ?? null,
          },
        }
      : p,
  );
}

/** One project with its default group's name. */
export async function withGroupName(db: TenantDb, project: Project | Promise<Project>): Promise<Project> {
  const [named] = await withGroupNames(db, [await project]);
  return named as Project;
}

export const projectNotFound = () =>
  new AppError("NOT_FOUND", "There is no such project in this organization.", {
    fieldErrors: { projectId: ["No such project"] },
  });

/**
 * The project a request names: one of the organization's own (its database) or a shared project of the
 * root scope (the control database). Anything else — another organization's project included, since it
 * is not in this database — answers NOT_FOUND.
 */
export async function loadProject(
  db: TenantDb,
  control: ControlDb,
  scope: ProjectScope,
  id: string,
): Promise<Project> {
  if (scope === "tenant") {
    const [row] = await db.select().from(projects).where(eq(projects.id, id)).limit(1);
    if (!row) throw projectNotFound();
    return toProject(row, "tenant");
  }
  const [row] = await control.select().from(sharedProjects).where(eq(sharedProjects.id, id)).limit(1);
  if (!row) throw projectNotFound();
  return toProject(row, "shared");
}

/** The organization's own project row, for a change; NOT_FOUND when it has none by that id. */
export async function loadTenantProjectRow(db: TenantDb, id: string): Promise<ProjectRow> {
  const [row] = await db.select().from(projects).where(eq(projects.id, id)).limit(1);
  if (!row) throw projectNotFound();
  return row;
}

export const refKey = (scope: string, id: string) => `${scope}:${id}`;

/** Key and name of each project named (at most two queries), keyed by refKey(scope, id). */
export async function projectRefsOf(
  db: TenantDb,
  control: ControlDb,
  refs: readonly { scope: ProjectScope; id: string }[],
): Promise<Map<string, ProjectRef>> {
  const out = new Map<string, ProjectRef>();
  const tenantIds = [...new Set(refs.filter((r) => r.scope === "tenant").map((r) => r.id))];
  const sharedIds = [...new Set(refs.filter((r) => r.scope === "shared").map((r) => r.id))];
  const columns = (t: typeof projects | typeof sharedProjects) => ({ id: t.id, key: t.key, name: t.name });
  const [own, shared] = await Promise.all([
    tenantIds.length
      ? db.select(columns(projects)).from(projects).where(inArray(projects.id, tenantIds))
      : [],
    sharedIds.length
      ? control
          .select(columns(sharedProjects))
          .from(sharedProjects)
          .where(inArray(sharedProjects.id, sharedIds))
      : [],
  ]);
  for (const p of own) out.set(refKey("tenant", p.id), { scope: "tenant", ...p });
  for (const p of shared) out.set(refKey("shared", p.id), { scope: "shared", ...p });
  return out;
}

/** The ref for a project that has disappeared (never expected: projects are archived, not deleted). */
export const unknownProject = (scope: ProjectScope, id: string): ProjectRef => ({
  scope,
  id,
  key: "?",
  name: "Unknown project",
});

/** Live shared projects of the root scope, by name. */
export async function listSharedProjects(control: ControlDb, includeArchived: boolean) {
  return control
    .select()
    .from(sharedProjects)
    .where(includeArchived ? undefined : isNull(sharedProjects.archivedAt))
    .orderBy(sharedProjects.name, sharedProjects.id);
}

/** A shared project's key, if `key` is one (tenant keys must differ from them). */
export async function sharedKeyTaken(control: ControlDb, key: string): Promise<boolean> {
  const [row] = await control
    .select({ id: sharedProjects.id })
    .from(sharedProjects)
    .where(eq(sharedProjects.key, key))
    .limit(1);
  return Boolean(row);
}
