import type { Issue } from "../../../../shared/schemas/issues";
import type { ProjectRef } from "../../../../shared/schemas/projects";
import type { ProjectsContext } from "../actor";
import { projectRefsOf, refKey, unknownProject } from "../projects/views";
import { type IssueRow, loadIssueRow } from "./rows";
import { toIssue } from "./views";

/** The project an issue is filed in, as a ref (key and name). */
export async function projectOfIssue(
  ctx: Pick<ProjectsContext, "db" | "control">,
  row: Pick<IssueRow, "projectScope" | "projectId">,
): Promise<ProjectRef> {
  const refs = await projectRefsOf(ctx.db, ctx.control, [{ scope: row.projectScope, id: row.projectId }]);
  return refs.get(refKey(row.projectScope, row.projectId)) ?? unknownProject(row.projectScope, row.projectId);
}

/** One issue of the organization, with its reference (e.g. TECH-42), SLA state now and next statuses. */
export async function getIssue(
  ctx: Pick<ProjectsContext, "db" | "control">,
  id: string,
  now = new Date(),
): Promise<Issue> {
  const row = await loadIssueRow(ctx.db, id);
  return toIssue(row, await projectOfIssue(ctx, row), now);
}
