import { and, eq, sql } from "drizzle-orm";
import { sharedIssueIndex } from "../../../../db/control/schema";
import type { ProjectRef } from "../../../../shared/schemas/projects";
import { describeError } from "../../../log";
import type { ProjectsContext } from "../actor";
import type { IssueListRow } from "./rows";
import { issueKey } from "./views";

export type SharedIndexChange =
  | { kind: "upsert"; row: IssueListRow; project: ProjectRef }
  | { kind: "remove"; issueId: string };

/**
 * Brings the root desk's index (control database) in line with shared-project issues just written in the
 * organization's database. The organization's row is authoritative and already committed: when this second
 * write fails, it is logged as a warning and the desk shows the old summary until the issue changes again
 * (a repair job from the organization's database is planned; nothing is enqueued yet — ADR 0011/0012).
 */
export async function syncSharedIndex(
  ctx: ProjectsContext,
  changes: readonly SharedIndexChange[],
): Promise<void> {
  const relevant = changes.filter((c) => c.kind === "remove" || c.project.scope === "shared");
  if (relevant.length === 0) return;
  const { control, actor } = ctx;
  const statements = relevant.map((c) =>
    c.kind === "remove"
      ? control
          .delete(sharedIssueIndex)
          .where(and(eq(sharedIssueIndex.tenantId, actor.tenantId), eq(sharedIssueIndex.issueId, c.issueId)))
      : control
          .insert(sharedIssueIndex)
          .values({
            tenantId: actor.tenantId,
            issueId: c.row.id,
            projectId: c.row.projectId,
            number: issueKey(c.project, c.row.number),
            title: c.row.title,
            type: c.row.type,
            status: c.row.status,
            priority: c.row.priority,
            updatedAt: c.row.updatedAt,
          })
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
          }),
  );
  try {
    await control.batch(statements as [(typeof statements)[number], ...typeof statements]);
  } catch (error) {
    ctx.log.warn("shared issue index not updated; the desk shows the previous summary", {
      tenantId: actor.tenantId,
      issueIds: relevant.map((c) => (c.kind === "remove" ? c.issueId : c.row.id)),
      ...describeError(error),
    });
  }
}
