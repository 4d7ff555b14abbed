import { eq } from "drizzle-orm";
import Papa from "papaparse";
import { beforeAll, describe, expect, it } from "vitest";
import { users } from "../../db/control/schema";
import { auditLog, issueHistory, schools } from "../../db/tenant/schema";
import { issueTypes, priorities } from "../../shared/schemas/issue-model";
import type { IssueFilters, IssueListItem, IssueSort, ListIssuesInput } from "../../shared/schemas/issues";
import { listIssuesInput } from "../../shared/schemas/issues";
import { priorityOf, priorityOrder, slaDueDates, statusDef, workflows } from "../../shared/schemas/workflows";
import { bulkAssign, bulkClose, bulkTransition } from "../../worker/packages/projects/issues/bulk";
import { insertIssueRows, issueRow } from "../../worker/packages/projects/issues/bulk-load";
import { exportIssues } from "../../worker/packages/projects/issues/export";
import { getIssue } from "../../worker/packages/projects/issues/get";
import { explainIssueList, listIssues } from "../../worker/packages/projects/issues/list";
import { listDefaults } from "../../worker/packages/projects/issues/list-defaults";
import type { IssueRow } from "../../worker/packages/projects/issues/rows";
import {
  createSavedFilter,
  deleteSavedFilter,
  listSavedFilters,
  updateSavedFilter,
} from "../../worker/packages/projects/saved-filters/service";
import { errorOf, group, helpDesk, type Org, twoOrganizations } from "./issues-support";

let w: Awaited<ReturnType<typeof twoOrganizations>>;
let a: Org;
let rows: IssueRow[];
let help: { id: string; key: string };
let techGroup: { id: string };
/** Two schools; every third issue is about neither. */
let schoolIds: [string, string];
const NOW = new Date();
const N = 150;

const words = ["projector", "printers", "wi-fi", "chromebook", "badge reader", "phones"];

beforeAll(async () => {
  w = await twoOrganizations();
  a = w.a;
  help = await helpDesk(a, "LIST");
  techGroup = await group(a, "Technicians");
  schoolIds = ["school-north", "school-south"];
  await a.db.insert(schools).values(
    schoolIds.map((id, i) => ({
      id,
      code: `90${i}0`,
      name: i === 0 ? "North Elementary" : "South Middle",
      level: "elementary" as const,
      lowGrade: 0,
      highGrade: 5,
      createdAt: NOW,
      updatedAt: NOW,
    })),
  );
  const base = NOW.getTime() - 40 * 86_400_000;
  rows = [];
  for (let i = 0; i < N; i++) {
    const type = issueTypes[i % issueTypes.length]!;
    const statuses = workflows[type].statuses;
    const status = statuses[Math.floor(i / issueTypes.length) % statuses.length]!;
    const impact = (["high", "medium", "low"] as const)[i % 3]!;
    const urgency = (["high", "medium", "low"] as const)[(i >> 1) % 3]!;
    const priority = type === "incident" ? priorityOf(impact, urgency) : priorities[i % 4]!;
    const createdAt = new Date(base + i * 3_600_000 * 5);
    // Shuffled update times, with ties every tenth issue to exercise the id tie-break.
    const updatedAt = new Date(
      base + ((i * 61) % N) * 600_000 + (i % 10 === 0 ? 0 : 1) + 40 * 86_400_000 * 0.5,
    );
    const ended = status.category !== "open";
    rows.push(
      issueRow({
        number: i + 1,
        projectScope: i % 4 === 0 ? "shared" : "tenant",
        projectId: i % 4 === 0 ? w.tech.id : help.id,
        type,
        title: `${words[i % words.length]} trouble number ${i}`,
        status: status.key,
        priority,
        impact: type === "incident" ? impact : null,
        urgency: type === "incident" ? urgency : null,
        requesterId: i % 2 === 0 ? a.owner.id : a.member.id,
        assigneeUserId: [a.owner.id, a.member.id, null][i % 3]!,
        assigneeGroupId: i % 2 === 0 ? techGroup.id : null,
        schoolId: [schoolIds[0], schoolIds[1], null][i % 3]!,
        tags: i % 5 === 0 ? ["wi-fi", "network"] : i % 7 === 0 ? ["printer"] : [],
        ...slaDueDates(priority, createdAt),
        respondedAt: status.key === workflows[type].initial ? null : new Date(createdAt.getTime() + 60_000),
        resolvedAt: ended ? new Date(createdAt.getTime() + 2 * 3_600_000) : null,
        closedAt: status.category === "closed" ? new Date(createdAt.getTime() + 3 * 3_600_000) : null,
        createdAt,
        updatedAt,
        archivedAt: i % 25 === 3 ? updatedAt : null,
      }),
    );
  }
  await insertIssueRows(
    a.db,
    rows,
    new Map([
      [help.id, "LIST"],
      [w.tech.id, "TECH"],
    ]),
  );
});

