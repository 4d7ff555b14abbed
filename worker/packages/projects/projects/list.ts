import { asc, isNull } from "drizzle-orm";
import type { ControlDb, TenantDb } from "../../../../db/client";
import { projects } from "../../../../db/tenant/schema";
import { type ListProjectsInput, listProjectsInput, type Project } from "../../../../shared/schemas/projects";
import { listSharedProjects, toProject } from "./views";

/** The organization's own projects by name, then the root scope's shared projects by name. */
export async function listProjects(
  db: TenantDb,
  control: ControlDb,
  raw: ListProjectsInput,
): Promise<{ items: Project[] }> {
  const input = listProjectsInput.parse(raw);
  const [own, shared] = await Promise.all([
    db
      .select()
      .from(projects)
      .where(input.includeArchived ? undefined : isNull(projects.archivedAt))
      .orderBy(asc(projects.name), asc(projects.id)),
    listSharedProjects(control, input.includeArchived),
  ]);
  return {
    items: [...own.map((p) => toProject(p, "tenant")), ...shared.map((p) => toProject(p, "shared"))],
  };
}
