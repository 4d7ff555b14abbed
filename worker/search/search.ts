import { LibsqlError } from "@libsql/client/web";
import { type SQL, type SQLWrapper, sql } from "drizzle-orm";
import type { TenantDb } from "../../db/client";
import { AppError } from "../../shared/errors";
import { toFtsQuery } from "./query";

/** Markers FTS5 puts around matched words in snippets; never present in indexed text (see cleanText). */
const OPEN = "\u0002";
const CLOSE = "\u0003";

export interface SearchResult {
  objectType: string;
  objectId: string;
  title: string;
  /** Plain text around the best match… */
  snippet: string;
  /** …and where the matched words are in it. */
  highlights: { start: number; end: number }[];
  /** FTS5's bm25 with the title weighted ten times the body: smaller (more negative) is better. */
  rank: number;
}

/** Strips the snippet markers, remembering where they were. */
export function splitSnippet(marked: string): {
  snippet: string;
  highlights: { start: number; end: number }[];
} {
  let snippet = "";
  const highlights: { start: number; end: number }[] = [];
  let start = -1;
  for (const ch of marked) {
    if (ch === OPEN) start = snippet.length;
    else if (ch === CLOSE) {
      if (start >= 0 && snippet.length > start) highlights.push({ start, end: snippet.length });
      start = -1;
    } else snippet += ch;
  }
  return { snippet, highlights };
}

function isFtsSyntaxError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof LibsqlError && /fts5|unterminated string|malformed MATCH/i.test(e.message)) return true;
  }
  return false;
}

/** What a search that FTS5 could not run answers (never expected: queries are built by toFtsQuery). */
export function unreadableSearch(cause: unknown) {
  return new AppError(
    "BAD_REQUEST",
    "That search could not be understood. Try plain words.",
    { fieldErrors: { q: ["Try plain words."] } },
    { cause },
  );
}

/** Runs `run`, turning an FTS5 syntax error into a 400 instead of a 500. */
export async function guardFts<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isFtsSyntaxError(error)) throw unreadableSearch(error);
    throw error;
  }
}

/**
 * The best matches for what a person typed, across the object types asked for (all when left out), best
 * first. Input is sanitised by toFtsQuery, so hostile text is searched for as words, never run as syntax.
 */
export async function searchDocuments(
  db: TenantDb,
  query: string,
  options: { types?: readonly string[]; limit: number },
): Promise<SearchResult[]> {
  const match = toFtsQuery(query);
  if (!match || options.types?.length === 0) return [];
  const typeFilter = options.types
    ? sql`AND search_keys.object_type IN (${sql.join(
        options.types.map((t) => sql`${t}`),
        sql`, `,
      )})`
    : sql``;
  const rows = await guardFts(() =>
    db.all<{ objectType: string; objectId: string; title: string; snippet: string; rank: number }>(sql`
      SELECT search_keys.object_type AS objectType, search_keys.object_id AS objectId,
        search_documents.title AS title,
        snippet(search_documents, -1, ${OPEN}, ${CLOSE}, '…', 16) AS snippet,
        bm25(search_documents, 10.0, 1.0) AS rank
      FROM search_documents JOIN search_keys ON search_keys.id = search_documents.rowid
      WHERE search_documents MATCH ${match} ${typeFilter}
      ORDER BY rank LIMIT ${options.limit}`),
  );
  return rows.map((r) => ({
    objectType: r.objectType,
    objectId: r.objectId,
    title: r.title,
    ...splitSnippet(r.snippet ?? ""),
    rank: Number(r.rank),
  }));
}

/**
 * How a list combines full text with its own filters and sort. `drive`: the matching documents drive the
 * query (an IN list the planner looks rows up by) — for narrow searches. `check`: each row the list walks
 * (along its sort's index) is checked against the matches — for broad searches, where driving would sort
 * thousands of rows.
 */
export type FtsJoin = "drive" | "check";

/** A condition on an object table's id column: its document matches the FTS5 expression `match`. */
export function matchesFts(idColumn: SQLWrapper, objectType: string, match: string, how: FtsJoin): SQL {
  const matching = sql`SELECT rowid FROM search_documents WHERE search_documents MATCH ${match}`;
  return how === "drive"
    ? sql`${idColumn} IN (SELECT object_id FROM search_keys WHERE object_type = ${objectType}
        AND search_keys.id IN (${matching}))`
    : sql`EXISTS (SELECT 1 FROM search_keys WHERE search_keys.object_type = ${objectType}
        AND search_keys.object_id = ${idColumn} AND search_keys.id IN (${matching}))`;
}

/** Like matchesFts for what a person typed (sanitised by toFtsQuery); null when it holds no word. */
export function matchesSearch(
  idColumn: SQLWrapper,
  objectType: string,
  query: string,
  how: FtsJoin,
): SQL | null {
  const match = toFtsQuery(query);
  return match ? matchesFts(idColumn, objectType, match, how) : null;
}