/** What the list should answer, computed in memory from the rows. */
function expected(filters: IssueFilters, sort: IssueSort): string[] {
  const rank = (p: string) => priorityOrder.indexOf(p as never);
  const matches = rows.filter((r) => {
    if (filters.projectScope && r.projectScope !== filters.projectScope) return false;
    if (filters.projectId && r.projectId !== filters.projectId) return false;
    if (filters.status && !filters.status.includes(r.status)) return false;
    if (filters.type && !filters.type.includes(r.type)) return false;
    if (filters.priority && !filters.priority.includes(r.priority)) return false;
    if (filters.assigneeUserId !== undefined && r.assigneeUserId !== filters.assigneeUserId) return false;
    if (filters.assigneeGroupId !== undefined && r.assigneeGroupId !== filters.assigneeGroupId) return false;
    if (filters.requesterId && r.requesterId !== filters.requesterId) return false;
    if (filters.schoolId !== undefined && r.schoolId !== filters.schoolId) return false;
    if (filters.tag && !r.tags.includes(filters.tag)) return false;
    const breached = r.resolvedAt === null && r.resolutionDueAt !== null && r.resolutionDueAt < NOW;
    if (filters.breached !== undefined && breached !== filters.breached) return false;
    if (Boolean(filters.archived) !== (r.archivedAt !== null)) return false;
    if (sort.field === "resolutionDueAt" && r.resolvedAt !== null) return false;
    return true;
  });
  const dir = sort.direction === "asc" ? 1 : -1;
  const cmp = (x: number | string, y: number | string) => (x < y ? -1 : x > y ? 1 : 0);
  matches.sort((x, y) => {
    switch (sort.field) {
      case "updatedAt":
        return dir * (cmp(x.updatedAt.getTime(), y.updatedAt.getTime()) || cmp(x.id, y.id));
      case "resolutionDueAt":
        return dir * (cmp(x.resolutionDueAt!.getTime(), y.resolutionDueAt!.getTime()) || cmp(x.id, y.id));
      case "createdAt":
      case "number":
        return dir * cmp(x.number, y.number);
      default:
        return (
          -dir * cmp(rank(x.priority), rank(y.priority)) ||
          -cmp(x.updatedAt.getTime(), y.updatedAt.getTime()) ||
          -cmp(x.id, y.id)
        );
    }
  });
  return matches.map((r) => r.id);
}

async function everyPage(input: ListIssuesInput): Promise<IssueListItem[]> {
  const out: IssueListItem[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const page = await listIssues(a, { ...input, cursor, limit: 7 }, NOW);
    out.push(...page.items);
    if (!page.nextCursor) return out;
    cursor = page.nextCursor;
  }
  throw new Error("too many pages");
}

