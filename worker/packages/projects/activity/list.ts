import { and, asc, desc, eq, gt, lt, ne, or, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { ControlDb, TenantDb } from "../../../../db/client";
import { issueComments, issueHistory } from "../../../../db/tenant/schema";
import {
  type ActivityItem,
  type ListActivityInput,
  listActivityInput,
} from "../../../../shared/schemas/issue-extras";
import { decodeCursor, encodeCursor } from "../../system/invitations/cursor";
import { toComment } from "../comments/views";
import { loadIssue } from "./issues";
import { peopleById, personRefOf } from "./people";

type Json = Extract<ActivityItem, { kind: "change" }>["before"];

/** Rows after the cursor (at, id) in the feed's order. */
function pastCursor(
  at: SQLiteColumn,
  id: SQLiteColumn,
  cursor: readonly [number, string],
  order: "asc" | "desc",
): SQL {
  const when = new Date(cursor[0]);
  const beyond = order === "asc" ? gt : lt;
  return or(beyond(at, when), and(eq(at, when), beyond(id, cursor[1])))!;
}

/**
 * An issue's activity: its field history and its comments merged into one feed ordered by time (then id),
 * oldest first unless `order: "desc"`, with the actors' names (one control-database query per page).
 * History rows that record a comment being added are left out: the comment itself is in the feed.
 */
export async function listActivity(db: TenantDb, params: { control: ControlDb; input: ListActivityInput }) {
  const input = listActivityInput.parse(params.input);
  const issue = await loadIssue(db, input.issueId);
  const cursor = input.cursor ? decodeCursor(input.cursor, ["number", "string"] as const) : null;
  const sort = input.order === "asc" ? asc : desc;
  const [changes, comments] = await Promise.all([
    db
      .select()
      .from(issueHistory)
      .where(
        and(
          eq(issueHistory.issueId, issue.id),
          ne(issueHistory.field, "comment"),
          cursor ? pastCursor(issueHistory.at, issueHistory.id, cursor, input.order) : undefined,
        ),
      )
      .orderBy(sort(issueHistory.at), sort(issueHistory.id))
      .limit(input.limit + 1),
    db
      .select()
      .from(issueComments)
      .where(
        and(
          eq(issueComments.issueId, issue.id),
          cursor ? pastCursor(issueComments.createdAt, issueComments.id, cursor, input.order) : undefined,
        ),
      )
      .orderBy(sort(issueComments.createdAt), sort(issueComments.id))
      .limit(input.limit + 1),
  ]);
  type Entry =
    | { at: Date; id: string; change: (typeof changes)[number] }
    | { at: Date; id: string; comment: (typeof comments)[number] };
  const direction = input.order === "asc" ? 1 : -1;
  const merged: Entry[] = [
    ...changes.map((change) => ({ at: change.at, id: change.id, change })),
    ...comments.map((comment) => ({ at: comment.createdAt, id: comment.id, comment })),
  ].sort((x, y) => direction * (x.at.getTime() - y.at.getTime() || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)));
  const more = merged.length > input.limit;
  const page = merged.slice(0, input.limit);
  const people = await peopleById(
    params.control,
    page.map((e) => ("change" in e ? e.change.actorId : e.comment.authorId)),
  );
  const items: ActivityItem[] = page.map((entry) =>
    "change" in entry
      ? {
          kind: "change",
          id: entry.change.id,
          at: entry.at.toISOString(),
          actor: entry.change.actorId ? personRefOf(people, entry.change.actorId) : null,
          field: entry.change.field,
          before: (entry.change.before ?? null) as Json,
          after: (entry.change.after ?? null) as Json,
        }
      : {
          kind: "comment",
          id: entry.comment.id,
          at: entry.at.toISOString(),
          actor: personRefOf(people, entry.comment.authorId),
          comment: toComment(entry.comment, people),
        },
  );
  const last = page[page.length - 1];
  return { items, nextCursor: more && last ? encodeCursor([last.at.getTime(), last.id]) : null };
}
