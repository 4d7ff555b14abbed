import { and, eq, isNull, sql } from "drizzle-orm";
import type { ServiceContext } from "../../../../db/context";
import { issues } from "../../../../db/tenant/schema";
import { issueTypes, priorities } from "../../../../shared/schemas/issue-model";
import {
  type IssueCounts,
  type IssueCountsInput,
  issueCountsInput,
} from "../../../../shared/schemas/projects";
import { statusDef } from "../../../../shared/schemas/workflows";
import { loadProject } from "../projects/views";

const zeros = <K extends string>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/**
 * How many live (not archived) issues the organization has, by status category, and of the open ones by
 * priority and by type: one grouped COUNT (on the project/status index when a project is named). A project
 * of another organization answers NOT_FOUND.
 */
export async function countIssues(ctx: ServiceContext, raw: IssueCountsInput): Promise<IssueCounts> {
  const input = issueCountsInput.parse(raw);
  if (input.projectScope && input.projectId) {
    await loadProject(ctx.db, ctx.control, input.projectScope, input.projectId);
  }
  const rows = await ctx.db
    .select({
      type: issues.type,
      status: issues.status,
      priority: issues.priority,
      n: sql<number>`count(*)`,
    })
    .from(issues)
    .where(
      and(
        input.projectScope ? eq(issues.projectScope, input.projectScope) : undefined,
        input.projectId ? eq(issues.projectId, input.projectId) : undefined,
        isNull(issues.archivedAt),
      ),
    )
    .groupBy(issues.type, issues.status, issues.priority);
  const counts: IssueCounts = {
    byStatusCategory: { open: 0, resolved: 0, closed: 0 },
    byPriority: zeros(priorities),
    byType: zeros(issueTypes),
    total: 0,
  };
  for (const row of rows) {
    const n = Number(row.n);
    const category = statusDef(row.type, row.status)?.category ?? "open";
    counts.byStatusCategory[category] += n;
    counts.total += n;
    if (category === "open") {
      counts.byPriority[row.priority] += n;
      counts.byType[row.type] += n;
    }
  }
  return counts;
}
