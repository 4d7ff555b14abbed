import { auditBy, auditRow } from "../../../../db/audit";
import type { UserContext } from "../../../../db/context";
import { auditLog, issueComments, issueHistory } from "../../../../db/tenant/schema";
import { newId } from "../../../../shared/ids";
import { type CreateCommentInput, createCommentInput } from "../../../../shared/schemas/issue-extras";
import { relatedHistoryRow } from "../activity/history";
import { issueLabel, loadOpenIssue, summarize } from "../activity/issues";
import { autoWatch } from "../issues/notices";
import { notify, notifyWatchers } from "../notifications/notify";
import { commentHistoryValue } from "./history";
import { mentionedMembers } from "./mentions";
import { toComment } from "./views";

/**
 * Adds a comment to an issue, with its history row and audit entry, and in the same batch notifies the
 * active members it mentions (`mentioned`) and the issue's other watchers (`watched_change`) — never the
 * author — who becomes a watcher of the issue. Then the people mentioned are emailed (`ctx.mail`), without
 * the comment's text.
 */
export async function createComment(ctx: UserContext, raw: CreateCommentInput) {
  const input = createCommentInput.parse(raw);
  const { db, actor } = ctx;
  const issue = await loadOpenIssue(db, input.issueId);
  const [shown] = await summarize(db, ctx.control, [issue]);
  const label = issueLabel(shown!);
  const mentioned = await mentionedMembers(ctx.control, ctx.tenant.id, input.body);
  const now = new Date();
  const row = {
    id: newId(),
    issueId: issue.id,
    authorId: actor.userId,
    body: input.body,
    visibility: input.visibility,
    createdAt: now,
    editedAt: null,
    deletedAt: null,
  };
  const watchers = await notifyWatchers(db, issue.id, actor.userId, `${actor.name} commented on ${label}`, {
    except: mentioned,
    at: now,
  });
  await db.batch([
    db.insert(issueComments).values(row),
    db
      .insert(issueHistory)
      .values(relatedHistoryRow(issue.id, actor, "comment", { after: commentHistoryValue(row, true) }, now)),
    db.insert(auditLog).values(
      auditRow(
        auditBy(ctx, "issue_comment", row.id, {
          action: "issue_comment.created",
          after: { issueId: issue.id, body: row.body, visibility: row.visibility },
        }),
        now,
      ),
    ),
    ...notify(
      db,
      {
        userIds: mentioned,
        kind: "mentioned",
        issueId: issue.id,
        actorId: actor.userId,
        summary: `${actor.name} mentioned you on ${label}`,
      },
      now,
    ),
    ...watchers,
    ...autoWatch(db, issue.id, [actor.userId], now),
  ]);
  const about = { id: issue.id, key: shown!.key, title: issue.title };
  await ctx.mail?.send([...mentioned].map((userId) => ({ kind: "mentioned", userId, issue: about })));
  return toComment(row, new Map([[actor.userId, { name: actor.name }]]));
}
