import { inArray } from "drizzle-orm";
import { auditBy, auditRow } from "../../../../db/audit";
import type { ServiceContext } from "../../../../db/context";
import { users } from "../../../../db/control/schema";
import { auditLog, groups } from "../../../../db/tenant/schema";
import { toCsv } from "../../../../shared/csv";
import {
  type ExportIssuesInput,
  exportIssuesInput,
  MAX_EXPORT_ROWS,
} from "../../../../shared/schemas/issues";
import { issueTypeLabels, statusDef } from "../../../../shared/schemas/workflows";
import { issuePage, type ListRow, refOf, sharedRefs } from "./list";
import { issueKey, schoolRefOf, slaOf } from "./views";

const PAGE = 1000;
const LOOKUP_CHUNK = 500;

async function namesOf<T extends { id: string; name: string }>(
  ids: readonly (string | null)[],
  load: (chunk: string[]) => Promise<T[]>,
): Promise<Map<string, string>> {
  const unique = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  const out = new Map<string, string>();
  for (let i = 0; i < unique.length; i += LOOKUP_CHUNK) {
    for (const row of await load(unique.slice(i, i + LOOKUP_CHUNK))) out.set(row.id, row.name);
  }
  return out;
}

const FIELDS = [
  "key",
  "title",
  "type",
  "status",
  "priority",
  "project",
  "school",
  "requester",
  "assignee",
  "group",
  "tags",
  "dueAt",
  "responseDueAt",
  "resolutionDueAt",
  "responseSla",
  "resolutionSla",
  "createdAt",
  "updatedAt",
  "resolvedAt",
  "closedAt",
  "id",
] as const;

/**
 * The issues matching the filters, in the list's sort, as a CSV file (at most 10 000 rows; `truncated`
 * says when more matched). Formula-looking cells are neutralised. Exports are audited.
 */
export async function exportIssues(ctx: ServiceContext, raw: ExportIssuesInput, now = new Date()) {
  const input = exportIssuesInput.parse(raw);
  const { db, control } = ctx;
  const rows: ListRow[] = [];
  let cursor: string | undefined;
  let truncated = false;
  for (;;) {
    const page = await issuePage(
      db,
      { filters: input.filters, sort: input.sort, cursor, limit: PAGE },
      now,
      Math.min(PAGE, MAX_EXPORT_ROWS - rows.length),
    );
    rows.push(...page.rows);
    if (!page.nextCursor) break;
    if (rows.length >= MAX_EXPORT_ROWS) {
      truncated = true;
      break;
    }
    cursor = page.nextCursor;
  }
  const [shared, people, groupNames] = await Promise.all([
    sharedRefs(control),
    namesOf(
      rows.flatMap((r) => [r.requesterId, r.assigneeUserId]),
      (chunk) =>
        control.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, chunk)),
    ),
    namesOf(
      rows.map((r) => r.assigneeGroupId),
      (chunk) =>
        db.select({ id: groups.id, name: groups.name }).from(groups).where(inArray(groups.id, chunk)),
    ),
  ]);
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  const person = (id: string | null) => (id ? (people.get(id) ?? id) : null);
  const data = rows.map((r) => {
    const project = refOf(r, shared);
    const sla = slaOf(r, now);
    const cells: Record<(typeof FIELDS)[number], string | number | null> = {
      key: issueKey(project, r.number),
      title: r.title,
      type: issueTypeLabels[r.type],
      status: statusDef(r.type, r.status)?.label ?? r.status,
      priority: r.priority,
      project: project.name,
      school: schoolRefOf(r.schoolId, r.schoolName)?.name ?? null,
      requester: person(r.requesterId),
      assignee: person(r.assigneeUserId),
      group: r.assigneeGroupId ? (groupNames.get(r.assigneeGroupId) ?? r.assigneeGroupId) : null,
      tags: r.tags.join(", "),
      dueAt: iso(r.dueAt),
      responseDueAt: iso(r.responseDueAt),
      resolutionDueAt: iso(r.resolutionDueAt),
      responseSla: sla.response,
      resolutionSla: sla.resolution,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
      resolvedAt: iso(r.resolvedAt),
      closedAt: iso(r.closedAt),
      id: r.id,
    };
    return FIELDS.map((f) => cells[f]);
  });
  await db.insert(auditLog).values(
    auditRow(
      auditBy(ctx, "issue", null, {
        action: "issues.exported",
        after: { format: "csv", rows: rows.length, truncated, filters: input.filters, sort: input.sort },
      }),
      now,
    ),
  );
  return {
    filename: `issues-${now.toISOString().slice(0, 10)}.csv`,
    contentType: "text/csv; charset=utf-8",
    content: toCsv(FIELDS, data),
    rows: rows.length,
    truncated,
  };
}
