import { and, eq } from "drizzle-orm";
import Papa from "papaparse";
import { beforeAll, describe, expect, it } from "vitest";
import { openClient, tenantDatabase } from "../../db/client";
import { systemActor } from "../../db/context";
import { memberships, users } from "../../db/control/schema";
import { auditLog, issueHistory, issues, notifications, schools } from "../../db/tenant/schema";
import { provisionTenant } from "../../db/tenants";
import { newId } from "../../shared/ids";
import {
  type CreateIssueInput,
  createIssueInput,
  listIssuesInput,
  updateIssueInput,
} from "../../shared/schemas/issues";
import { insertIssueRows, issueRow } from "../../worker/packages/projects/issues/bulk-load";
import { createIssue } from "../../worker/packages/projects/issues/create";
import { exportIssues } from "../../worker/packages/projects/issues/export";
import { getIssue } from "../../worker/packages/projects/issues/get";
import { explainIssueList, listIssues } from "../../worker/packages/projects/issues/list";
import { listDefaults } from "../../worker/packages/projects/issues/list-defaults";
import { BROAD_FILTER_ROWS } from "../../worker/packages/projects/issues/list-query";
import { updateIssue } from "../../worker/packages/projects/issues/update";
import { createSavedFilter, listSavedFilters } from "../../worker/packages/projects/saved-filters/service";
import { searchDocuments } from "../../worker/search/search";
import { demoDistricts, demoUsers } from "../../worker/seed/demo-data";
import { seedDemoIssues } from "../../worker/seed/demo-issues";
import { freshControl, planeWithControl, uniqueName } from "../support/databases";
import { errorOf, footprint, helpDesk, type Org, twoOrganizations } from "./issues-support";

let w: Awaited<ReturnType<typeof twoOrganizations>>;
let a: Org;
let b: Org;
let help: { id: string; key: string };
let lincoln: { id: string; name: string };
let washington: { id: string; name: string };
/** Closed before any test files an issue there. */
let oldMill: { id: string; name: string };
/** Another organization's school: its id does not exist in a's database. */
let theirs: { id: string; name: string };

async function school(org: Org, code: string, name: string, status: "open" | "closed" = "open") {
  const now = new Date();
  const row = {
    id: newId(),
    code,
    name,
    level: "elementary" as const,
    lowGrade: 0,
    highGrade: 5,
    status,
    closedOn: status === "closed" ? "2024-06-01" : null,
    createdAt: now,
    updatedAt: now,
  };
  await org.db.insert(schools).values(row);
  return { id: row.id, name };
}

const closeSchool = (org: Org, id: string) =>
  org.db.update(schools).set({ status: "closed", closedOn: "2025-06-01" }).where(eq(schools.id, id));

beforeAll(async () => {
  w = await twoOrganizations();
  a = w.a;
  b = w.b;
  help = await helpDesk(a, "SCH");
  lincoln = await school(a, "2010", "Lincoln Elementary");
  washington = await school(a, "2020", "Washington Elementary");
  oldMill = await school(a, "2030", "Old Mill Elementary", "closed");
  theirs = await school(b, "2040", "Jefferson Elementary");
});

const request = (extra: Partial<Record<string, unknown>> = {}): CreateIssueInput =>
  ({
    projectScope: "tenant",
    projectId: help.id,
    type: "service_request",
    title: "Replace flickering lights in hallway B",
    ...extra,
  }) as CreateIssueInput;

const historyOf = (issueId: string) =>
  a.db.select().from(issueHistory).where(eq(issueHistory.issueId, issueId)).orderBy(issueHistory.at);

const auditOf = (issueId: string, action: string) =>
  a.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetId, issueId), eq(auditLog.action, action)));

