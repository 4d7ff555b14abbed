import { and, asc, eq } from "drizzle-orm";
import type { ControlDb, TenantDb } from "../../../../db/client";
import { decodeCursor, keysetAfter, keysetPage } from "../../../../db/lists";
import { issueComments } from "../../../../db/tenant/schema";
import { type ListCommentsInput, listCommentsInput } from "../../../../shared/schemas/issue-extras";
import { loadIssue } from "../activity/issues";
import { peopleById } from "../activity/people";
import { toComment } from "./views";

const TAG = "comments:createdAt";

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
    const [at, id] = decodeCursor(input.cursor, TAG, ["number", "string"]);
    where.push(
      keysetAfter("asc", [
        [issueComments.createdAt, new Date(at)],
        [issueComments.id, id],
      ]),
    );
  }
  const rows = await db
    .select()
    .from(issueComments)
    .where(and(...where))
    .orderBy(asc(issueComments.createdAt), asc(issueComments.id))
    .limit(input.limit + 1);
  const page = keysetPage(rows, input.limit, TAG, (row) => [row.createdAt.getTime(), row.id]);
  const people = await peopleById(
    params.control,
    page.items.map((r) => r.authorId),
  );
  return { items: page.items.map((row) => toComment(row, people)), nextCursor: page.nextCursor };
}