/** Built lazily: the ids they name exist only once the data set is loaded. */
const combos: { name: string; make: () => { filters: IssueFilters; sort?: IssueSort } }[] = [
  { name: "no filter, most recently changed first", make: () => ({ filters: {} }) },
  {
    name: "status and priority",
    make: () => ({ filters: { status: ["new", "in_progress"], priority: ["high", "critical"] } }),
  },
  {
    name: "one status and one priority",
    make: () => ({ filters: { status: ["new"], priority: ["critical"] } }),
  },
  {
    name: "a project and its open statuses",
    make: () => ({ filters: { projectScope: "tenant", projectId: help.id, status: ["new", "triaged"] } }),
  },
  { name: "a shared project", make: () => ({ filters: { projectScope: "shared", projectId: w.tech.id } }) },
  { name: "an assignee", make: () => ({ filters: { assigneeUserId: a.member.id } }) },
  { name: "unassigned", make: () => ({ filters: { assigneeUserId: null } }) },
  {
    name: "a group and statuses",
    make: () => ({ filters: { assigneeGroupId: techGroup.id, status: ["new", "reported", "draft"] } }),
  },
  { name: "subtypes", make: () => ({ filters: { type: ["incident", "change"] } }) },
  { name: "a requester", make: () => ({ filters: { requesterId: a.owner.id } }) },
  { name: "a school", make: () => ({ filters: { schoolId: schoolIds[0] } }) },
  {
    name: "a school and statuses, by priority",
    make: () => ({
      filters: { schoolId: schoolIds[1], status: ["new", "reported", "draft"] },
      sort: { field: "priority", direction: "desc" },
    }),
  },
  { name: "about no school", make: () => ({ filters: { schoolId: null, requesterId: a.owner.id } }) },
  { name: "breached", make: () => ({ filters: { breached: true } }) },
  { name: "not breached", make: () => ({ filters: { breached: false, type: ["repair"] } }) },
  { name: "a tag", make: () => ({ filters: { tag: "wi-fi" } }) },
  { name: "archived ones", make: () => ({ filters: { archived: true } }) },
  { name: "by number", make: () => ({ filters: {}, sort: { field: "number", direction: "asc" } }) },
  {
    name: "by filing order",
    make: () => ({ filters: { type: ["repair"] }, sort: { field: "createdAt", direction: "desc" } }),
  },
  {
    name: "by priority, most urgent first",
    make: () => ({ filters: {}, sort: { field: "priority", direction: "desc" } }),
  },
  {
    name: "by priority within filters",
    make: () => ({
      filters: { status: ["new"], priority: ["low", "critical"] },
      sort: { field: "priority", direction: "asc" },
    }),
  },
  {
    name: "a project, by priority",
    make: () => ({
      filters: { projectScope: "tenant", projectId: help.id },
      sort: { field: "priority", direction: "desc" },
    }),
  },
  {
    name: "a project and one priority",
    make: () => ({ filters: { projectScope: "tenant", projectId: help.id, priority: ["high"] } }),
  },
  {
    name: "by resolution due, soonest first",
    make: () => ({ filters: {}, sort: { field: "resolutionDueAt", direction: "asc" } }),
  },
  {
    name: "oldest change first",
    make: () => ({ filters: { assigneeUserId: a.owner.id }, sort: { field: "updatedAt", direction: "asc" } }),
  },
];

