import { and, asc, desc, eq, inArray, isNotNull, ne, or, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { ControlDb, TenantDb } from "../../../../db/client";
import { decodeCursor, keysetAfter, keysetPage } from "../../../../db/lists";
import { issueComments, issueHistory } from "../../../../db/tenant/schema";
import {
  type ActivityItem,
  type ListActivityInput,
  listActivityInput,
} from "../../../../shared/schemas/issue-extras";
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
  return keysetAfter(order, [
    [at, new Date(cursor[0])],
    [id, cursor[1]],
  ]);
}

type ChangeRow = typeof issueHistory.$inferSelect;

/** The comment a `comment` history value names, if it is one (see ../comments/history.ts). */
function commentIdOf(value: unknown): string | null {
  const id = value && typeof value === "object" ? (value as { id?: unknown }).id : null;
  return typeof id === "string" ? id : null;
}

/**
 * The history rows of comment edits and deletions as the feed shows them: a comment's excerpts only while
 * it is public and not deleted, so deleting a comment (or making it internal) takes its text out of the
 * feed too — history never recorded internal text in the first place. One query for the page's comments.
 */
async function withVisibleExcerpts(db: TenantDb, changes: ChangeRow[]): Promise<ChangeRow[]> {
  const ids = new Set<string>();
  for (const change of changes) {
    if (change.field !== "comment") continue;
    for (const value of [change.before, change.after]) {
      const id = commentIdOf(value);
      if (id) ids.add(id);
    }
  }
  if (ids.size === 0) return changes;
  const shown = new Set(
    (
      await db
        .select({
          id: issueComments.id,
          visibility: issueComments.visibility,
          deletedAt: issueComments.deletedAt,
        })
        .from(issueComments)
        .where(inArray(issueComments.id, [...ids]))
    )
      .filter((c) => c.visibility === "public" && !c.deletedAt)
      .map((c) => c.id),
  );
  const hide = (value: unknown) => {
    const id = commentIdOf(value);
    if (!id || shown.has(id) || (value as { excerpt?: unknown }).excerpt == null) return value;
    return { ...(value as Record<string, unknown>), excerpt: null };
  };
  return changes.map((change) =>
    change.field === "comment"
      ? { ...change, before: hide(change.before), after: hide(change.after) }
      : change,
  );
}

/**
 * An issue's activity: its field history and its comments merged into one feed ordered by time (then id),
 * oldest first unless `order: "desc"`, with the actors' names (one control-database query per page).
 * History rows that record a comment being added are left out (the comment itself is in the feed); its
 * edits and deletions are changes of the field `comment` (before/after: the comment's id, visibility and
 * excerpt, null when removed), with excerpts shown only of comments still public and not deleted.
 */
export async function listActivity(db: TenantDb, params: { control: ControlDb; input: ListActivityInput }) {
  const input = listActivityInput.parse(params.input);
  const issue = await loadIssue(db, input.issueId);
  const tag = `activity:${input.order}`;
  const cursor = input.cursor ? decodeCursor(input.cursor, tag, ["number", "string"]) : null;
  const sort = input.order === "asc" ? asc : desc;
  const [changes, comments] = await Promise.all([
    db
      .select()
      .from(issueHistory)
      .where(
        and(
          eq(issueHistory.issueId, issue.id),
          or(ne(issueHistory.field, "comment"), isNotNull(issueHistory.before)),
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
  const { items: page, nextCursor } = keysetPage(merged, input.limit, tag, (e) => [e.at.getTime(), e.id]);
  const [people, shownChanges] = await Promise.all([
    peopleById(
      params.control,
      page.map((e) => ("change" in e ? e.change.actorId : e.comment.authorId)),
    ),
    withVisibleExcerpts(
      db,
      page.flatMap((e) => ("change" in e ? [e.change] : [])),
    ),
  ]);
  const shownById = new Map(shownChanges.map((c) => [c.id, c]));
  const items: ActivityItem[] = page.map((entry) => {
    if (!("change" in entry)) {
      return {
        kind: "comment",
        id: entry.comment.id,
        at: entry.at.toISOString(),
        actor: personRefOf(people, entry.comment.authorId),
        comment: toComment(entry.comment, people),
      };
    }
    const change = shownById.get(entry.change.id) ?? entry.change;
    return {
      kind: "change",
      id: change.id,
      at: entry.at.toISOString(),
      actor: change.actorId ? personRefOf(people, change.actorId) : null,
      field: change.field,
      before: (change.before ?? null) as Json,
      after: (change.after ?? null) as Json,
    };
  });
  return { items, nextCursor };
}
