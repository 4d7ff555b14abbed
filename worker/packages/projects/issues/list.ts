import type { z } from "zod";
import type { ControlDb, TenantDb } from "../../../../db/client";
import type { ServiceContext } from "../../../../db/context";
import { type IssueListItem, type ListIssuesInput, listIssuesInput } from "../../../../shared/schemas/issues";
import type { ProjectRef } from "../../../../shared/schemas/projects";
import { priorityOrder } from "../../../../shared/schemas/workflows";
import { guardFts } from "../../../search/search";
import { listSharedProjects, refKey, unknownProject } from "../projects/views";
import { decodeIssueCursor, encodeIssueCursor, type IssueCursor } from "./cursor";
import {
  chooseMode,
  decodeListRow,
  type IndexMode,
  pageSegments,
  type Segment,
  segmentQuery,
} from "./list-query";
import { schoolRefOf, toIssueListItem } from "./views";

export type ParsedListInput = z.output<typeof listIssuesInput>;
export type ListRow = ReturnType<typeof decodeListRow>;

/** The queries a page of the list runs (the first alone for every sort but priority). */
export function listSegments(input: ParsedListInput, limit = input.limit): Segment[] {
  const cursor = input.cursor ? decodeIssueCursor(input.sort, input.cursor) : null;
  return pageSegments(input.filters, input.sort, cursor, limit);
}

function cursorAfter(input: ParsedListInput, row: ListRow): IssueCursor {
  switch (input.sort.field) {
    case "updatedAt":
      return { kind: "time", at: row.updatedAt.getTime(), id: row.id };
    case "resolutionDueAt":
      return { kind: "time", at: row.resolutionDueAt!.getTime(), id: row.id };
    case "createdAt":
    case "number":
      return { kind: "number", number: row.number };
    case "priority":
      return {
        kind: "priority",
        rank: priorityOrder.indexOf(row.priority),
        at: row.updatedAt.getTime(),
        id: row.id,
      };
  }
}

/** Raw rows of one page (limit + 1 read to know whether another page follows) and the next cursor. */
export async function issuePage(
  db: TenantDb,
  input: ParsedListInput,
  now: Date,
  limit = input.limit,
): Promise<{ rows: ListRow[]; nextCursor: string | null }> {
  const rows: ListRow[] = [];
  for (const segment of listSegments(input, limit + 1)) {
    const want = limit + 1 - rows.length;
    if (want <= 0) break;
    const part = { ...segment, limit: want };
    const result = await guardFts(async () => {
      const query = segmentQuery(db, part, now, await chooseMode(db, part, now))?.toSQL();
      return query ? (await db.$client.execute({ sql: query.sql, args: query.params as never })).rows : [];
    });
    for (const raw of result) rows.push(decodeListRow(raw as unknown as Record<string, unknown>));
  }
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  return {
    rows: page,
    nextCursor: more && last ? encodeIssueCursor(input.sort, cursorAfter(input, last)) : null,
  };
}

/** Refs of the page's projects: the organization's own come with the rows, shared ones from control. */
export function refOf(row: ListRow, shared: ReadonlyMap<string, ProjectRef>): ProjectRef {
  if (row.projectScope === "tenant") {
    return row.projectKey !== null
      ? { scope: "tenant", id: row.projectId, key: row.projectKey, name: row.projectName ?? "" }
      : unknownProject("tenant", row.projectId);
  }
  return shared.get(refKey("shared", row.projectId)) ?? unknownProject("shared", row.projectId);
}

/** The shared projects as refs (a handful of rows; read alongside the page, not after it). */
export async function sharedRefs(control: ControlDb): Promise<Map<string, ProjectRef>> {
  const rows = await listSharedProjects(control, true);
  return new Map(
    rows.map((p) => [
      refKey("shared", p.id),
      { scope: "shared" as const, id: p.id, key: p.key, name: p.name },
    ]),
  );
}

/**
 * The organization's issues matching the filters, in the sort asked for, one keyset page at a time. No
 * project filter means all projects: the caller's remembered project is not applied here (see listDefaults).
 */
export async function listIssues(
  ctx: Pick<ServiceContext, "db" | "control">,
  raw: ListIssuesInput,
  now = new Date(),
): Promise<{ items: IssueListItem[]; nextCursor: string | null }> {
  const input = listIssuesInput.parse(raw);
  const [{ rows, nextCursor }, shared] = await Promise.all([
    issuePage(ctx.db, input, now),
    sharedRefs(ctx.control),
  ]);
  return {
    items: rows.map((r) => toIssueListItem(r, refOf(r, shared), schoolRefOf(r.schoolId, r.schoolName), now)),
    nextCursor,
  };
}

/**
 * EXPLAIN QUERY PLAN of each query a page of this list runs, with the branch its probe takes (for tests
 * and the benchmark).
 */
export async function explainIssueList(
  db: TenantDb,
  raw: ListIssuesInput,
  now = new Date(),
): Promise<{ mode: IndexMode; plan: string[] }[]> {
  const input = listIssuesInput.parse(raw);
  const plans: { mode: IndexMode; plan: string[] }[] = [];
  for (const segment of listSegments(input, input.limit + 1)) {
    const mode = await chooseMode(db, segment, now);
    const query = segmentQuery(db, segment, now, mode)?.toSQL();
    if (!query) continue;
    const result = await db.$client.execute({
      sql: `EXPLAIN QUERY PLAN ${query.sql}`,
      args: query.params as never,
    });
    plans.push({ mode, plan: result.rows.map((r) => String(r.detail)) });
  }
  return plans;
}
