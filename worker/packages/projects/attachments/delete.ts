import { and, eq, isNull } from "drizzle-orm";
import { auditBy, auditIfChanged } from "../../../../db/audit";
import { allows, type UserContext } from "../../../../db/context";
import { issueAttachments } from "../../../../db/tenant/schema";
import { AppError } from "../../../../shared/errors";
import { describeError } from "../../../log";
import { historyIfChanged, relatedHistoryRow } from "../activity/history";
import { loadAttachment } from "./views";

/**
 * Removes an attachment: its uploader or a projects administrator may. The row is kept, marked deleted
 * (for history and audit), with a history row on the issue; then the bytes are deleted from R2.
 */
export async function deleteAttachment(ctx: UserContext, params: { bucket: R2Bucket; id: string }) {
  const { db, actor } = ctx;
  const row = await loadAttachment(db, params.id);
  if (row.uploadedById !== actor.userId && !allows(ctx, "projects.admin")) {
    throw new AppError("FORBIDDEN", "Only the person who attached a file or an administrator can remove it.");
  }
  const now = new Date();
  // Guarded chain: when a concurrent delete got there first, nothing below the update is written.
  await db.batch([
    db
      .update(issueAttachments)
      .set({ deletedAt: now })
      .where(and(eq(issueAttachments.id, row.id), isNull(issueAttachments.deletedAt))),
    historyIfChanged(
      db,
      relatedHistoryRow(
        row.issueId,
        actor,
        "attachment",
        { before: { id: row.id, filename: row.filename, size: row.size, contentType: row.contentType } },
        now,
      ),
    ),
    auditIfChanged(
      db,
      auditBy(ctx, "issue_attachment", row.id, {
        action: "issue_attachment.deleted",
        before: { issueId: row.issueId, filename: row.filename, size: row.size, sha256: row.sha256 },
        after: { deletedAt: now.toISOString() },
      }),
      now,
    ),
  ]);
  try {
    await params.bucket.delete(row.r2Key);
  } catch (error) {
    ctx.log.warn("attachment bytes could not be deleted", { key: row.r2Key, ...describeError(error) });
  }
  return { id: row.id, deleted: true as const };
}
