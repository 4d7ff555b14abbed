import { eq } from "drizzle-orm";
import { users } from "../../../../db/control/schema";
import { AppError } from "../../../../shared/errors";
import type { ProjectRef } from "../../../../shared/schemas/projects";
import type { ProjectsContext } from "../actor";
import { loadProject } from "../projects/views";

/**
 * The caller's remembered project in this organization (system.profile.context: users.preferences), as
 * suggested list filters. The list never applies it by itself: the client prefills its filters from this,
 * so what is filtered is always visible and removable. Null when nothing is remembered, or the project is
 * gone or archived.
 */
export async function listDefaults(ctx: Pick<ProjectsContext, "db" | "control" | "actor">) {
  const [user] = await ctx.control
    .select({ preferences: users.preferences })
    .from(users)
    .where(eq(users.id, ctx.actor.userId))
    .limit(1);
  const projectId = user?.preferences.contexts?.[ctx.actor.tenantId]?.projectId;
  let project: ProjectRef | null = null;
  if (projectId) {
    for (const scope of ["tenant", "shared"] as const) {
      try {
        const found = await loadProject(ctx.db, ctx.control, scope, projectId);
        if (!found.archived) project = { scope, id: found.id, key: found.key, name: found.name };
        break;
      } catch (error) {
        if (!(error instanceof AppError && error.code === "NOT_FOUND")) throw error;
      }
    }
  }
  return {
    project,
    filters: project ? { projectScope: project.scope, projectId: project.id } : {},
  };
}
