import { and, asc, eq, gt, or } from "drizzle-orm";
import type { ControlDb, TenantDb } from "../../../../db/client";
import { issueComments } from "../../../../db/tenant/schema";
import { type ListCommentsInput, listCommentsInput } from "../../../../shared/schemas/issue-extras";
import { decodeCursor, encodeCursor } from "../../system/invitations/cursor";
import { loadIssue } from "../activity/issues";
import { peopleById } from "../activity/people";
import { toComment } from "./views";

/**
 * An issue's comments, oldest first, internal and public alike: every role with projects.read works the
 * issue. (A requester portal role, when it exists, will see `public` ones only.) Deleted comments stay in
 * place without their text.
 */
export async function listComments(db: TenantDb, params: { control: ControlDb; input: ListCommentsInput }) {
  const input = listCommentsInput.parse(params.input);
  const issue = await loadIssue(db, input.issueId);
  const where = [eq(issueComments.issueId, issue.id)];
  if (input.cursor) {
    const [at, id] = decodeCursor(input.cursor, ["number", "string"] as const);
    const after = new Date(at);
    where.push(
      or(
        gt(issueComments.createdAt, after),
        and(eq(issueComments.createdAt, after), gt(issueComments.id, id)),
      )!,
    );
  }
  const rows = await db
    .select()
    .from(issueComments)
    .where(and(...where))
    .orderBy(asc(issueComments.createdAt), asc(issueComments.id))
    .limit(input.limit + 1);
  const more = rows.length > input.limit;
  const page = more ? rows.slice(0, input.limit) : rows;
  const people = await peopleById(
    params.control,
    page.map((r) => r.authorId),
  );
  const last = page[page.length - 1];
  return {
    items: page.map((row) => toComment(row, people)),
    nextCursor: more && last ? encodeCursor([last.createdAt.getTime(), last.id]) : null,
  };
}