describe("the school of an issue", () => {
  it("is filed with the issue, named, recorded in history and audit, and searchable by its name", async () => {
    const issue = await createIssue(a.as(a.member), request({ schoolId: lincoln.id }));
    expect(issue.schoolId).toBe(lincoln.id);
    expect(issue.names.school).toEqual(lincoln);
    expect(await getIssue(a, issue.id)).toMatchObject({ schoolId: lincoln.id, names: { school: lincoln } });
    const [created] = await historyOf(issue.id);
    expect(created!.field).toBe("created");
    expect(created!.after).toMatchObject({ schoolId: lincoln.id });
    const [audit] = await auditOf(issue.id, "issue.created");
    expect(audit!.after).toMatchObject({ schoolId: lincoln.id });
    const hits = await searchDocuments(a.db, "lincoln", { limit: 10 });
    expect(hits.map((h) => h.objectId)).toContain(issue.id);
    // Without a school there is none, and nothing is named.
    const none = await createIssue(a.as(a.member), request());
    expect(none.schoolId).toBeNull();
    expect(none.names.school).toBeNull();
  });

  it("changes and clears with one history row and audit entry each, telling watchers the school changed", async () => {
    const issue = await createIssue(a.as(a.member), request({ title: "Badge reader offline" }));
    const moved = await updateIssue(a.as(a.owner), {
      id: issue.id,
      version: issue.version,
      schoolId: washington.id,
    });
    expect(moved.schoolId).toBe(washington.id);
    expect(moved.names.school).toEqual(washington);
    expect(moved.version).toBe(issue.version + 1);
    const changes = (await historyOf(issue.id)).filter((h) => h.field !== "created");
    expect(changes.map((h) => [h.field, h.before, h.after])).toEqual([["schoolId", null, washington.id]]);
    const [audit] = await auditOf(issue.id, "issue.updated");
    expect(audit!.before).toEqual({ schoolId: null });
    expect(audit!.after).toEqual({ schoolId: washington.id });
    // The requester watches the issue and hears of the change in words.
    const notices = await a.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, a.member.id), eq(notifications.issueId, issue.id)));
    expect(notices.map((n) => n.summary)).toEqual([`${moved.key}: school changed`]);
    // The search document was rebuilt in the write's batch, with the new school's name.
    expect((await searchDocuments(a.db, "washington", { limit: 10 })).map((h) => h.objectId)).toContain(
      issue.id,
    );

    // Naming the same school again changes nothing.
    const same = await updateIssue(a.as(a.owner), {
      id: issue.id,
      version: moved.version,
      schoolId: washington.id,
    });
    expect(same.version).toBe(moved.version);

    const cleared = await updateIssue(a.as(a.owner), {
      id: issue.id,
      version: moved.version,
      schoolId: null,
    });
    expect(cleared.schoolId).toBeNull();
    expect(cleared.names.school).toBeNull();
    const last = (await historyOf(issue.id)).at(-1)!;
    expect([last.field, last.before, last.after]).toEqual(["schoolId", washington.id, null]);
    expect((await searchDocuments(a.db, "washington", { limit: 10 })).map((h) => h.objectId)).not.toContain(
      issue.id,
    );
  });

  it("cannot be another organization's school: NOT_FOUND at schoolId, nothing written", async () => {
    const issue = await createIssue(a.as(a.member), request({ title: "Phones down" }));
    const before = await footprint(a.db);
    const filed = await errorOf(createIssue(a.as(a.member), request({ schoolId: theirs.id })));
    expect(filed.code).toBe("NOT_FOUND");
    expect(filed.details.fieldErrors).toHaveProperty("schoolId");
    const changed = await errorOf(
      updateIssue(a.as(a.owner), { id: issue.id, version: issue.version, schoolId: theirs.id }),
    );
    expect(changed.code).toBe("NOT_FOUND");
    expect(changed.details.fieldErrors).toHaveProperty("schoolId");
    const made = await errorOf(createIssue(a.as(a.member), request({ schoolId: "no-such-school" })));
    expect(made.code).toBe("NOT_FOUND");
    expect(await footprint(a.db)).toEqual(before);
    expect((await getIssue(a, issue.id)).version).toBe(issue.version);
  });

  it("cannot be a closed school for a new issue or a new choice, but stays on an issue whose school closed", async () => {
    const before = await footprint(a.db);
    const refused = await errorOf(createIssue(a.as(a.member), request({ schoolId: oldMill.id })));
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.details.reason).toBe("school_closed");
    expect(refused.message).toBe("Old Mill Elementary is closed: choose an open school.");
    expect(refused.details.fieldErrors).toEqual({ schoolId: [refused.message] });
    expect(await footprint(a.db)).toEqual(before);

    const elsewhere = await createIssue(a.as(a.member), request({ title: "Leaking roof" }));
    const move = await errorOf(
      updateIssue(a.as(a.owner), { id: elsewhere.id, version: elsewhere.version, schoolId: oldMill.id }),
    );
    expect(move.code).toBe("BAD_REQUEST");
    expect(move.details.fieldErrors).toHaveProperty("schoolId");

    // An issue filed while its school was open keeps it, and stays editable, after the school closes.
    const closing = await school(a, "2050", "Riverside Elementary");
    const issue = await createIssue(a.as(a.member), request({ title: "Boiler noise", schoolId: closing.id }));
    await closeSchool(a, closing.id);
    const edited = await updateIssue(a.as(a.owner), {
      id: issue.id,
      version: issue.version,
      title: "Boiler noise in the gym",
      schoolId: closing.id,
    });
    expect(edited.title).toBe("Boiler noise in the gym");
    expect(edited.schoolId).toBe(closing.id);
    expect(edited.names.school).toEqual(closing);
    // Once moved away, it cannot be moved back to the closed school.
    const away = await updateIssue(a.as(a.owner), {
      id: issue.id,
      version: edited.version,
      schoolId: lincoln.id,
    });
    const back = await errorOf(
      updateIssue(a.as(a.owner), { id: issue.id, version: away.version, schoolId: closing.id }),
    );
    expect(back.details.reason).toBe("school_closed");
  });

  it("refuses malformed school ids as input errors at schoolId", () => {
    for (const bad of ["", "x".repeat(65), 42]) {
      const filed = createIssueInput.safeParse(request({ schoolId: bad }));
      expect(filed.success, JSON.stringify(bad)).toBe(false);
      expect(filed.error?.issues.map((i) => i.path.join("."))).toEqual(["schoolId"]);
      const changed = updateIssueInput.safeParse({ id: "x", version: 1, schoolId: bad });
      expect(changed.error?.issues.map((i) => i.path.join("."))).toEqual(["schoolId"]);
      const listed = listIssuesInput.safeParse({ filters: { schoolId: bad } });
      expect(listed.error?.issues.map((i) => i.path.join("."))).toEqual(["filters.schoolId"]);
    }
  });
});

