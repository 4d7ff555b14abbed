import { eq, inArray } from "drizzle-orm";
import type { ControlDb, TenantDb } from "../../../../db/client";
import { sharedProjects } from "../../../../db/control/schema";
import { groups, projects } from "../../../../db/tenant/schema";
import { AppError } from "../../../../shared/errors";
import type { ProjectRef } from "../../../../shared/schemas/issue-extras";

/**
 * A project issues can be filed in: one of the organization's own (its `projects` table) or a shared
 * project of the root scope (the control database's `shared_projects`). Anything else — including another
 * organization's project id — is NOT_FOUND; an archived project is refused. See ADR 0011.
 */
export async function assertProjectUsable(
  db: TenantDb,
  control: ControlDb,
  ref: ProjectRef,
  field = "defaultProject.id",
): Promise<void> {
  const [row] =
    ref.scope === "tenant"
      ? await db
          .select({ archivedAt: projects.archivedAt })
          .from(projects)
          .where(eq(projects.id, ref.id))
          .limit(1)
      : await control
          .select({ archivedAt: sharedProjects.archivedAt })
          .from(sharedProjects)
          .where(eq(sharedProjects.id, ref.id))
          .limit(1);
  if (!row) {
    throw new AppError("NOT_FOUND", "There is no such project for this organization.", {
      fieldErrors: { [field]: ["No such project"] },
    });
  }
  if (row.archivedAt) {
    throw new AppError("BAD_REQUEST", "That project is archived. Choose another one.", {
      fieldErrors: { [field]: ["This project is archived"] },
    });
  }
}

/** A group of this organization that is not archived, for default assignment; NOT_FOUND otherwise. */
export async function assertGroupUsable(db: TenantDb, id: string, field = "defaultAssigneeGroupId") {
  const [row] = await db
    .select({ archivedAt: groups.archivedAt })
    .from(groups)
    .where(eq(groups.id, id))
    .limit(1);
  if (!row) {
    throw new AppError("NOT_FOUND", "There is no such group in this organization.", {
      fieldErrors: { [field]: ["No such group"] },
    });
  }
  if (row.archivedAt) {
    throw new AppError("BAD_REQUEST", "That group is archived. Choose another one.", {
      fieldErrors: { [field]: ["This group is archived"] },
    });
  }
}

/** Names of the projects and groups request types point at (null for ones that have gone). */
export async function referenceNames(
  db: TenantDb,
  control: ControlDb,
  wanted: { tenantProjects: string[]; sharedProjects: string[]; groups: string[] },
) {
  const unique = (ids: string[]) => [...new Set(ids)];
  const [own, shared, groupRows] = await Promise.all([
    wanted.tenantProjects.length
      ? db
          .select({ id: projects.id, name: projects.name })
          .from(projects)
          .where(inArray(projects.id, unique(wanted.tenantProjects)))
      : [],
    wanted.sharedProjects.length
      ? control
          .select({ id: sharedProjects.id, name: sharedProjects.name })
          .from(sharedProjects)
          .where(inArray(sharedProjects.id, unique(wanted.sharedProjects)))
      : [],
    wanted.groups.length
      ? db
          .select({ id: groups.id, name: groups.name })
          .from(groups)
          .where(inArray(groups.id, unique(wanted.groups)))
      : [],
  ]);
  return {
    tenantProjects: new Map(own.map((r) => [r.id, r.name])),
    sharedProjects: new Map(shared.map((r) => [r.id, r.name])),
    groups: new Map(groupRows.map((r) => [r.id, r.name])),
  };
}
