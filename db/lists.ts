import { and, eq, gt, gte, lt, lte, or, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { AppError } from "../shared/errors";

/**
 * What every list needs to page by keyset: one cursor codec, one way to cut a page, one keyset condition and
 * one LIKE escape. A cursor is the sort key of the last row of a page, tagged with the list and order it
 * belongs to, as base64url JSON: opaque to clients, refused by any other list or order.
 */

export type CursorPart = string | number;
type PartType = "string" | "number";
type Parts<T extends readonly PartType[]> = { [K in keyof T]: T[K] extends "number" ? number : string };

/** The cursor after a row whose sort key is `key`, in the list (and order) `tag`. */
export function encodeCursor(tag: string, key: readonly CursorPart[]): string {
  return btoa(JSON.stringify([tag, ...key]))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** The 400 naming `cursor` that every list answers for a cursor it did not issue. */
export function invalidCursor(): AppError {
  return new AppError(
    "BAD_REQUEST",
    "The page cursor is not valid for this list. Start from the first page.",
    {
      fieldErrors: { cursor: ["Not a cursor Nexus issued for this list"] },
    },
  );
}

/**
 * The sort key a cursor of list `tag` carries, its parts of the given types (numbers finite, strings at
 * most 1 000 characters); a cursor of another list or order, or anything else, is `invalidCursor()`.
 */
export function decodeCursor<const T extends readonly PartType[]>(
  cursor: string,
  tag: string,
  types: T,
): Parts<T> {
  let parts: unknown;
  try {
    parts = JSON.parse(atob(cursor.replace(/-/g, "+").replace(/_/g, "/")));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(parts) || parts.length !== types.length + 1 || parts[0] !== tag) throw invalidCursor();
  const key = parts.slice(1);
  const ok = key.every((part, i) =>
    types[i] === "number"
      ? typeof part === "number" && Number.isFinite(part)
      : typeof part === "string" && part.length <= 1000,
  );
  if (!ok) throw invalidCursor();
  return key as Parts<T>;
}

/**
 * One page of a keyset list from rows read with `limit + 1`: the first `limit` rows and, when more follow,
 * the cursor after the last of them (`keyOf` gives a row's sort key in list `tag`).
 */
export function keysetPage<R>(
  rows: readonly R[],
  limit: number,
  tag: string,
  keyOf: (row: R) => readonly CursorPart[],
): { items: R[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(tag, keyOf(last)) : null };
}

type KeyColumn = SQLiteColumn | SQL;
type KeyValue = string | number | Date;
type Compare = (left: SQLiteColumn, right: unknown) => SQL;

/** Drizzle's comparisons take a column (whose encoder turns a Date into its stored value) or an expression. */
const compare = (op: Compare, column: KeyColumn, value: KeyValue) => op(column as SQLiteColumn, value);

/**
 * Rows strictly after the key's values in the order of its columns, ascending (or descending), as
 * `c1 >= v1 AND (c1 > v1 OR (c1 = v1 AND (c2 > v2 OR …)))`: the leading range lets an index on the first
 * column serve the page.
 */
export function keysetAfter(
  direction: "asc" | "desc",
  key: readonly [readonly [KeyColumn, KeyValue], ...(readonly [KeyColumn, KeyValue])[]],
): SQL {
  const beyond: Compare = direction === "asc" ? gt : lt;
  const atOrBeyond: Compare = direction === "asc" ? gte : lte;
  const from = (i: number): SQL => {
    const [column, value] = key[i]!;
    if (i === key.length - 1) return compare(beyond, column, value);
    return or(compare(beyond, column, value), and(compare(eq, column, value), from(i + 1)))!;
  };
  const [column, value] = key[0];
  return key.length === 1 ? from(0) : and(compare(atOrBeyond, column, value), from(0))!;
}

/** `term` with LIKE's wildcards and the escape character escaped, for `LIKE … ESCAPE '\'`. */
export function likeEscape(term: string): string {
  return term.replace(/[%_\\]/g, (m) => `\\${m}`);
}

/** `term` as a LIKE … ESCAPE '\' substring pattern. */
export function likeContains(term: string): string {
  return `%${likeEscape(term)}%`;
}

/** Rows where any of `columns` contains `term` (case-insensitively for ASCII, as SQLite's LIKE). */
export function containsAny(columns: readonly KeyColumn[], term: string): SQL {
  const pattern = likeContains(term);
  return sql`(${sql.join(
    columns.map((c) => sql`${c} LIKE ${pattern} ESCAPE '\\'`),
    sql` OR `,
  )})`;
}

/** Rows where `column` starts with `term`. */
export function startsWith(column: KeyColumn, term: string): SQL {
  return sql`${column} LIKE ${`${likeEscape(term)}%`} ESCAPE '\\'`;
}