describe("lists by school", () => {
  /** Issues of this describe block only (titled "Roster …"), by school. */
  const filed: Record<"lincoln" | "washington" | "none", string[]> = {
    lincoln: [],
    washington: [],
    none: [],
  };

  beforeAll(async () => {
    for (let i = 0; i < 9; i++) {
      const where = (["lincoln", "washington", "none"] as const)[i % 3]!;
      const schoolId = where === "lincoln" ? lincoln.id : where === "washington" ? washington.id : null;
      const issue = await createIssue(
        a.as(a.member),
        request({ title: `Roster ${i}`, tags: ["roster"], ...(schoolId ? { schoolId } : {}) }),
      );
      filed[where].push(issue.id);
    }
  });

  it("filter by one school, and by none, naming each item's school", async () => {
    const atLincoln = await listIssues(a, { filters: { schoolId: lincoln.id, tag: "roster" }, limit: 100 });
    expect(atLincoln.items.map((i) => i.id).sort()).toEqual([...filed.lincoln].sort());
    expect(atLincoln.items.every((i) => i.schoolId === lincoln.id)).toBe(true);
    expect(atLincoln.items.every((i) => i.school?.name === "Lincoln Elementary")).toBe(true);
    const nowhere = await listIssues(a, { filters: { schoolId: null, tag: "roster" }, limit: 100 });
    expect(nowhere.items.map((i) => i.id).sort()).toEqual([...filed.none].sort());
    expect(nowhere.items.every((i) => i.school === null)).toBe(true);
    // With a status too, in pages.
    const first = await listIssues(a, { filters: { schoolId: washington.id, status: ["new"] }, limit: 2 });
    const second = await listIssues(a, {
      filters: { schoolId: washington.id, status: ["new"] },
      limit: 2,
      cursor: first.nextCursor!,
    });
    const paged = [...first.items, ...second.items].filter((i) => i.title.startsWith("Roster"));
    expect(paged.map((i) => i.id).sort()).toEqual([...filed.washington].sort());
    // A school of another organization matches nothing here.
    expect((await listIssues(a, { filters: { schoolId: theirs.id } })).items).toEqual([]);
  });

  it("seek a narrow school through issues_school_idx, with or without statuses, page after page", async () => {
    const input = { filters: { schoolId: washington.id }, limit: 2 };
    const first = await listIssues(a, input);
    expect(first.nextCursor).not.toBeNull();
    for (const page of [input, { ...input, cursor: first.nextCursor! }]) {
      const [plan] = await explainIssueList(a.db, page);
      expect(plan!.mode).toBe("seek");
      expect(plan!.plan.join("\n")).toMatch(/SEARCH issues USING INDEX issues_school_idx \(school_id=\?\)/);
    }
    const [withStatus] = await explainIssueList(a.db, {
      filters: { schoolId: washington.id, status: ["new", "in_progress"] },
    });
    expect(withStatus!.plan.join("\n")).toMatch(
      /SEARCH issues USING INDEX issues_school_idx \(school_id=\? AND status=\?\)/,
    );
  });

  it("walk the sort's index for a school with many issues, without scanning the table", async () => {
    const big = await school(a, "4010", "Central High");
    const at = Date.now() - 86_400_000;
    const rows = Array.from({ length: BROAD_FILTER_ROWS + 10 }, (_, i) =>
      issueRow({
        number: 100_000 + i,
        projectScope: "tenant",
        projectId: help.id,
        type: "incident",
        title: `Bulk ${i}`,
        schoolId: big.id,
        createdAt: new Date(at + i * 1000),
      }),
    );
    await insertIssueRows(a.db, rows, new Map([[help.id, help.key]]));
    const input = { filters: { schoolId: big.id }, limit: 5 };
    const [plan] = await explainIssueList(a.db, input);
    expect(plan!.mode).toBe("ordered");
    expect(plan!.plan.join("\n")).toMatch(/SCAN issues USING INDEX issues_updated_idx/);
    const page = await listIssues(a, input);
    expect(page.items.map((i) => i.title)).toEqual(
      rows
        .slice(-5)
        .reverse()
        .map((r) => r.title),
    );
    expect(page.items.every((i) => i.school?.name === "Central High")).toBe(true);
    // The bulk loader indexes the school's name with each issue.
    const hits = await searchDocuments(a.db, "central bulk", { limit: 3 });
    expect(hits.length).toBe(3);
  });

  it("export the school's name in a School column", async () => {
    const file = await exportIssues(a.as(a.member), {
      filters: { tag: "roster" },
      sort: { field: "number", direction: "asc" },
    });
    const parsed = Papa.parse<Record<string, string>>(file.content, { header: true, skipEmptyLines: true });
    expect(parsed.meta.fields).toContain("school");
    expect(parsed.meta.fields!.indexOf("school")).toBe(parsed.meta.fields!.indexOf("project") + 1);
    const byId = new Map(parsed.data.map((r) => [r.id, r.school]));
    for (const id of filed.lincoln) expect(byId.get(id)).toBe("Lincoln Elementary");
    for (const id of filed.washington) expect(byId.get(id)).toBe("Washington Elementary");
    for (const id of filed.none) expect(byId.get(id)).toBe("");
  });

  it("can be saved as a filter preset", async () => {
    const saved = await createSavedFilter(a.as(a.member), {
      name: "Lincoln's open requests",
      filters: { schoolId: lincoln.id, status: ["new"] },
    });
    expect(saved.filters).toEqual({ schoolId: lincoln.id, status: ["new"] });
    const [listed] = (await listSavedFilters(a.as(a.member))).items.filter((f) => f.id === saved.id);
    expect(listed!.filters).toEqual({ schoolId: lincoln.id, status: ["new"] });
    const viaPreset = await listIssues(a, { filters: { ...listed!.filters, tag: "roster" } });
    expect(viaPreset.items.map((i) => i.id).sort()).toEqual([...filed.lincoln].sort());
  });
});

