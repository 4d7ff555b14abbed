import {
  and,
  asc,
  desc,
  eq,
  gt,
  gte,
  inArray,
  isNotNull,
  isNull,
  lt,
  lte,
  or,
  type SQL,
  type SQLWrapper,
  sql,
} from "drizzle-orm";
import type { TenantDb } from "../../../../db/client";
import { issues } from "../../../../db/tenant/schema";
import type { IssueFilters, IssueSort } from "../../../../shared/schemas/issues";
import { priorityOrder } from "../../../../shared/schemas/workflows";
import { toFtsPhrase, toFtsQuery } from "../../../search/query";
import { matchesFts } from "../../../search/search";
import type { IssueCursor } from "./cursor";
import { type IssueListRow, listColumns } from "./rows";

/**
 * How a page is read. `seek`: through the index of the filters (issues_assignee_idx, …), then the few
 * matching rows are sorted. `ordered`: along the index of the sort (issues_updated_idx, issues_number_uq,
 * issues_resolution_due_idx), skipping rows that do not match, until the page is full — right when the
 * filters match many rows, where seeking would sort thousands. Which one is decided per query by a probe
 * (see chooseMode); filters are then written with SQLite's unary `+` so the planner cannot seek on them.
 * `project-priority`: along issues_project_priority_idx, whose leading columns are the one project and
 * one priority the query names and whose order is the sort's (updatedAt): only matching rows are read,
 * already in order (see walksProjectPriority); other filters are checked along the way.
 */
export type IndexMode = "seek" | "ordered" | "project-priority";

/** Filters matching at least this many issues are read `ordered`. */
export const BROAD_FILTER_ROWS = 1000;

type Column = SQLWrapper;

/** The leading columns of issues_project_priority_idx: written plain when a query walks that index. */
const PROJECT_PRIORITY_COLUMNS: ReadonlySet<Column> = new Set([
  issues.projectScope,
  issues.projectId,
  issues.priority,
]);

/** Running clock, or a wait that began after the resolution target was missed (see slaStateOf). */
const notWaitingBeforeMiss = or(isNull(issues.slaPausedAt), gt(issues.slaPausedAt, issues.resolutionDueAt))!;

/**
 * The WHERE conditions of the filters. In `seek` mode each maps onto an index of `issues` (project/status,
 * status/priority, assignee, group, type, requester, school/status, resolution due) or onto the full-text
 * index (search; tag, which is then checked exactly). Null: nothing can match.
 */
export function filterConditions(
  f: IssueFilters,
  now: Date,
  mode: IndexMode,
  forProbe = false,
): SQL[] | null {
  const plain = (column: Column) =>
    mode === "seek" || (mode === "project-priority" && PROJECT_PRIORITY_COLUMNS.has(column));
  const c = (column: Column): SQL => (plain(column) ? sql`${column}` : sql`+${column}`);
  const oneOrMany = (column: Column, values: readonly string[]) =>
    values.length === 1 ? eq(c(column), values[0]!) : inArray(c(column), [...values]);
  const fts = mode === "seek" ? "drive" : "check";
  const where: SQL[] = [];
  if (f.projectScope) where.push(eq(c(issues.projectScope), f.projectScope));
  if (f.projectId) where.push(eq(c(issues.projectId), f.projectId));
  if (f.status) where.push(oneOrMany(issues.status, f.status));
  if (f.type) where.push(oneOrMany(issues.type, f.type));
  if (f.priority) where.push(oneOrMany(issues.priority, f.priority));
  if (f.assigneeUserId !== undefined) {
    where.push(
      f.assigneeUserId === null
        ? isNull(c(issues.assigneeUserId))
        : eq(c(issues.assigneeUserId), f.assigneeUserId),
    );
  }
  if (f.assigneeGroupId !== undefined) {
    where.push(
      f.assigneeGroupId === null
        ? isNull(c(issues.assigneeGroupId))
        : eq(c(issues.assigneeGroupId), f.assigneeGroupId),
    );
  }
  if (f.requesterId) where.push(eq(c(issues.requesterId), f.requesterId));
  if (f.schoolId !== undefined) {
    // issues_school_idx (school_id, status, updated_at): also serves "about no school" (IS NULL).
    where.push(f.schoolId === null ? isNull(c(issues.schoolId)) : eq(c(issues.schoolId), f.schoolId));
  }
  if (f.tag) {
    const phrase = toFtsPhrase(f.tag, "body");
    if (!phrase) return null;
    where.push(matchesFts(mode === "seek" ? issues.id : sql`+${issues.id}`, "issue", phrase, fts));
    where.push(sql`EXISTS (SELECT 1 FROM json_each(${issues.tags}) WHERE json_each.value = ${f.tag})`);
  }
  const nowMs = now.getTime();
  if (f.breached === true) {
    // Written as the partial index's own condition so the planner can use issues_resolution_due_idx.
    where.push(isNull(c(issues.resolvedAt)), lt(c(issues.resolutionDueAt), nowMs));
    // An issue waiting with its clock stopped is not breached (its due date moves when the wait ends)
    // unless the target was missed before the wait began: checked on each row the index gives (no index
    // holds sla_paused_at; the probe leaves it out).
    if (!forProbe) where.push(notWaitingBeforeMiss);
  } else if (f.breached === false) {
    where.push(
      or(
        isNotNull(c(issues.resolvedAt)),
        isNull(c(issues.resolutionDueAt)),
        gte(c(issues.resolutionDueAt), nowMs),
        and(isNotNull(issues.slaPausedAt), lte(issues.slaPausedAt, issues.resolutionDueAt)),
      )!,
    );
  }
  if (!forProbe) where.push(f.archived ? isNotNull(c(issues.archivedAt)) : isNull(c(issues.archivedAt)));
  if (f.search) {
    const match = toFtsQuery(f.search);
    if (!match) return null;
    where.push(matchesFts(issues.id, "issue", match, fts));
  }
  return where;
}

