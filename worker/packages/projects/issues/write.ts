import { LibsqlBatchError } from "@libsql/client/web";
import { and, eq, sql } from "drizzle-orm";
import { auditBy, auditRow } from "../../../../db/audit";
import { actorUserId, type ServiceContext } from "../../../../db/context";
import { auditLog, issueHistory, issues } from "../../../../db/tenant/schema";
import { newId } from "../../../../shared/ids";
import type { ProjectRef } from "../../../../shared/schemas/projects";
import { indexObject } from "../../../search/registry";
import { changeNotices } from "./notices";
import { type IssueInsert, type IssueRow, staleVersion } from "./rows";
import { issueSearchType } from "./search-type";
import { issueKey } from "./views";

export interface HistoryEntry {
  field: string;
  before: unknown;
  after: unknown;
}

/** A planned change of one issue: the columns to set and one history entry per changed field. */
export interface IssueChange {
  set: Partial<IssueInsert>;
  history: HistoryEntry[];
  /** The audit action, e.g. "issue.updated". */
  action: string;
}

const json = (value: unknown) => (value instanceof Date ? value.toISOString() : (value ?? null));

export function historyRows(
  ctx: Pick<ServiceContext, "actor">,
  issueId: string,
  entries: readonly HistoryEntry[],
  at: Date,
) {
  return entries.map((e) => ({
    id: newId(),
    issueId,
    actorId: actorUserId(ctx.actor),
    at,
    field: e.field,
    before: json(e.before),
    after: json(e.after),
    requestId: ctx.actor.requestId,
  }));
}

/** The statement that fails the batch (rolling all of it back) when the statement before it changed no row. */
export const abortUnlessChanged = (ctx: Pick<ServiceContext, "db">) =>
  ctx.db.run(sql`SELECT CASE WHEN changes() = 0 THEN json('stale version ' || changes()) END`);

/** True when a batch failed on the statement at `index` (e.g. the guard after a versioned UPDATE). */
export function failedAt(error: unknown, index: number): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof LibsqlBatchError) return e.statementIndex === index;
  }
  return false;
}

export const searchSourceOf = (row: IssueRow, project: ProjectRef) => ({
  reference: issueKey(project, row.number),
  type: row.type,
  title: row.title,
  description: row.description,
  tags: row.tags,
  details: row.details,
  answers: row.answers,
  // The school's name is read by the document's own statement in the batch (see issueSearchType).
  schoolId: row.schoolId,
});

/**
 * Writes a planned change in one batch: the versioned UPDATE (bumping the version), a guard that rolls the
 * whole batch back when another writer got there first (CONFLICT stale_version, nothing written), the field
 * history, the refreshed search document, the audit entry and its notices (assignment, watchers, automatic
 * watching: see changeNotices); once committed, a new assignee is emailed (`ctx.mail`). Returns the row as
 * it now is.
 */
export async function applyIssueChange(
  ctx: ServiceContext,
  row: IssueRow,
  project: ProjectRef,
  change: IssueChange,
  now = new Date(),
): Promise<IssueRow> {
  const { db, actor } = ctx;
  const next: IssueRow = { ...row, ...change.set, version: row.version + 1, updatedAt: now } as IssueRow;
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const h of change.history) {
    before[h.field] = json(h.before);
    after[h.field] = json(h.after);
  }
  const history = historyRows(ctx, row.id, change.history, now);
  const notices = await changeNotices(db, {
    actorId: actorUserId(actor),
    key: issueKey(project, row.number),
    row,
    next,
    history: change.history,
    at: now,
  });
  try {
    await db.batch([
      db
        .update(issues)
        .set({ ...change.set, version: sql`${issues.version} + 1`, updatedAt: now })
        .where(and(eq(issues.id, row.id), eq(issues.version, row.version))),
      abortUnlessChanged(ctx),
      ...(history.length ? [db.insert(issueHistory).values(history)] : []),
      ...indexObject(db, issueSearchType, row.id, searchSourceOf(next, project)),
      db
        .insert(auditLog)
        .values(auditRow(auditBy(ctx, "issue", row.id, { action: change.action, before, after }), now)),
      ...notices.statements,
    ]);
  } catch (error) {
    if (failedAt(error, 1)) throw staleVersion();
    throw error;
  }
  await ctx.mail?.send(notices.mail);
  return next;
}
