import { and, asc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import type { ControlDb, TenantDb } from "../../../../db/client";
import { sharedIssueIndex } from "../../../../db/control/schema";
import { issues } from "../../../../db/tenant/schema";
import {
  belongsOnDesk,
  type SharedIssueSummary,
  sharedIssueSummary,
  upsertSummaries,
} from "../issues/shared-index";
import { listSharedProjects, unknownProject } from "../projects/views";

/** Rows read (and written) per round trip: bounded, whatever the organization's size. */
export const REINDEX_BATCH_SIZE = 200;

export interface ReindexCounts {
  /** Shared-project issues that belong on the desk. */
  issues: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Rows whose issue no longer belongs on the desk (archived, gone, not in a shared project). */
  removed: number;
  /** Rows a live write changed while the repair ran: left as that write made them. */
  kept: number;
}

/**
 * The next `limit` issues after `after` (by id) that belong on the desk: shared project, not archived (the
 * rule of `belongsOnDesk`). Walks the primary key — the unary `+` keeps the planner off the project index,
 * which would read and sort every shared issue for each page.
 */
export function deskIssuePage(db: TenantDb, after: string, limit: number) {
  return db
    .select({
      id: issues.id,
      projectId: issues.projectId,
      number: issues.number,
      title: issues.title,
      type: issues.type,
      status: issues.status,
      priority: issues.priority,
      updatedAt: issues.updatedAt,
    })
    .from(issues)
    .where(and(gt(issues.id, after), sql`+${issues.projectScope} = 'shared'`, isNull(issues.archivedAt)))
    .orderBy(asc(issues.id))
    .limit(limit);
}

const sameSummary = (a: SharedIssueSummary, b: typeof sharedIssueIndex.$inferSelect) =>
  a.projectId === b.projectId &&
  a.number === b.number &&
  a.title === b.title &&
  a.type === b.type &&
  a.status === b.status &&
  a.priority === b.priority &&
  a.updatedAt.getTime() === b.updatedAt.getTime();

/**
 * Rebuilds one organization's rows of the root desk's index (control database) from its own database, the
 * authority: every issue that belongs on the desk gets its current summary, and rows whose issue no longer
 * belongs there are deleted. Reads and writes `batchSize` rows at a time (issues by id, then index rows by
 * issue id), writes only what differs, and may run again at any time with the same result. Live writes that
 * land meanwhile win: a summary is replaced only by one at least as recent, and a row is deleted only if
 * it is still the row that was read.
 */
export async function reindexDesk(
  control: ControlDb,
  db: TenantDb,
  tenantId: string,
  { batchSize = REINDEX_BATCH_SIZE }: { batchSize?: number } = {},
): Promise<ReindexCounts> {
  const counts: ReindexCounts = { issues: 0, inserted: 0, updated: 0, unchanged: 0, removed: 0, kept: 0 };
  const keys = new Map((await listSharedProjects(control, true)).map((p) => [p.id, p.key]));
  const keyOf = (projectId: string) => ({
    key: keys.get(projectId) ?? unknownProject("shared", projectId).key,
  });

  // 1. Every issue that belongs on the desk: insert or correct its summary.
  for (let after = ""; ; ) {
    const page = await deskIssuePage(db, after, batchSize);
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    counts.issues += page.length;
    const current = new Map(
      (
        await control
          .select()
          .from(sharedIssueIndex)
          .where(
            and(
              eq(sharedIssueIndex.tenantId, tenantId),
              inArray(
                sharedIssueIndex.issueId,
                page.map((r) => r.id),
              ),
            ),
          )
      ).map((r) => [r.issueId, r]),
    );
    const changed: SharedIssueSummary[] = [];
    let inserting = 0;
    for (const row of page) {
      const summary = sharedIssueSummary(tenantId, row, keyOf(row.projectId));
      const existing = current.get(row.id);
      if (existing && sameSummary(summary, existing)) {
        counts.unchanged++;
        continue;
      }
      if (!existing) inserting++;
      changed.push(summary);
    }
    if (changed.length > 0) {
      const written = await upsertSummaries(control, changed, { keepNewer: true }).returning({
        issueId: sharedIssueIndex.issueId,
      });
      // Rows that did not exist are written; the rest are updated unless a newer summary stands there.
      const inserted = Math.min(inserting, written.length);
      counts.inserted += inserted;
      counts.updated += written.length - inserted;
      counts.kept += changed.length - written.length;
    }
    if (page.length < batchSize) break;
  }

  // 2. Every row of the organization in the index: delete those whose issue no longer belongs there.
  for (let after = ""; ; ) {
    const page = await control
      .select({ issueId: sharedIssueIndex.issueId, updatedAt: sharedIssueIndex.updatedAt })
      .from(sharedIssueIndex)
      .where(and(eq(sharedIssueIndex.tenantId, tenantId), gt(sharedIssueIndex.issueId, after)))
      .orderBy(asc(sharedIssueIndex.issueId))
      .limit(batchSize);
    if (page.length === 0) break;
    after = page[page.length - 1]!.issueId;
    const live = new Set(
      (
        await db
          .select({ id: issues.id, projectScope: issues.projectScope, archivedAt: issues.archivedAt })
          .from(issues)
          .where(
            inArray(
              issues.id,
              page.map((r) => r.issueId),
            ),
          )
      )
        .filter(belongsOnDesk)
        .map((r) => r.id),
    );
    const extra = page.filter((r) => !live.has(r.issueId));
    if (extra.length > 0) {
      // One statement per row, each deleting the row only if no live write has changed it since it was read.
      const statements = extra.map((r) =>
        control
          .delete(sharedIssueIndex)
          .where(
            and(
              eq(sharedIssueIndex.tenantId, tenantId),
              eq(sharedIssueIndex.issueId, r.issueId),
              eq(sharedIssueIndex.updatedAt, r.updatedAt),
            ),
          )
          .returning({ issueId: sharedIssueIndex.issueId }),
      );
      const results = await control.batch(statements as [(typeof statements)[number], ...typeof statements]);
      const removed = results.reduce((n, deleted) => n + deleted.length, 0);
      counts.removed += removed;
      counts.kept += extra.length - removed;
    }
    if (page.length < batchSize) break;
  }
  return counts;
}
