import type { InStatement } from "@libsql/client/web";
import { type SQL, sql } from "drizzle-orm";
import { insertValues } from "../../db/bulk";
import type { TenantDb } from "../../db/client";
import { searchKeys } from "../../db/tenant/schema";

/** Indexed text: a string, or an SQL expression the same batch computes (e.g. a number it just assigned). */
export type SearchText = string | SQL;

export interface SearchDocument {
  title: SearchText;
  body: SearchText;
}

const MAX_TITLE = 1_000;
const MAX_BODY = 100_000;

/**
 * Text as it goes into the index: bounded, without control characters (the snippet markers are control
 * characters, so indexed text must never contain them).
 */
export function cleanText(text: string, max: number): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, " ").slice(0, max);
}

const clean = (value: SearchText, max: number) => (typeof value === "string" ? cleanText(value, max) : value);

const keyOf = (objectType: string, objectId: string) =>
  sql`SELECT id FROM search_keys WHERE object_type = ${objectType} AND object_id = ${objectId}`;

/**
 * The statements that put (or replace) an object's document in the organization's search index. Put them
 * in the same `db.batch([...])` as the write of the object, so the index never disagrees with it.
 */
export function indexDocument(db: TenantDb, objectType: string, objectId: string, doc: SearchDocument) {
  return [
    db.run(
      sql`INSERT INTO search_keys (object_type, object_id) VALUES (${objectType}, ${objectId})
          ON CONFLICT (object_type, object_id) DO NOTHING`,
    ),
    db.run(sql`DELETE FROM search_documents WHERE rowid = (${keyOf(objectType, objectId)})`),
    db.run(
      sql`INSERT INTO search_documents (rowid, title, body)
          SELECT id, ${clean(doc.title, MAX_TITLE)}, ${clean(doc.body, MAX_BODY)} FROM search_keys
          WHERE object_type = ${objectType} AND object_id = ${objectId}`,
    ),
  ] as const;
}

/**
 * Many new objects of `objectType` indexed at once (seeds, imports, benchmarks), as multi-row INSERTs to run
 * with `runBatches` (db/bulk.ts): their keys, numbered on from the highest one in use, and their documents.
 * The objects must not be indexed yet, and their text must be plain strings.
 */
export async function bulkIndexStatements(
  db: TenantDb,
  objectType: string,
  entries: readonly { objectId: string; doc: SearchDocument }[],
): Promise<{ keys: InStatement[]; documents: InStatement[] }> {
  const [last] = await db.select({ id: sql<number>`coalesce(max(${searchKeys.id}), 0)` }).from(searchKeys);
  let keyId = Number(last?.id ?? 0);
  const text = (value: SearchText, max: number) => {
    if (typeof value !== "string") throw new Error("bulk indexing takes plain text, not SQL");
    return cleanText(value, max);
  };
  const keyed = entries.map((e) => ({ ...e, key: ++keyId }));
  return {
    keys: insertValues(
      "search_keys",
      ["id", "object_type", "object_id"],
      keyed.map((e) => [e.key, objectType, e.objectId]),
    ),
    documents: insertValues(
      "search_documents",
      ["rowid", "title", "body"],
      keyed.map((e) => [e.key, text(e.doc.title, MAX_TITLE), text(e.doc.body, MAX_BODY)]),
    ),
  };
}

/** The statements that take an object out of the search index (batch them with its deletion). */
export function removeDocument(db: TenantDb, objectType: string, objectId: string) {
  return [
    db.run(sql`DELETE FROM search_documents WHERE rowid = (${keyOf(objectType, objectId)})`),
    db.run(sql`DELETE FROM search_keys WHERE object_type = ${objectType} AND object_id = ${objectId}`),
  ] as const;
}

/**
 * All text values found in a JSON-like value (strings, numbers), space-separated: for indexing free-form
 * fields such as an issue's subtype details.
 */
export function textOf(value: unknown): string {
  const parts: string[] = [];
  const walk = (v: unknown, depth: number) => {
    if (depth > 6 || v === null || v === undefined) return;
    if (typeof v === "string") parts.push(v);
    else if (typeof v === "number") parts.push(String(v));
    else if (Array.isArray(v)) for (const item of v) walk(item, depth + 1);
    else if (typeof v === "object") for (const item of Object.values(v)) walk(item, depth + 1);
  };
  walk(value, 0);
  return parts.join(" ");
}