describe("list defaults", () => {
  const remember = (context: Record<string, string>) =>
    w.control
      .update(users)
      .set({ preferences: { contexts: { [a.tenant.id]: context } } })
      .where(eq(users.id, a.owner.id));

  it("offer the remembered school while it is open, beside the remembered project", async () => {
    await remember({ schoolId: lincoln.id });
    expect(await listDefaults(a.as(a.owner))).toEqual({
      project: null,
      school: lincoln,
      filters: { schoolId: lincoln.id },
    });
    await remember({ schoolId: washington.id, projectId: help.id });
    expect(await listDefaults(a.as(a.owner))).toEqual({
      project: { scope: "tenant", id: help.id, key: "SCH", name: "SCH desk" },
      school: washington,
      filters: { projectScope: "tenant", projectId: help.id, schoolId: washington.id },
    });
    // A closed school, or another organization's, is not offered.
    await remember({ schoolId: oldMill.id, projectId: help.id });
    const closed = await listDefaults(a.as(a.owner));
    expect(closed.school).toBeNull();
    expect(closed.filters).toEqual({ projectScope: "tenant", projectId: help.id });
    await remember({ schoolId: theirs.id });
    expect(await listDefaults(a.as(a.owner))).toEqual({ project: null, school: null, filters: {} });
  });
});