/**
 * True when an index leads with what the filters name: project (alone, with status or with priority),
 * status (with or without priority), type, assignee, group, requester, school (with or without status),
 * breached (the partial index), search or tag (the full-text index). Priority alone, breached: false and archived are only checked along the way.
 */
export function hasSeekableFilter(f: IssueFilters): boolean {
  return Boolean(
    f.projectId ||
      f.status ||
      f.type ||
      f.assigneeUserId !== undefined ||
      f.assigneeGroupId !== undefined ||
      f.requesterId ||
      f.schoolId !== undefined ||
      f.breached === true ||
      f.search ||
      f.tag,
  );
}

/** One query of a list page: its filters, the conditions of its sort and cursor, its order and size. */
export interface Segment {
  filters: IssueFilters;
  /** Conditions on the sort's own index (range of the cursor, the partial index's condition). */
  bounds: SQL[];
  order: { column: Column; dir: "asc" | "desc" }[];
  limit: number;
}

/**
 * True when issues_project_priority_idx serves the segment by itself: it names one project and one
 * priority — the index's leading columns — and is read in updatedAt order, the index's next column (as
 * every segment of the priority sort is).
 */
export function walksProjectPriority(segment: Segment): boolean {
  const f = segment.filters;
  return (
    Boolean(f.projectScope && f.projectId && f.priority?.length === 1) &&
    segment.order[0]?.column === issues.updatedAt
  );
}

/** `(column, id)` after/before the cursor, written so an index on `column` serves the range. */
function afterTime(
  column: typeof issues.updatedAt | typeof issues.resolutionDueAt,
  at: number,
  id: string,
  dir: "asc" | "desc",
) {
  const t = new Date(at);
  return dir === "desc"
    ? and(lte(column, t), or(lt(column, t), lt(issues.id, id)))!
    : and(gte(column, t), or(gt(column, t), gt(issues.id, id)))!;
}

/**
 * The queries that read one page, in order (the page is the first `limit` rows of their concatenation):
 * one for every sort but priority, which reads priority by priority (most urgent first for desc), each in
 * updatedAt order — up to four index-served queries instead of a sort of the whole table.
 */
export function pageSegments(
  filters: IssueFilters,
  sort: IssueSort,
  cursor: IssueCursor | null,
  limit: number,
): Segment[] {
  const dir = sort.direction;
  const by = (...columns: Column[]) => columns.map((column) => ({ column, dir }));
  switch (sort.field) {
    case "updatedAt": {
      const bounds =
        cursor?.kind === "time" ? [afterTime(issues.updatedAt, cursor.at, cursor.id, sort.direction)] : [];
      return [{ filters, bounds, order: by(issues.updatedAt, issues.id), limit }];
    }
    case "resolutionDueAt": {
      const keyset =
        cursor?.kind === "time"
          ? [afterTime(issues.resolutionDueAt, cursor.at, cursor.id, sort.direction)]
          : [];
      return [
        {
          filters,
          // Only issues not yet resolved have a place in this order (the partial index holds just them).
          bounds: [isNull(issues.resolvedAt), isNotNull(issues.resolutionDueAt), ...keyset],
          order: by(issues.resolutionDueAt, issues.id),
          limit,
        },
      ];
    }
    case "createdAt":
    case "number": {
      const bounds =
        cursor?.kind === "number"
          ? [sort.direction === "desc" ? lt(issues.number, cursor.number) : gt(issues.number, cursor.number)]
          : [];
      return [{ filters, bounds, order: by(issues.number), limit }];
    }
    case "priority": {
      const order = sort.direction === "desc" ? priorityOrder : [...priorityOrder].reverse();
      const from = cursor?.kind === "priority" ? order.indexOf(priorityOrder[cursor.rank]!) : 0;
      return order
        .slice(from)
        .filter((p) => !filters.priority || filters.priority.includes(p))
        .map((priority) => ({
          filters: { ...filters, priority: [priority] },
          bounds:
            cursor?.kind === "priority" && priorityOrder[cursor.rank] === priority
              ? [afterTime(issues.updatedAt, cursor.at, cursor.id, "desc")]
              : [],
          order: [
            { column: issues.updatedAt, dir: "desc" as const },
            { column: issues.id, dir: "desc" as const },
          ],
          limit,
        }));
    }
  }
}

