import { and, eq, or } from "drizzle-orm";
import { auditBy, auditRow } from "../../../../db/audit";
import type { UserContext } from "../../../../db/context";
import { isUniqueViolation } from "../../../../db/errors";
import { auditLog, issueHistory, issueLinks } from "../../../../db/tenant/schema";
import { AppError } from "../../../../shared/errors";
import { newId } from "../../../../shared/ids";
import {
  type CreateLinkInput,
  createLinkInput,
  type IssueLink,
} from "../../../../shared/schemas/issue-extras";
import { relatedHistoryRow } from "../activity/history";
import { issueLabel, loadOpenIssue, summarize } from "../activity/issues";
import { notifyWatchers } from "../notifications/notify";

function duplicate() {
  return new AppError("CONFLICT", "These issues are already linked this way.", {
    fieldErrors: { toIssueId: ["Already linked this way"] },
    reason: "link_exists",
  });
}

/**
 * Links two issues of this organization (`from` <kind> `to`). An issue is never linked to itself; the same
 * link twice is a CONFLICT (`relates_to` counts in both directions, the others are directed, so "A blocks
 * B" and "B blocks A" may both exist). A history row goes on both issues, and their watchers are told.
 */
export async function createLink(ctx: UserContext, raw: CreateLinkInput): Promise<IssueLink> {
  const input = createLinkInput.parse(raw);
  const { db, actor } = ctx;
  const from = await loadOpenIssue(db, input.fromIssueId);
  const to = await loadOpenIssue(db, input.toIssueId);
  const [fromShown, toShown] = await summarize(db, ctx.control, [from, to]);
  const sameWay = and(eq(issueLinks.fromIssueId, from.id), eq(issueLinks.toIssueId, to.id));
  const [existing] = await db
    .select({ id: issueLinks.id })
    .from(issueLinks)
    .where(
      and(
        eq(issueLinks.kind, input.kind),
        input.kind === "relates_to"
          ? or(sameWay, and(eq(issueLinks.fromIssueId, to.id), eq(issueLinks.toIssueId, from.id)))
          : sameWay,
      ),
    )
    .limit(1);
  if (existing) throw duplicate();
  const now = new Date();
  const row = {
    id: newId(),
    fromIssueId: from.id,
    toIssueId: to.id,
    kind: input.kind,
    createdById: actor.userId,
    createdAt: now,
  };
  const [fromWatchers, toWatchers] = await Promise.all([
    notifyWatchers(
      db,
      from.id,
      actor.userId,
      `${actor.name} linked ${issueLabel(fromShown!)} to ${issueLabel(toShown!)}`,
      {
        at: now,
      },
    ),
    notifyWatchers(
      db,
      to.id,
      actor.userId,
      `${actor.name} linked ${issueLabel(toShown!)} to ${issueLabel(fromShown!)}`,
      {
        at: now,
      },
    ),
  ]);
  try {
    await db.batch([
      db.insert(issueLinks).values(row),
      db.insert(issueHistory).values([
        relatedHistoryRow(
          from.id,
          actor,
          "link",
          {
            after: { id: row.id, kind: row.kind, direction: "outgoing", issueId: to.id, number: to.number },
          },
          now,
        ),
        relatedHistoryRow(
          to.id,
          actor,
          "link",
          {
            after: {
              id: row.id,
              kind: row.kind,
              direction: "incoming",
              issueId: from.id,
              number: from.number,
            },
          },
          now,
        ),
      ]),
      db.insert(auditLog).values(
        auditRow(
          auditBy(ctx, "issue_link", row.id, {
            action: "issue_link.created",
            after: { fromIssueId: from.id, toIssueId: to.id, kind: row.kind },
          }),
          now,
        ),
      ),
      ...fromWatchers,
      ...toWatchers,
    ]);
  } catch (error) {
    if (isUniqueViolation(error, "issue_links")) throw duplicate();
    throw error;
  }
  return {
    id: row.id,
    kind: row.kind,
    direction: "outgoing",
    issue: toShown!,
    createdBy: { id: actor.userId, name: actor.name },
    createdAt: now.toISOString(),
  };
}