describe("demo issues", () => {
  it("are mostly about an open school of their own district, found by its name, and seeded once", async () => {
    const fresh = await freshControl();
    const control = fresh.db;
    const plane = planeWithControl(fresh.namespace);
    const district = demoDistricts.find((d) => d.schools.some((s) => s.status === "closed"))!;
    const tenant = await provisionTenant(
      control,
      plane,
      { slug: uniqueName(district.slug).slice(0, 30), name: district.name },
      systemActor("test"),
    );
    const db = tenantDatabase(openClient(plane.tenant(tenant)));
    const now = new Date();
    await db.insert(schools).values(
      district.schools.map((s) => ({
        id: newId(),
        ...s,
        status: s.status ?? "open",
        closedOn: s.closedOn ?? null,
        createdAt: now,
        updatedAt: now,
      })),
    );
    const people = demoUsers
      .filter((u) => u.memberships.some((m) => m.slug === district.slug))
      .map((u) => ({
        ...u,
        email: `${crypto.randomUUID().slice(0, 6)}-${u.email}`,
        memberships: u.memberships
          .filter((m) => m.slug === district.slug)
          .map((m) => ({ ...m, slug: tenant.slug })),
      }));
    for (const p of people) {
      const id = newId();
      await control
        .insert(users)
        .values({ id, email: p.email, name: p.name, createdAt: now, updatedAt: now });
      await control.insert(memberships).values({
        id: newId(),
        userId: id,
        tenantId: tenant.id,
        role: p.memberships[0]!.role,
        createdAt: now,
      });
    }
    const seeded = [{ district: { ...district, slug: tenant.slug }, tenant }];
    const added = await seedDemoIssues(control, plane, seeded, people);
    expect(await seedDemoIssues(control, plane, seeded, people)).toBe(0);

    const rows = await db.select().from(issues);
    expect(rows).toHaveLength(added);
    const byId = new Map((await db.select().from(schools)).map((s) => [s.id, s]));
    const at = rows.filter((r) => r.schoolId !== null);
    expect(at.length).toBeGreaterThan(rows.length / 2);
    expect(at.every((r) => byId.get(r.schoolId!)?.status === "open")).toBe(true);
    // An issue whose title names a school is about that school.
    for (const r of at.filter((r) => [...byId.values()].some((s) => r.title.includes(s.name)))) {
      expect(r.title).toContain(byId.get(r.schoolId!)!.name);
    }
    const [first] = at;
    const name = byId.get(first!.schoolId!)!.name;
    const hits = await searchDocuments(db, name, { limit: 50 });
    expect(hits.map((h) => h.objectId)).toContain(first!.id);
    db.$client.close();
  });
});
