import { SELF } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "../../db/context";
import { memberships, tenants } from "../../db/control/schema";
import { issues } from "../../db/tenant/schema";
import { provisionTenant } from "../../db/tenants";
import { newId } from "../../shared/ids";
import { TENANT_HEADER } from "../../shared/transport";
import { createSession } from "../../worker/auth/session";
import { openTenant } from "../../worker/data";
import { seedSharedProjects } from "../../worker/seed/demo-issues";
import { createUser } from "../support/fixtures";
import { control, member, ORIGIN, plane, testEnv, trpcQuery } from "./support";

// biome-ignore lint/suspicious/noExplicitAny: assertions read whatever shape each answer has
type Json = any;
type Caller = { token: string; tenant: { slug: string } };

async function mutate(who: Caller, path: string, input: unknown) {
  const response = await SELF.fetch(`${ORIGIN}/trpc/${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${who.token}`,
      [TENANT_HEADER]: who.tenant.slug,
    },
    body: JSON.stringify(input),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

const query = (who: Caller, path: string, input?: unknown) =>
  trpcQuery(path, input, { token: who.token, tenant: who.tenant.slug });

async function colleague(owner: Awaited<ReturnType<typeof member>>, role: "member" | "viewer") {
  const user = await createUser(control());
  await control()
    .insert(memberships)
    .values({ id: newId(), userId: user.id, tenantId: owner.tenant.id, role, createdAt: new Date() });
  const { token } = await createSession(control(), user.id, { ip: null, userAgent: "test" });
  return { user, token, tenant: owner.tenant };
}

let owner: Awaited<ReturnType<typeof member>>;
let shared: Map<string, { id: string; key: string }>;
let projectId: string;

beforeAll(async () => {
  owner = await member("owner");
  shared = await seedSharedProjects(control());
  const created = await mutate(owner, "projects.projects.create", {
    key: "desk",
    name: "District Help Desk",
  });
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  expect(created.body.result.data.key).toBe("DESK");
  projectId = created.body.result.data.id;
});

describe("issues through the Worker", () => {
  it("are filed, read with their reference and SLA, moved along their workflow, and guarded by versions", async () => {
    const staff = await colleague(owner, "member");
    const filed = await mutate(staff, "projects.issues.create", {
      projectScope: "tenant",
      projectId,
      type: "incident",
      title: "Projector in room 204 shows no signal",
      impact: "medium",
      urgency: "high",
      tags: ["Classroom-AV"],
    });
    expect(filed.status, JSON.stringify(filed.body)).toBe(200);
    const issue = filed.body.result.data;
    expect(issue).toMatchObject({
      type: "incident",
      status: "new",
      priority: "high",
      tags: ["classroom-av"],
    });
    expect(issue.key).toBe(`DESK-${issue.number}`);
    expect(issue.allowedTransitions).toEqual(["triaged"]);

    const read = await query(staff, "projects.issues.get", { id: issue.id });
    expect(read.status).toBe(200);
    expect(read.body.result.data.sla).toEqual({ response: "due", resolution: "due" });

    const moved = await mutate(staff, "projects.issues.transition", {
      id: issue.id,
      version: 1,
      to: "triaged",
    });
    expect(moved.status).toBe(200);
    expect(moved.body.result.data.respondedAt).not.toBeNull();

    const stale = await mutate(staff, "projects.issues.update", {
      id: issue.id,
      version: 1,
      title: "Lost update",
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.data.reason).toBe("stale_version");

    const skip = await mutate(staff, "projects.issues.transition", {
      id: issue.id,
      version: 2,
      to: "closed",
    });
    expect(skip.status).toBe(400);
    expect(skip.body.error.data.reason).toBe("invalid_transition");
    expect(skip.body.error.data.fieldErrors.to[0]).toContain("in_progress");
  });

  it("answer malformed input with 400 and field errors, and write nothing", async () => {
    const db = openTenant(testEnv, owner.tenant);
    const before = (await db.select({ id: issues.id }).from(issues)).length;
    for (const input of [
      { projectScope: "tenant", projectId, type: "incident", title: "No impact" },
      {
        projectScope: "tenant",
        projectId,
        type: "incident",
        title: "Priority",
        priority: "low",
        impact: "x",
        urgency: "low",
      },
      { projectScope: "tenant", projectId, type: "spaceship", title: "Unknown subtype" },
      { projectScope: "tenant", projectId, type: "change", title: "No window", details: { risk: "low" } },
      { projectScope: "elsewhere", projectId, type: "service_request", title: "Scope" },
      { projectScope: "tenant", projectId, type: "service_request", title: "" },
      { projectScope: "tenant", projectId, type: "service_request", title: "Tag", tags: ["<b>"] },
    ]) {
      const result = await mutate(owner, "projects.issues.create", input);
      expect(result.status, JSON.stringify(input)).toBe(400);
      expect(result.body.error.data.fieldErrors, JSON.stringify(input)).toBeTruthy();
    }
    expect((await db.select({ id: issues.id }).from(issues)).length).toBe(before);
    const badList = await query(owner, "projects.issues.list", { filters: { status: ["bogus"] } });
    expect(badList.status).toBe(400);
    const badCursor = await query(owner, "projects.issues.list", { cursor: "bm9wZQ" });
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error.data.fieldErrors.cursor).toBeTruthy();
  });

  it("let viewers read but not write, and leave project administration to administrators", async () => {
    const viewer = await colleague(owner, "viewer");
    const staff = await colleague(owner, "member");
    expect((await query(viewer, "projects.issues.list", { limit: 5 })).status).toBe(200);
    const write = await mutate(viewer, "projects.issues.create", {
      projectScope: "tenant",
      projectId,
      type: "service_request",
      title: "Viewer tries",
    });
    expect(write.status).toBe(403);
    expect((await mutate(staff, "projects.projects.create", { key: "MINE", name: "Mine" })).status).toBe(403);
    const list = await query(staff, "projects.projects.list", {});
    expect(list.body.result.data.items.map((p: Json) => `${p.scope}:${p.key}`)).toEqual(
      expect.arrayContaining(["tenant:DESK", "shared:TECH", "shared:MAINT"]),
    );
  });

  it("export the list as CSV and act in bulk with one result per issue", async () => {
    const filed = await mutate(owner, "projects.issues.create", {
      projectScope: "shared",
      projectId: shared.get("MAINT")!.id,
      type: "repair",
      title: "HVAC not cooling in the gym",
    });
    expect(filed.status).toBe(200);
    const csv = await mutate(owner, "projects.issues.export", { filters: { type: ["repair"] } });
    expect(csv.status).toBe(200);
    expect(csv.body.result.data.content).toContain("HVAC not cooling in the gym");
    expect(csv.body.result.data.content.split("\r\n")[0]).toMatch(/^key,title,type,status/);
    const bulk = await mutate(owner, "projects.issues.bulkTransition", {
      ids: [filed.body.result.data.id, "missing"],
      to: "diagnosing",
    });
    expect(bulk.status).toBe(200);
    expect(bulk.body.result.data.results).toEqual([
      { index: 0, ok: true, changed: true, version: 2 },
      expect.objectContaining({ index: 1, ok: false, code: "NOT_FOUND" }),
    ]);
  });
});

describe("every procedure of this part of the package", () => {
  it("answers malformed input with 400 and field errors", async () => {
    const cases: [string, "query" | "mutation", unknown][] = [
      ["projects.projects.list", "query", { includeArchived: "yes" }],
      ["projects.projects.get", "query", { scope: "galaxy", id: projectId }],
      ["projects.projects.create", "mutation", { key: "a", name: "Too short a key" }],
      ["projects.projects.update", "mutation", { id: projectId }],
      ["projects.projects.archive", "mutation", { id: "" }],
      ["projects.projects.restore", "mutation", { id: 42 }],
      ["projects.issues.list", "query", { limit: 1000 }],
      ["projects.issues.listDefaults", "query", { surprise: true }],
      ["projects.issues.get", "query", {}],
      ["projects.issues.create", "mutation", { type: "incident" }],
      ["projects.issues.update", "mutation", { id: "x", version: 1 }],
      ["projects.issues.transition", "mutation", { id: "x", version: 0, to: "new" }],
      ["projects.issues.archive", "mutation", { id: null }],
      ["projects.issues.restore", "mutation", { nope: 1 }],
      ["projects.issues.export", "mutation", { filters: { priority: ["urgent"] } }],
      ["projects.issues.bulkAssign", "mutation", { ids: ["x"] }],
      ["projects.issues.bulkTransition", "mutation", { ids: [], to: "closed" }],
      ["projects.issues.bulkClose", "mutation", { ids: Array.from({ length: 201 }, (_, i) => `id-${i}`) }],
      ["projects.savedFilters.list", "query", { mine: true }],
      ["projects.savedFilters.create", "mutation", { name: "", filters: {} }],
      ["projects.savedFilters.update", "mutation", { id: "x" }],
      ["projects.savedFilters.delete", "mutation", {}],
      ["projects.desk.list", "query", { limit: 0 }],
      ["system.search.query", "query", { q: "" }],
    ];
    for (const [path, type, input] of cases) {
      const result = type === "query" ? await query(owner, path, input) : await mutate(owner, path, input);
      // The desk refuses a district owner before reading input: a 403 is the right answer there.
      if (path === "projects.desk.list") {
        expect(result.status, path).toBe(403);
        continue;
      }
      expect(result.status, `${path}: ${JSON.stringify(result.body)}`).toBe(400);
      expect(result.body.error.data.fieldErrors, path).toBeTruthy();
    }
  });
});

describe("the global search", () => {
  it("finds issues and never answers 500, whatever is typed", async () => {
    await mutate(owner, "projects.issues.create", {
      projectScope: "tenant",
      projectId,
      type: "known_problem",
      title: "Printers jam on cardstock",
      details: { symptom: "Paper jams in tray 2" },
    });
    const found = await query(owner, "system.search.query", { q: "printer jams" });
    expect(found.status).toBe(200);
    expect(found.body.result.data.groups[0].items[0].title).toBe("Printers jam on cardstock");
    for (const q of [
      '"',
      '"unbalanced',
      "*",
      "NEAR(",
      "-",
      "- printer",
      "title:x",
      "(((",
      "'; DROP TABLE issues; --",
    ]) {
      const search = await query(owner, "system.search.query", { q });
      expect(search.status, q).toBe(200);
      const list = await query(owner, "projects.issues.list", { filters: { search: q } });
      expect(list.status, q).toBe(200);
    }
    expect((await query(owner, "system.search.query", { q: "   " })).status).toBe(400);
  });
});

describe("the root service desk", () => {
  it("is open only to administrators of the root organization acting in it, and lists districts' shared issues", async () => {
    const filed = await mutate(owner, "projects.issues.create", {
      projectScope: "shared",
      projectId: shared.get("TECH")!.id,
      type: "service_request",
      title: "Laminator in the teachers' lounge",
    });
    expect(filed.status).toBe(200);
    expect((await query(owner, "projects.desk.list", {})).status).toBe(403);

    let root = await control().query.tenants.findFirst({ where: eq(tenants.kind, "root") });
    root ??= await provisionTenant(
      control(),
      plane(),
      { slug: "global", name: "Global", kind: "root" },
      systemActor("test"),
    );
    const admin = await createUser(control());
    await control()
      .insert(memberships)
      .values({ id: newId(), userId: admin.id, tenantId: root.id, role: "admin", createdAt: new Date() });
    const { token } = await createSession(control(), admin.id, { ip: null, userAgent: null });
    const desk = await query({ token, tenant: root }, "projects.desk.list", {
      projectId: shared.get("TECH")!.id,
      tenantId: owner.tenant.id,
    });
    expect(desk.status, JSON.stringify(desk.body)).toBe(200);
    expect(desk.body.result.data.items).toEqual([
      expect.objectContaining({
        issueId: filed.body.result.data.id,
        number: filed.body.result.data.key,
        tenant: { id: owner.tenant.id, slug: owner.tenant.slug, name: owner.tenant.name },
      }),
    ]);
    // Acting in the district (as root administrators may), the same person is refused the desk.
    expect((await query({ token, tenant: owner.tenant }, "projects.desk.list", {})).status).toBe(403);
  });
});
