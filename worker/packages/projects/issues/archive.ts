import type { ServiceContext } from "../../../../db/context";
import type { Issue } from "../../../../shared/schemas/issues";
import { getIssue, projectOfIssue } from "./get";
import { loadIssueRow } from "./rows";
import { syncSharedIndex } from "./shared-index";
import { applyIssueChange } from "./write";

/**
 * Archives an issue (read-only, out of default lists and of the global search; history kept, taken off
 * the root desk) or restores it. Doing either to an issue already in that state changes nothing.
 */
export async function setIssueArchived(ctx: ServiceContext, id: string, archived: boolean): Promise<Issue> {
  const row = await loadIssueRow(ctx.db, id);
  if ((row.archivedAt !== null) === archived) return getIssue(ctx, row.id);
  const now = new Date();
  const project = await projectOfIssue(ctx, row);
  const next = await applyIssueChange(
    ctx,
    row,
    project,
    {
      set: { archivedAt: archived ? now : null },
      history: [{ field: "archivedAt", before: row.archivedAt, after: archived ? now : null }],
      action: archived ? "issue.archived" : "issue.restored",
    },
    now,
  );
  await syncSharedIndex(ctx, [
    archived ? { kind: "remove", issueId: row.id } : { kind: "upsert", row: next, project },
  ]);
  return getIssue(ctx, row.id, now);
}