describe("the issue list", () => {
  it.each(combos)("answers $name completely and in order across pages", async ({ make }) => {
    const { filters, sort } = make();
    const s = sort ?? { field: "updatedAt", direction: "desc" };
    const want = expected(filters, s);
    expect(want.length, "the data set should exercise this combination").toBeGreaterThan(0);
    const got = await everyPage({ filters, sort: s });
    expect(got.map((i) => i.id)).toEqual(want);
  });

  it.each(combos)("serves $name from indexes (no full scan, page after page)", async ({ make }) => {
    const { filters, sort } = make();
    const s = sort ?? { field: "updatedAt", direction: "desc" };
    const first = await listIssues(a, { filters, sort: s, limit: 3 }, NOW);
    const inputs: ListIssuesInput[] = [{ filters, sort: s, limit: 3 }];
    if (first.nextCursor) inputs.push({ filters, sort: s, limit: 3, cursor: first.nextCursor });
    for (const input of inputs) {
      for (const { plan } of await explainIssueList(a.db, input, NOW)) {
        const fullScans = plan.filter(
          (line) => /^SCAN issues\b/.test(line) && !/USING (COVERING )?INDEX/.test(line),
        );
        expect(fullScans, plan.join("\n")).toEqual([]);
      }
    }
  });

  it("reads a project by priority along the project-and-priority index, sorting nothing, page after page", async () => {
    const input: ListIssuesInput = {
      filters: { projectScope: "tenant", projectId: help.id },
      sort: { field: "priority", direction: "desc" },
      limit: 3,
    };
    const first = await listIssues(a, input, NOW);
    expect(first.nextCursor).not.toBeNull();
    for (const page of [input, { ...input, cursor: first.nextCursor! }]) {
      const plans = await explainIssueList(a.db, page, NOW);
      expect(plans.length).toBeGreaterThan(0);
      for (const { mode, plan } of plans) {
        expect(mode).toBe("project-priority");
        expect(plan.join("\n")).toMatch(
          /^SEARCH issues USING INDEX issues_project_priority_idx \(project_scope=\? AND project_id=\? AND priority=\?/m,
        );
        expect(plan.join("\n")).not.toMatch(/TEMP B-TREE/);
      }
    }
  });

  it("seeks a school (and its statuses) through issues_school_idx, page after page", async () => {
    for (const filters of [
      { schoolId: schoolIds[0] },
      { schoolId: schoolIds[1], status: ["new", "in_progress"] },
    ] as IssueFilters[]) {
      const input: ListIssuesInput = { filters, limit: 3 };
      const first = await listIssues(a, input, NOW);
      expect(first.nextCursor).not.toBeNull();
      for (const page of [input, { ...input, cursor: first.nextCursor! }]) {
        const [read] = await explainIssueList(a.db, page, NOW);
        expect(read!.mode).toBe("seek");
        const index = filters.status ? "school_id=\\? AND status=\\?" : "school_id=\\?";
        expect(read!.plan.join("\n")).toMatch(
          new RegExp(`^SEARCH issues USING INDEX issues_school_idx \\(${index}[ )]`, "m"),
        );
      }
    }
    const { items } = await listIssues(a, { filters: { schoolId: schoolIds[0] }, limit: 2 }, NOW);
    expect(items.map((i) => i.school)).toEqual([
      { id: schoolIds[0], name: "North Elementary" },
      { id: schoolIds[0], name: "North Elementary" },
    ]);
  });

  it("finds issues by words of their title, stemmed, within the other filters", async () => {
    const hits = await everyPage({ filters: { search: "printer", type: ["incident"] } });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.title.startsWith("printers") && h.type === "incident")).toBe(true);
    const byReference = await listIssues(a, { filters: { search: "LIST-2" } }, NOW);
    expect(byReference.items.map((i) => i.key)).toContain("LIST-2");
    expect((await listIssues(a, { filters: { search: '"*' } }, NOW)).items).toEqual([]);
  });

  it("shows each issue's reference, project and SLA state", async () => {
    const { items } = await listIssues(a, { filters: { breached: true }, limit: 100 }, NOW);
    for (const item of items) {
      expect(item.sla.resolution).toBe("breached");
      expect(item.key).toBe(`${item.project.key}-${item.number}`);
    }
    const shared = (
      await listIssues(a, { filters: { projectScope: "shared", projectId: w.tech.id }, limit: 1 }, NOW)
    ).items[0]!;
    expect(shared.project).toEqual({
      scope: "shared",
      id: w.tech.id,
      key: "TECH",
      name: "Technology Service",
    });
  });

  it("refuses malformed filters and cursors with 400s", async () => {
    for (const bad of [
      { filters: { status: ["nonsense"] } },
      { filters: { priority: [] } },
      { filters: { projectId: help.id } },
      { filters: { unknown: true } },
      { sort: { field: "title" } },
      { limit: 101 },
      { filters: { tag: "<script>" } },
    ]) {
      expect(listIssuesInput.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    for (const cursor of ["garbage", btoa('["updatedAt:desc",1]'), btoa("[]"), "%%%"]) {
      const error = await errorOf(listIssues(a, { cursor }, NOW));
      expect(error.code).toBe("BAD_REQUEST");
      expect(error.details.fieldErrors).toHaveProperty("cursor");
    }
    // A cursor of one sort is refused by another.
    const page = await listIssues(a, { limit: 2 }, NOW);
    const error = await errorOf(listIssues(a, { cursor: page.nextCursor!, sort: { field: "number" } }, NOW));
    expect(error.code).toBe("BAD_REQUEST");
  });
});

describe("list defaults", () => {
  it("offer the caller's remembered project as filters without applying it", async () => {
    expect(await listDefaults(a.as(a.member))).toEqual({ project: null, school: null, filters: {} });
    await w.control
      .update(users)
      .set({ preferences: { contexts: { [a.tenant.id]: { projectId: w.tech.id } } } })
      .where(eq(users.id, a.member.id));
    expect(await listDefaults(a.as(a.member))).toEqual({
      project: { scope: "shared", id: w.tech.id, key: "TECH", name: "Technology Service" },
      school: null,
      filters: { projectScope: "shared", projectId: w.tech.id },
    });
    // The list itself still answers every project when none is named.
    const all = await listIssues(a.as(a.member), { limit: 100 }, NOW);
    expect(new Set(all.items.map((i) => i.project.scope))).toEqual(new Set(["tenant", "shared"]));
    // Another organization's project remembered by mistake is not offered.
    await w.control
      .update(users)
      .set({ preferences: { contexts: { [a.tenant.id]: { projectId: "someone-elses" } } } })
      .where(eq(users.id, a.member.id));
    expect((await listDefaults(a.as(a.member))).project).toBeNull();
  });
});

describe("CSV export", () => {
  it("exports the filtered list in its order, neutralising formulas, and audits it", async () => {
    const filters: IssueFilters = { type: ["incident"] };
    const file = await exportIssues(
      a.as(a.member),
      { filters, sort: { field: "number", direction: "asc" } },
      NOW,
    );
    expect(file.contentType).toBe("text/csv; charset=utf-8");
    expect(file.truncated).toBe(false);
    const parsed = Papa.parse<Record<string, string>>(file.content, { header: true, skipEmptyLines: true });
    expect(parsed.data.map((r) => r.id)).toEqual(expected(filters, { field: "number", direction: "asc" }));
    expect(file.rows).toBe(parsed.data.length);
    const first = parsed.data[0]!;
    expect(first.type).toBe("Incident");
    expect([first.requester, first.assignee]).toContain("Mel Member");
    expect(first.key).toMatch(/^(LIST|TECH)-\d+$/);
    const audit = await a.db.select().from(auditLog).where(eq(auditLog.action, "issues.exported"));
    expect(audit.at(-1)?.after).toMatchObject({ rows: file.rows, truncated: false });
  });

  it("prefixes cells that a spreadsheet would run as formulas", async () => {
    const { createIssue } = await import("../../worker/packages/projects/issues/create");
    const evil = await createIssue(a.as(a.member), {
      projectScope: "tenant",
      projectId: help.id,
      type: "service_request",
      title: '=HYPERLINK("http://evil.example","click")',
    });
    const file = await exportIssues(a.as(a.member), { filters: { search: "hyperlink" } }, new Date());
    const parsed = Papa.parse<Record<string, string>>(file.content, { header: true, skipEmptyLines: true });
    expect(parsed.data.find((r) => r.id === evil.id)?.title).toBe(
      `'=HYPERLINK("http://evil.example","click")`,
    );
  });
});

describe("bulk actions", () => {
  it("assign many issues with one result each, history and audit per change, and NOT_FOUND for strangers", async () => {
    const ids = expected({ status: ["new"] }, { field: "number", direction: "asc" }).slice(0, 4);
    const theirs = "not-an-issue-here";
    const result = await bulkAssign(a.as(a.member), {
      ids: [...ids, theirs, ids[0]!],
      assigneeUserId: a.owner.id,
    });
    expect(result.results.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(result.results[4]).toMatchObject({ ok: false, code: "NOT_FOUND" });
    // The repeated id is changed once.
    expect(result.results[5]).toMatchObject({ ok: true, changed: false });
    const changed = result.results.filter((r) => r.ok && r.changed).map((r) => ids[r.index]!);
    expect(result.changed).toBe(changed.length);
    for (const id of ids) expect((await getIssue(a, id)).assigneeUserId).toBe(a.owner.id);
    for (const id of changed) {
      const history = await a.db.select().from(issueHistory).where(eq(issueHistory.issueId, id));
      expect(history.map((h) => h.field)).toContain("assigneeUserId");
      expect(
        (await a.db.select().from(auditLog).where(eq(auditLog.targetId, id))).map((r) => r.action),
      ).toContain("issue.updated");
    }
    // Assigning to someone who is not an active member is refused as a whole, nothing written.
    const outsider = await errorOf(bulkAssign(a.as(a.member), { ids, assigneeUserId: w.b.owner.id }));
    expect(outsider.code).toBe("NOT_FOUND");
  });

  it("move each issue only where its own workflow allows, reporting the others", async () => {
    const incidents = expected(
      { type: ["incident"], status: ["new"] },
      { field: "number", direction: "asc" },
    );
    const requests = expected(
      { type: ["service_request"], status: ["new"] },
      { field: "number", direction: "asc" },
    );
    const ids = [incidents[0]!, requests[0]!];
    const result = await bulkTransition(a.as(a.member), { ids, to: "triaged" });
    expect(result.results[0]).toMatchObject({ ok: true, changed: true });
    expect(result.results[1]).toMatchObject({ ok: false, code: "BAD_REQUEST", reason: "invalid_transition" });
    expect((await getIssue(a, ids[1]!)).status).toBe("new");
    expect(result.changed).toBe(1);
  });

  it("close what can be closed, to each workflow's final status", async () => {
    const resolvedIncident = rows.find(
      (r) => r.type === "incident" && r.status === "resolved" && !r.archivedAt,
    )!;
    const inReview = rows.find(
      (r) => r.type === "post_incident_analysis" && r.status === "in_review" && !r.archivedAt,
    )!;
    const fresh = rows.find((r) => r.type === "repair" && r.status === "reported" && !r.archivedAt)!;
    const archived = rows.find((r) => r.archivedAt)!;
    const result = await bulkClose(a.as(a.member), {
      ids: [resolvedIncident.id, inReview.id, fresh.id, archived.id],
    });
    expect(result.results.map((r) => (r.ok ? "ok" : r.reason))).toEqual([
      "ok",
      "ok",
      "invalid_transition",
      "issue_archived",
    ]);
    expect((await getIssue(a, resolvedIncident.id)).status).toBe("closed");
    expect((await getIssue(a, inReview.id)).status).toBe("published");
    expect(statusDef("repair", (await getIssue(a, fresh.id)).status)?.key).toBe("reported");
  });

  it("refuse more than 200 issues at once", async () => {
    const { bulkCloseInput } = await import("../../shared/schemas/issues");
    expect(bulkCloseInput.safeParse({ ids: Array.from({ length: 201 }, (_, i) => `id-${i}`) }).success).toBe(
      false,
    );
  });
});

describe("saved filters", () => {
  it("belong to the person who saved them: others neither see nor change them", async () => {
    const mine = await createSavedFilter(a.as(a.member), {
      name: "My open incidents",
      filters: { type: ["incident"], assigneeUserId: a.member.id, status: ["new", "in_progress"] },
      sort: { field: "priority", direction: "desc" },
    });
    expect(mine.sort).toEqual({ field: "priority", direction: "desc" });
    await createSavedFilter(a.as(a.owner), { name: "My open incidents", filters: { type: ["incident"] } });
    expect((await listSavedFilters(a.as(a.member))).items.map((f) => f.id)).toEqual([mine.id]);
    expect((await listSavedFilters(a.as(a.owner))).items.map((f) => f.name)).toEqual(["My open incidents"]);
    expect((await errorOf(updateSavedFilter(a.as(a.owner), { id: mine.id, name: "Taken" }))).code).toBe(
      "NOT_FOUND",
    );
    expect((await errorOf(deleteSavedFilter(a.as(a.owner), mine.id))).code).toBe("NOT_FOUND");
    // Names are unique per person.
    expect(
      (await errorOf(createSavedFilter(a.as(a.member), { name: "My open incidents", filters: {} }))).code,
    ).toBe("CONFLICT");
    const renamed = await updateSavedFilter(a.as(a.member), { id: mine.id, name: "Mine, urgent first" });
    expect(renamed.filters).toEqual(mine.filters);
    // A saved filter drives the list as it is.
    const viaPreset = await listIssues(a, { filters: renamed.filters, sort: renamed.sort ?? undefined }, NOW);
    expect(viaPreset.items.every((i) => i.type === "incident" && i.assigneeUserId === a.member.id)).toBe(
      true,
    );
    expect(await deleteSavedFilter(a.as(a.member), mine.id)).toEqual({ deleted: true });
    expect((await listSavedFilters(a.as(a.member))).items).toEqual([]);
  });
});
