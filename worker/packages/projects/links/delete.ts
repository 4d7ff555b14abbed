import { eq, inArray } from "drizzle-orm";
import { auditBy, auditIfChanged } from "../../../../db/audit";
import type { UserContext } from "../../../../db/context";
import { issueLinks, issues } from "../../../../db/tenant/schema";
import { AppError } from "../../../../shared/errors";
import { historyIfChanged, relatedHistoryRow } from "../activity/history";

/** Removes a link between two issues, with a history row on both and an audit entry. */
export async function deleteLink(ctx: UserContext, id: string) {
  const { db, actor } = ctx;
  const link = await db.query.issueLinks.findFirst({ where: eq(issueLinks.id, id) });
  if (!link) throw new AppError("NOT_FOUND", "There is no such link in this organization.");
  const numbers = await db
    .select({ id: issues.id, number: issues.number })
    .from(issues)
    .where(inArray(issues.id, [link.fromIssueId, link.toIssueId]));
  const numberOf = (id: string) => numbers.find((n) => n.id === id)?.number ?? null;
  const now = new Date();
  // Guarded chain: when a concurrent delete got there first, nothing below the delete is written.
  await db.batch([
    db.delete(issueLinks).where(eq(issueLinks.id, link.id)),
    historyIfChanged(
      db,
      relatedHistoryRow(
        link.fromIssueId,
        actor,
        "link",
        {
          before: {
            id: link.id,
            kind: link.kind,
            direction: "outgoing",
            issueId: link.toIssueId,
            number: numberOf(link.toIssueId),
          },
        },
        now,
      ),
    ),
    historyIfChanged(
      db,
      relatedHistoryRow(
        link.toIssueId,
        actor,
        "link",
        {
          before: {
            id: link.id,
            kind: link.kind,
            direction: "incoming",
            issueId: link.fromIssueId,
            number: numberOf(link.fromIssueId),
          },
        },
        now,
      ),
    ),
    auditIfChanged(
      db,
      auditBy(ctx, "issue_link", link.id, {
        action: "issue_link.deleted",
        before: { fromIssueId: link.fromIssueId, toIssueId: link.toIssueId, kind: link.kind },
      }),
      now,
    ),
  ]);
  return { id: link.id, deleted: true as const };
}
