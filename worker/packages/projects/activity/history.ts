import { sql } from "drizzle-orm";
import type { TenantDb } from "../../../../db/client";
import type { issueHistory } from "../../../../db/tenant/schema";
import { newId } from "../../../../shared/ids";

export type HistoryRow = typeof issueHistory.$inferInsert;

/** Bookkeeping columns that change with every update and say nothing a person would look for. */
const NOT_HISTORY = new Set(["id", "createdAt", "updatedAt", "version"]);

/** A value as history stores it: JSON, dates as ISO strings, absent as null, object keys sorted. */
function plain(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((key) => [key, plain((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/**
 * The issue_history rows of one update, ready to insert in the same batch as it: one per field of `after`
 * whose value differs from `before` (dates compared as instants, objects and arrays by content). Fields
 * absent from `after` are not part of the update and are skipped, as are id, createdAt, updatedAt and
 * version.
 */
export function historyRows(
  issueId: string,
  actorId: string | null,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  requestId: string | null,
  at = new Date(),
): HistoryRow[] {
  const rows: HistoryRow[] = [];
  for (const field of Object.keys(after)) {
    if (NOT_HISTORY.has(field) || after[field] === undefined) continue;
    const old = plain(before[field]);
    const now = plain(after[field]);
    if (JSON.stringify(old) === JSON.stringify(now)) continue;
    rows.push({ id: newId(), issueId, actorId, at, field, before: old, after: now, requestId });
  }
  return rows;
}

/**
 * One history row for a record added to or removed from an issue (`attachment`, `link`, `comment`):
 * `before` null means added, `after` null means removed.
 */
export function relatedHistoryRow(
  issueId: string,
  actor: { userId: string; requestId: string | null },
  field: "attachment" | "link" | "comment",
  change: { before?: Record<string, unknown> | null; after?: Record<string, unknown> | null },
  at = new Date(),
): HistoryRow {
  return {
    id: newId(),
    issueId,
    actorId: actor.userId,
    at,
    field,
    before: change.before ? plain(change.before) : null,
    after: change.after ? plain(change.after) : null,
    requestId: actor.requestId,
  };
}

/**
 * An issue_history insert that happens only if the statement just before it in the same batch changed a
 * row (SQLite's `changes()`), like `tenantAuditIfChanged`: a guarded write that matched nothing leaves no
 * history. Chains: a statement after this one sees its own change count.
 */
export function historyIfChanged(db: TenantDb, row: HistoryRow) {
  const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
  return db.run(sql`
    INSERT INTO issue_history (id, issue_id, actor_id, at, field, before, after, request_id)
    SELECT ${row.id}, ${row.issueId}, ${row.actorId ?? null}, ${row.at.getTime()}, ${row.field},
      ${json(row.before)}, ${json(row.after)}, ${row.requestId ?? null}
    WHERE changes() > 0`);
}
