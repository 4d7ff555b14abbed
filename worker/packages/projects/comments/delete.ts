import { and, eq, isNull } from "drizzle-orm";
import { auditBy, auditIfChanged } from "../../../../db/audit";
import { allows, type UserContext } from "../../../../db/context";
import { issueComments } from "../../../../db/tenant/schema";
import { AppError } from "../../../../shared/errors";
import { historyIfChanged, relatedHistoryRow } from "../activity/history";
import { commentHistoryValue } from "./history";
import { loadLiveComment } from "./views";

/**
 * Deletes a comment softly: it stays in the thread as "deleted", without its text. Its author or a
 * projects administrator may do it. The issue's history records the deletion (`comment`, before: id and
 * visibility, no excerpt — the text is what a deletion takes away; after: null); the audit entry keeps the
 * text for administrators.
 */
export async function deleteComment(ctx: UserContext, id: string) {
  const { db, actor } = ctx;
  const current = await loadLiveComment(db, id);
  if (current.authorId !== actor.userId && !allows(ctx, "projects.admin")) {
    throw new AppError("FORBIDDEN", "Only the author of a comment or an administrator can delete it.");
  }
  const now = new Date();
  // Guarded chain: when a concurrent delete got there first, nothing below the update is written.
  await db.batch([
    db
      .update(issueComments)
      .set({ deletedAt: now })
      .where(and(eq(issueComments.id, current.id), isNull(issueComments.deletedAt))),
    historyIfChanged(
      db,
      relatedHistoryRow(
        current.issueId,
        actor,
        "comment",
        { before: commentHistoryValue(current, false), after: null },
        now,
      ),
    ),
    auditIfChanged(
      db,
      auditBy(ctx, "issue_comment", current.id, {
        action: "issue_comment.deleted",
        before: { issueId: current.issueId, body: current.body, visibility: current.visibility },
        after: { deletedAt: now.toISOString() },
      }),
      now,
    ),
  ]);
  return { id: current.id, deleted: true as const };
}
