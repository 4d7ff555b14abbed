import { and, eq, isNull } from "drizzle-orm";
import { auditIfChanged } from "../../../../db/audit";
import type { TenantDb } from "../../../../db/client";
import { issueComments } from "../../../../db/tenant/schema";
import { AppError } from "../../../../shared/errors";
import { type IssueActor, issueAudit } from "../activity/actor";
import { loadLiveComment } from "./views";

/**
 * Deletes a comment softly: it stays in the thread as "deleted", without its text. Its author or a
 * projects administrator may do it.
 */
export async function deleteComment(db: TenantDb, params: { actor: IssueActor; id: string }) {
  const { actor } = params;
  const current = await loadLiveComment(db, params.id);
  if (current.authorId !== actor.userId && !actor.isProjectAdmin) {
    throw new AppError("FORBIDDEN", "Only the author of a comment or an administrator can delete it.");
  }
  const now = new Date();
  await db.batch([
    db
      .update(issueComments)
      .set({ deletedAt: now })
      .where(and(eq(issueComments.id, current.id), isNull(issueComments.deletedAt))),
    auditIfChanged(
      db,
      issueAudit(actor, "issue_comment", current.id, {
        action: "issue_comment.deleted",
        before: { issueId: current.issueId, body: current.body, visibility: current.visibility },
        after: { deletedAt: now.toISOString() },
      }),
      now,
    ),
  ]);
  return { id: current.id, deleted: true as const };
}
