import { and, eq, isNull } from "drizzle-orm";
import { auditRow } from "../../../../db/audit";
import type { ControlDb, TenantDb } from "../../../../db/client";
import { auditLog, issueComments } from "../../../../db/tenant/schema";
import { AppError } from "../../../../shared/errors";
import { type UpdateCommentInput, updateCommentInput } from "../../../../shared/schemas/issue-extras";
import { type IssueActor, issueAudit } from "../activity/actor";
import { issueLabel, loadOpenIssue, summarize } from "../activity/issues";
import { notify } from "../notifications/notify";
import { mentionedMembers } from "./mentions";
import { loadLiveComment, toComment } from "./views";

/**
 * Changes a comment's text (and visibility): its author only, and only while it is not deleted. Sets
 * `editedAt`. People newly mentioned by the edit are notified; those mentioned before are not again.
 */
export async function updateComment(
  db: TenantDb,
  params: { control: ControlDb; actor: IssueActor; input: UpdateCommentInput },
) {
  const input = updateCommentInput.parse(params.input);
  const { actor } = params;
  const current = await loadLiveComment(db, input.id);
  if (current.authorId !== actor.userId) {
    throw new AppError("FORBIDDEN", "Only the author of a comment can edit it.");
  }
  const issue = await loadOpenIssue(db, current.issueId);
  const visibility = input.visibility ?? current.visibility;
  if (input.body === current.body && visibility === current.visibility) {
    return toComment(current, new Map([[actor.userId, { name: actor.name }]]));
  }
  const [shown] = await summarize(db, params.control, [issue]);
  const [before, after] = await Promise.all([
    mentionedMembers(params.control, actor.tenantId, current.body),
    mentionedMembers(params.control, actor.tenantId, input.body),
  ]);
  const now = new Date();
  const [updated] = await db.batch([
    db
      .update(issueComments)
      .set({ body: input.body, visibility, editedAt: now })
      .where(and(eq(issueComments.id, current.id), isNull(issueComments.deletedAt)))
      .returning(),
    db.insert(auditLog).values(
      auditRow(
        issueAudit(actor, "issue_comment", current.id, {
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
        userIds: [...after].filter((id) => !before.has(id)),
        kind: "mentioned",
        issueId: issue.id,
        actorId: actor.userId,
        summary: `${actor.name} mentioned you on ${issueLabel(shown!)}`,
      },
      now,
    ),
  ]);
  const row = updated[0];
  if (!row) throw new AppError("CONFLICT", "This comment was deleted while you were editing it.");
  return toComment(row, new Map([[actor.userId, { name: actor.name }]]));
}
