import { and, eq, sql } from "drizzle-orm";
import type { ControlDb } from "../../../../db/client";
import type { ServiceContext } from "../../../../db/context";
import { sharedIssueIndex } from "../../../../db/control/schema";
import type { ProjectRef } from "../../../../shared/schemas/projects";
import { describeError } from "../../../log";
import type { IssueListRow } from "./rows";
import { issueKey } from "./views";

/** The columns of an issue its desk summary is made of. */
export type SummarySource = Pick<
  IssueListRow,
  "id" | "projectId" | "number" | "title" | "type" | "status" | "priority" | "updatedAt"
>;

export type SharedIndexChange =
  | { kind: "upsert"; row: IssueListRow; project: ProjectRef }
  | { kind: "remove"; issueId: string };

/** One row of the root desk's index: what the desk shows of a shared-project issue. */
export type SharedIssueSummary = typeof sharedIssueIndex.$inferInsert;

/**
 * Whether an issue belongs on the root desk: filed in a shared project and not archived (archiving takes
 * it off the desk, restoring puts it back). The desk repair (../desk/reindex.ts) applies the same rule.
 */
export const belongsOnDesk = (row: { projectScope: string; archivedAt: Date | null }) =>
  row.projectScope === "shared" && row.archivedAt === null;

/** The desk's summary of an organization's issue in `project` (e.g. number TECH-42). */
export function sharedIssueSummary(
  tenantId: string,
  row: SummarySource,
  project: Pick<ProjectRef, "key">,
): SharedIssueSummary {
  return {
    tenantId,
    issueId: row.id,
    projectId: row.projectId,
    number: issueKey(project, row.number),
    title: row.title,
    type: row.type,
    status: row.status,
    priority: row.priority,
    updatedAt: row.updatedAt,
  };
}

/**
 * Inserts the summaries or replaces the rows already there. With `keepNewer`, a row whose `updatedAt` is
 * later than the summary's is left alone: a repair that read the issue before a live write must not
 * overwrite the newer summary that write has since put there.
 */
export function upsertSummaries(
  control: ControlDb,
  summaries: readonly SharedIssueSummary[],
  options: { keepNewer?: boolean } = {},
) {
  return control
    .insert(sharedIssueIndex)
    .values([...summaries])
    .onConflictDoUpdate({
      target: [sharedIssueIndex.tenantId, sharedIssueIndex.issueId],
      set: {
        projectId: sql`excluded.project_id`,
        number: sql`excluded.number`,
        title: sql`excluded.title`,
        type: sql`excluded.type`,
        status: sql`excluded.status`,
        priority: sql`excluded.priority`,
        updatedAt: sql`excluded.updated_at`,
      },
      ...(options.keepNewer ? { setWhere: sql`${sharedIssueIndex.updatedAt} <= excluded.updated_at` } : {}),
    });
}

/**
 * Brings the root desk's index (control database) in line with shared-project issues just written in the
 * organization's database. The organization's row is authoritative and already committed: when this second
 * write fails, a warning is logged, the request still succeeds, and `projects.desk.reindex` is enqueued for
 * the organization (when the context can enqueue) to rebuild its rows from its own database; until then the
 * desk shows the previous summary. A daily `projects.desk.reindex-all` heals whatever was missed (ADR 0011).
 */
export async function syncSharedIndex(
  ctx: ServiceContext,
  changes: readonly SharedIndexChange[],
): Promise<void> {
  const relevant = changes.filter((c) => c.kind === "remove" || c.project.scope === "shared");
  if (relevant.length === 0) return;
  const { control } = ctx;
  const statements = relevant.map((c) =>
    c.kind === "remove"
      ? control
          .delete(sharedIssueIndex)
          .where(and(eq(sharedIssueIndex.tenantId, ctx.tenant.id), eq(sharedIssueIndex.issueId, c.issueId)))
      : upsertSummaries(control, [sharedIssueSummary(ctx.tenant.id, c.row, c.project)]),
  );
  try {
    await control.batch(statements as [(typeof statements)[number], ...typeof statements]);
  } catch (error) {
    ctx.log.warn("shared issue index not updated; the desk shows the previous summary", {
      tenantId: ctx.tenant.id,
      issueIds: relevant.map((c) => (c.kind === "remove" ? c.issueId : c.row.id)),
      ...describeError(error),
    });
    await requestDeskRepair(ctx);
  }
}

/** Enqueues the desk repair for the context's organization; a failure to enqueue is only logged. */
async function requestDeskRepair(ctx: ServiceContext): Promise<void> {
  if (!ctx.enqueue) return;
  const tenantId = ctx.tenant.id;
  try {
    await ctx.enqueue({ kind: "projects.desk.reindex", tenantId });
  } catch (error) {
    ctx.log.warn("desk repair not enqueued; the daily reindex will repair the desk", {
      tenantId,
      ...describeError(error),
    });
  }
}
