import type { InStatement } from "@libsql/client/web";
import { inArray } from "drizzle-orm";
import { bulkInsertStatements, runBatches } from "../../../../db/bulk";
import type { TenantDb } from "../../../../db/client";
import { issues, schools } from "../../../../db/tenant/schema";
import { newId } from "../../../../shared/ids";
import { slaDueDates, workflows } from "../../../../shared/schemas/workflows";
import { bulkIndexStatements } from "../../../search/documents";
import { ISSUE_COUNTER } from "./create";
import type { IssueRow } from "./rows";
import { issueSearchType } from "./search-type";

/** The names of the schools `ids` name (one query per 500 schools). */
async function schoolNames(db: TenantDb, ids: Iterable<string | null>): Promise<Map<string, string>> {
  const unique = [...new Set([...ids].filter((id): id is string => Boolean(id)))];
  const out = new Map<string, string>();
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .select({ id: schools.id, name: schools.name })
      .from(schools)
      .where(inArray(schools.id, unique.slice(i, i + 500)));
    for (const r of rows) out.set(r.id, r.name);
  }
  return out;
}

/** Interleaves statement lists chunk by chunk, so each batch carries rows with their documents. */
function interleave(...lists: InStatement[][]): InStatement[] {
  const out: InStatement[] = [];
  const longest = Math.max(...lists.map((l) => l.length));
  for (let i = 0; i < longest; i++) for (const list of lists) if (list[i]) out.push(list[i]!);
  return out;
}

/**
 * Inserts complete issue rows (numbers already assigned) with their search documents, and moves the issue
 * counter past the highest number: `bulkInsert`'s multi-row INSERTs (columns from the drizzle table) in
 * `batch()`. `projectKeys` maps project ids to keys (the reference is indexed, as is the school's name, read
 * once for all rows). Bypasses the services' per-issue batches: for seeding and benchmarks, not requests.
 */
export async function insertIssueRows(
  db: TenantDb,
  rows: readonly IssueRow[],
  projectKeys: ReadonlyMap<string, string>,
): Promise<void> {
  if (rows.length === 0) return;
  const schoolName = await schoolNames(
    db,
    rows.map((r) => r.schoolId),
  );
  const search = await bulkIndexStatements(
    db,
    issueSearchType.objectType,
    rows.map((r) => ({
      objectId: r.id,
      doc: issueSearchType.toDocument({
        reference: `${projectKeys.get(r.projectId) ?? "?"}-${r.number}`,
        type: r.type,
        title: r.title,
        description: r.description,
        tags: r.tags,
        details: r.details,
        answers: r.answers,
        schoolId: r.schoolId,
        schoolName: r.schoolId ? (schoolName.get(r.schoolId) ?? null) : null,
      }),
    })),
  );
  const max = rows.reduce((m, r) => Math.max(m, r.number), 0);
  await runBatches(db, [
    ...interleave(bulkInsertStatements(issues, rows), search.keys, search.documents),
    {
      sql: `INSERT INTO counters (name, value) VALUES (?, ?)
            ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)`,
      args: [ISSUE_COUNTER, max],
    },
  ]);
}

/** A complete issue row from the fields that matter, with the rest as a new issue has them. */
export function issueRow(
  fields: Partial<IssueRow> & Pick<IssueRow, "number" | "projectScope" | "projectId" | "type" | "title">,
): IssueRow {
  const createdAt = fields.createdAt ?? new Date();
  const priority = fields.priority ?? "medium";
  return {
    id: newId(),
    description: null,
    status: workflows[fields.type].initial,
    priority,
    impact: null,
    urgency: null,
    requesterId: null,
    assigneeUserId: null,
    assigneeGroupId: null,
    categoryId: null,
    requestTypeId: null,
    schoolId: null,
    tags: [],
    details: {},
    answers: {},
    dueAt: null,
    ...slaDueDates(priority, createdAt),
    respondedAt: null,
    resolvedAt: null,
    closedAt: null,
    slaPausedAt: null,
    slaPausedMinutes: 0,
    slaPausedBusinessMinutes: 0,
    version: 1,
    createdById: null,
    createdAt,
    updatedAt: createdAt,
    archivedAt: null,
    ...fields,
  };
}
