import { and, eq } from "drizzle-orm";
import type { ServiceContext, UserContext } from "../../../../db/context";
import { users } from "../../../../db/control/schema";
import { schools } from "../../../../db/tenant/schema";
import { AppError } from "../../../../shared/errors";
import type { IssueFilters, SchoolRef } from "../../../../shared/schemas/issues";
import type { ProjectRef } from "../../../../shared/schemas/projects";
import { loadProject } from "../projects/views";

/** The remembered project, while it exists and is not archived. */
async function liveProject(
  ctx: Pick<ServiceContext, "db" | "control">,
  projectId: string | undefined,
): Promise<ProjectRef | null> {
  if (!projectId) return null;
  for (const scope of ["tenant", "shared"] as const) {
    try {
      const found = await loadProject(ctx.db, ctx.control, scope, projectId);
      return found.archived ? null : { scope, id: found.id, key: found.key, name: found.name };
    } catch (error) {
      if (!(error instanceof AppError && error.code === "NOT_FOUND")) throw error;
    }
  }
  return null;
}

/** The remembered school, while it is an open school of this organization. */
async function openSchool(
  ctx: Pick<ServiceContext, "db">,
  schoolId: string | undefined,
): Promise<SchoolRef | null> {
  if (!schoolId) return null;
  const [row] = await ctx.db
    .select({ id: schools.id, name: schools.name })
    .from(schools)
    .where(and(eq(schools.id, schoolId), eq(schools.status, "open")))
    .limit(1);
  return row ?? null;
}

/**
 * The caller's remembered project and school in this organization (system.profile.context:
 * users.preferences), as suggested list filters. The list never applies them by itself: the client prefills
 * its filters from this, so what is filtered is always visible and removable. Each is null when nothing is
 * remembered, or what was remembered is gone — a project archived, a school closed.
 */
export async function listDefaults(ctx: Pick<UserContext, "db" | "control" | "actor" | "tenant">) {
  const [user] = await ctx.control
    .select({ preferences: users.preferences })
    .from(users)
    .where(eq(users.id, ctx.actor.userId))
    .limit(1);
  const remembered = user?.preferences.contexts?.[ctx.tenant.id];
  const [project, school] = await Promise.all([
    liveProject(ctx, remembered?.projectId),
    openSchool(ctx, remembered?.schoolId),
  ]);
  const filters: Pick<IssueFilters, "projectScope" | "projectId"> & { schoolId?: string } = {};
  if (project) Object.assign(filters, { projectScope: project.scope, projectId: project.id });
  if (school) filters.schoolId = school.id;
  return { project, school, filters };
}
