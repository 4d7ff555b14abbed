import { eq } from "drizzle-orm";
import type { ServiceContext } from "../../../../db/context";
import { groups, schools } from "../../../../db/tenant/schema";
import type { Issue } from "../../../../shared/schemas/issues";
import type { ProjectRef } from "../../../../shared/schemas/projects";
import { peopleById, personRefOf } from "../activity/people";
import { projectRefsOf, refKey, unknownProject } from "../projects/views";
import { type IssueRow, loadIssueRow } from "./rows";
import { toIssue, unknownSchool } from "./views";

/** The project an issue is filed in, as a ref (key and name). */
export async function projectOfIssue(
  ctx: Pick<ServiceContext, "db" | "control">,
  row: Pick<IssueRow, "projectScope" | "projectId">,
): Promise<ProjectRef> {
  const refs = await projectRefsOf(ctx.db, ctx.control, [{ scope: row.projectScope, id: row.projectId }]);
  return refs.get(refKey(row.projectScope, row.projectId)) ?? unknownProject(row.projectScope, row.projectId);
}

/**
 * One issue of the organization, with its reference (e.g. TECH-42), SLA state now, next statuses and the
 * names of its requester, assignee, group and school.
 */
export async function getIssue(
  ctx: Pick<ServiceContext, "db" | "control">,
  id: string,
  now = new Date(),
): Promise<Issue> {
  const row = await loadIssueRow(ctx.db, id);
  const others = peopleNamedIn(row.details);
  const [project, people, group, school] = await Promise.all([
    projectOfIssue(ctx, row),
    peopleById(ctx.control, [row.requesterId, row.assigneeUserId, ...others]),
    row.assigneeGroupId
      ? ctx.db
          .select({ id: groups.id, name: groups.name })
          .from(groups)
          .where(eq(groups.id, row.assigneeGroupId))
          .limit(1)
      : [],
    row.schoolId
      ? ctx.db
          .select({ id: schools.id, name: schools.name })
          .from(schools)
          .where(eq(schools.id, row.schoolId))
          .limit(1)
      : [],
  ]);
  const named = (userId: string | null) => (userId ? personRefOf(people, userId) : null);
  return toIssue(row, project, now, {
    requester: named(row.requesterId),
    assignee: named(row.assigneeUserId),
    assigneeGroup: row.assigneeGroupId
      ? (group[0] ?? { id: row.assigneeGroupId, name: "Unknown group" })
      : null,
    school: row.schoolId ? (school[0] ?? unknownSchool(row.schoolId)) : null,
    others: others.map((userId) => personRefOf(people, userId)),
  });
}

/** The people an issue's details name besides requester and assignee (approver, action owners), once each. */
function peopleNamedIn(details: Record<string, unknown>): string[] {
  const ids = new Set<string>();
  if (typeof details.approverId === "string") ids.add(details.approverId);
  if (Array.isArray(details.actions)) {
    for (const action of details.actions as { ownerId?: unknown }[]) {
      if (typeof action?.ownerId === "string") ids.add(action.ownerId);
    }
  }
  return [...ids];
}
