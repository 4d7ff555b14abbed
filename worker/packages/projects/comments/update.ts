import { and, eq, isNull, sql } from "drizzle-orm";
import { auditBy, auditRow } from "../../../../db/audit";
import type { UserContext } from "../../../../db/context";
import { auditLog, issueComments, issueHistory } from "../../../../db/tenant/schema";
import { AppError } from "../../../../shared/errors";
import { type UpdateCommentInput, updateCommentInput } from "../../../../shared/schemas/issue-extras";
import { relatedHistoryRow } from "../activity/history";
import { issueLabel, loadOpenIssue, summarize } from "../activity/issues";
import { failedAt } from "../issues/write";
import { notify } from "../notifications/notify";
import { commentHistoryValue } from "./history";
import { mentionedMembers } from "./mentions";
import { loadLiveComment, toComment } from "./views";

/**
 * Changes a comment's text (and visibility): its author only, and only while it is not deleted. Sets
 * `editedAt`, and writes in one batch the change, its history row on the issue (`comment`, before and
 * after: id, visibility and — only while the comment stays public — an excerpt; see ./history.ts), the
 * audit entry and mentions: people newly mentioned by the edit are notified; those mentioned before are
 * not again (the newly mentioned are emailed once it committed, without the comment's text). An edit
 * racing a deletion answers CONFLICT with nothing written.
 */
export async function updateComment(ctx: UserContext, raw: UpdateCommentInput) {
  const input = updateCommentInput.parse(raw);
  const { db, actor } = ctx;
  const current = await loadLiveComment(db, input.id);
  if (current.authorId !== actor.userId) {
    throw new AppError("FORBIDDEN", "Only the author of a comment can edit it.");
  }
  const issue = await loadOpenIssue(db, current.issueId);
  const visibility = input.visibility ?? current.visibility;
  if (input.body === current.body && visibility === current.visibility) {
    return toComment(current, new Map([[actor.userId, { name: actor.name }]]));
  }
  const [shown] = await summarize(db, ctx.control, [issue]);
  const [before, after] = await Promise.all([
    mentionedMembers(ctx.control, ctx.tenant.id, current.body),
    mentionedMembers(ctx.control, ctx.tenant.id, input.body),
  ]);
  const newlyMentioned = [...after].filter((id) => !before.has(id));
  const now = new Date();
  const next = { ...current, body: input.body, visibility, editedAt: now };
  // Excerpts only while the comment stays public: an edit that leaves it internal quotes neither side.
  const quote = visibility === "public";
  try {
    await db.batch([
      db
        .update(issueComments)
        .set({ body: next.body, visibility, editedAt: now })
        .where(and(eq(issueComments.id, current.id), isNull(issueComments.deletedAt))),
      // A concurrent delete got there first: fail the batch, so nothing below is written.
      db.run(sql`SELECT CASE WHEN changes() = 0 THEN json('comment deleted ' || changes()) END`),
      db
        .insert(issueHistory)
        .values(
          relatedHistoryRow(
            issue.id,
            actor,
            "comment",
            { before: commentHistoryValue(current, quote), after: commentHistoryValue(next, quote) },
            now,
          ),
        ),
      db.insert(auditLog).values(
        auditRow(
          auditBy(ctx, "issue_comment", current.id, {
            action: "issue_comment.updated",
            before: { body: current.body, visibility: current.visibility },
            after: { body: input.body, visibility },
          }),
          now,
        ),
      ),
      ...notify(
        db,
        {
          userIds: newlyMentioned,
          kind: "mentioned",
          issueId: issue.id,
          actorId: actor.userId,
          summary: `${actor.name} mentioned you on ${issueLabel(shown!)}`,
        },
        now,
      ),
    ]);
  } catch (error) {
    if (failedAt(error, 1))
      throw new AppError("CONFLICT", "This comment was deleted while you were editing it.");
    throw error;
  }
  const about = { id: issue.id, key: shown!.key, title: issue.title };
  await ctx.mail?.send(newlyMentioned.map((userId) => ({ kind: "mentioned", userId, issue: about })));
  return toComment(next, new Map([[actor.userId, { name: actor.name }]]));
}