/**
 * The columns a list reads, with the key and name of the organization's own project (shared ones are in
 * control) and the name of the issue's school: each a lookup by primary key, for the rows of the page only.
 */
export const listSelection = {
  ...listColumns,
  projectKey: sql<string | null>`CASE WHEN ${issues.projectScope} = 'tenant'
    THEN (SELECT key FROM projects WHERE projects.id = ${issues.projectId}) END`.as("project_key"),
  projectName: sql<string | null>`CASE WHEN ${issues.projectScope} = 'tenant'
    THEN (SELECT name FROM projects WHERE projects.id = ${issues.projectId}) END`.as("project_name"),
  schoolName: sql<string | null>`(SELECT name FROM schools WHERE schools.id = ${issues.schoolId})`.as(
    "school_name",
  ),
};

/** One segment read in `mode` (null when its filters cannot match anything). */
export function segmentQuery(db: TenantDb, segment: Segment, now: Date, mode: IndexMode, extra: SQL[] = []) {
  const where = filterConditions(segment.filters, now, mode);
  if (!where) return null;
  return db
    .select(listSelection)
    .from(issues)
    .where(and(...where, ...segment.bounds, ...extra))
    .orderBy(
      ...segment.order.map(({ column, dir }) => {
        // Seeking sorts the few matching rows: `+` keeps the planner from walking the sort's index instead.
        const key = mode === "seek" ? sql`+${column}` : sql`${column}`;
        return dir === "asc" ? asc(key) : desc(key);
      }),
    )
    .limit(segment.limit);
}

/**
 * The probe: about how many rows seeking would read, up to BROAD_FILTER_ROWS, reading at most that many
 * index entries. With full text (search, or a tag): the matching documents, from the FTS index alone.
 * Otherwise: the rows the indexed filters match; archived, `breached: false` and the like are left to the
 * read itself (they rarely narrow much and would cost a table lookup per entry counted).
 */
function probeQuery(db: TenantDb, segment: Segment, now: Date): { sql: string; params: unknown[] } | null {
  const f = segment.filters;
  if (f.search || f.tag) {
    const match = f.search ? toFtsQuery(f.search) : toFtsPhrase(f.tag!, "body");
    if (!match) return null;
    return {
      sql: "SELECT 1 FROM search_documents WHERE search_documents MATCH ? LIMIT ?",
      params: [match, BROAD_FILTER_ROWS],
    };
  }
  const where = filterConditions(
    { ...f, breached: f.breached === true ? true : undefined },
    now,
    "seek",
    true,
  );
  if (!where) return null;
  return db
    .select({ one: sql`1` })
    .from(issues)
    .where(and(...where, ...segment.bounds))
    .limit(BROAD_FILTER_ROWS)
    .toSQL();
}

/**
 * Whether to read `segment` by seeking or along the sort's index: one bounded count (the probe). Measured at
 * 100k issues, a probe and then the right query beat both a single compound statement choosing its branch
 * at run time (SQLite still prepared the unused branch's IN lists) and always seeking or always walking.
 * A segment issues_project_priority_idx serves walks it: without other indexed filters at once (nothing
 * could be read more narrowly), with them when they are broad.
 */
export async function chooseMode(db: TenantDb, segment: Segment, now: Date): Promise<IndexMode> {
  if (!hasSeekableFilter(segment.filters)) return "ordered";
  const along = walksProjectPriority(segment);
  if (along && !hasSeekableFilter({ ...segment.filters, projectId: undefined })) return "project-priority";
  const probe = probeQuery(db, segment, now);
  if (!probe) return "seek";
  const { sql: text, params } = probe;
  const result = await db.$client.execute({
    sql: `SELECT count(*) AS n FROM (${text})`,
    args: params as never,
  });
  if (Number(result.rows[0]?.n ?? 0) < BROAD_FILTER_ROWS) return "seek";
  return along ? "project-priority" : "ordered";
}

/** A row of a list statement, decoded as drizzle would (timestamps, JSON). */
export function decodeListRow(raw: Record<string, unknown>) {
  const out: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(listColumns)) {
    // The schema names columns by casing (snake_case), as the SQL does.
    const value = raw[column.name.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`)];
    out[field] = value === null || value === undefined ? null : column.mapFromDriverValue(value as never);
  }
  return {
    ...(out as IssueListRow),
    projectKey: (raw.project_key as string | null) ?? null,
    projectName: (raw.project_name as string | null) ?? null,
    schoolName: (raw.school_name as string | null) ?? null,
  };
}
