import { asc, eq, or } from "drizzle-orm";
import type { ControlDb, TenantDb } from "../../../../db/client";
import { issueLinks } from "../../../../db/tenant/schema";
import type { IssueLink } from "../../../../shared/schemas/issue-extras";
import { issueSummaries, loadIssue } from "../activity/issues";
import { peopleById, personRefOf } from "../activity/people";

/**
 * An issue's links in both directions, each with the other issue's number, title and status: `outgoing`
 * where this issue is the link's subject, `incoming` where the other one is. Oldest first.
 */
export async function listLinks(db: TenantDb, params: { control: ControlDb; issueId: string }) {
  const issue = await loadIssue(db, params.issueId);
  const rows = await db
    .select()
    .from(issueLinks)
    .where(or(eq(issueLinks.fromIssueId, issue.id), eq(issueLinks.toIssueId, issue.id)))
    .orderBy(asc(issueLinks.createdAt), asc(issueLinks.id));
  const otherOf = (row: (typeof rows)[number]) =>
    row.fromIssueId === issue.id ? row.toIssueId : row.fromIssueId;
  const [others, people] = await Promise.all([
    issueSummaries(db, params.control, rows.map(otherOf)),
    peopleById(
      params.control,
      rows.map((r) => r.createdById),
    ),
  ]);
  const items: IssueLink[] = [];
  for (const row of rows) {
    const other = others.get(otherOf(row));
    if (!other) continue;
    items.push({
      id: row.id,
      kind: row.kind,
      direction: row.fromIssueId === issue.id ? "outgoing" : "incoming",
      issue: other,
      createdBy: row.createdById ? personRefOf(people, row.createdById) : null,
      createdAt: row.createdAt.toISOString(),
    });
  }
  return { items };
}
