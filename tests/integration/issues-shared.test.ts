import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { openClient, tenantDatabase } from "../../db/client";
import { type ServiceContext, systemActor } from "../../db/context";
import { memberships, sharedIssueIndex, sharedProjects, users } from "../../db/control/schema";
import { issueHistory, issues } from "../../db/tenant/schema";
import { provisionTenant, type TenantRecord } from "../../db/tenants";
import { newId } from "../../shared/ids";
import { issueTypes } from "../../shared/schemas/issue-model";
import { issue } from "../../shared/schemas/issues";
import { workflows } from "../../shared/schemas/workflows";
import { listDesk } from "../../worker/packages/projects/desk/list";
import { setIssueArchived } from "../../worker/packages/projects/issues/archive";
import { createIssue } from "../../worker/packages/projects/issues/create";
import { getIssue } from "../../worker/packages/projects/issues/get";
import { listIssues } from "../../worker/packages/projects/issues/list";
import { transitionIssue } from "../../worker/packages/projects/issues/transition";
import { demoDistricts, demoUsers } from "../../worker/seed/demo-data";
import { seedDemoIssues } from "../../worker/seed/demo-issues";
import { userActor } from "../support/actors";
import { freshControl, planeWithControl, uniqueName } from "../support/databases";
import { warnings } from "./issues-support";

let control: Awaited<ReturnType<typeof freshControl>>["db"];
let districts: { slug: string; tenant: TenantRecord; ctx: ServiceContext }[];
let tech: { id: string };

const log = {
  warn: (message: string, extra?: Record<string, unknown>) => void warnings.push({ message, extra }),
};

beforeAll(async () => {
  const fresh = await freshControl();
  control = fresh.db;
  const plane = planeWithControl(fresh.namespace);
  const seeded: { district: (typeof demoDistricts)[number]; tenant: TenantRecord }[] = [];
  for (const district of demoDistricts) {
    const tenant = await provisionTenant(
      control,
      plane,
      { slug: uniqueName(district.slug).slice(0, 30), name: district.name },
      systemActor("test"),
    );
    seeded.push({ district: { ...district, slug: tenant.slug }, tenant });
  }
  // The demo people, members of the districts as demo-data says (under the test's own slugs).
  const slugOf = new Map(demoDistricts.map((d, i) => [d.slug, seeded[i]!.tenant]));
  const people = demoUsers.map((u) => ({
    ...u,
    email: `${crypto.randomUUID().slice(0, 6)}-${u.email}`,
    // Districts only: the test provisions no Global organization.
    memberships: u.memberships
      .filter((m) => slugOf.has(m.slug))
      .map((m) => ({ ...m, slug: slugOf.get(m.slug)!.slug })),
  }));
  for (const p of people) {
    const id = newId();
    await control
      .insert(users)
      .values({ id, email: p.email, name: p.name, createdAt: new Date(), updatedAt: new Date() });
    for (const m of p.memberships) {
      const tenant = seeded.find((s) => s.tenant.slug === m.slug)!.tenant;
      await control
        .insert(memberships)
        .values({ id: newId(), userId: id, tenantId: tenant.id, role: m.role, createdAt: new Date() });
    }
  }
  expect(await seedDemoIssues(control, plane, seeded, people)).toBeGreaterThan(40);
  // A second run changes nothing.
  expect(await seedDemoIssues(control, plane, seeded, people)).toBe(0);
  tech = (await control.select().from(sharedProjects).where(eq(sharedProjects.key, "TECH")))[0]!;
  districts = [];
  for (const { tenant } of seeded) {
    const db = tenantDatabase(openClient(plane.tenant(tenant)));
    const [owner] = await control
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.tenantId, tenant.id), eq(memberships.role, "owner")));
    districts.push({
      slug: tenant.slug,
      tenant,
      ctx: {
        db,
        control,
        log,
        actor: userActor(owner!.userId, { requestId: "t" }),
        tenant: { ...tenant, role: "owner", viaRoot: false },
      },
    });
  }
});

describe("demo issues", () => {
  it("give every district issues of every subtype with their history, some in the shared projects", async () => {
    for (const { ctx } of districts) {
      const rows = await ctx.db.select().from(issues);
      expect(new Set(rows.map((r) => r.type))).toEqual(new Set(issueTypes));
      expect(rows.length).toBeGreaterThanOrEqual(20);
      expect(rows.some((r) => r.projectScope === "shared")).toBe(true);
      for (const r of rows) {
        expect(workflows[r.type].statuses.map((s) => s.key)).toContain(r.status);
      }
      const history = await ctx.db.select().from(issueHistory);
      expect(history.filter((h) => h.field === "created")).toHaveLength(rows.length);
      expect(history.some((h) => h.field === "status")).toBe(true);
    }
  });

  it("are every one valid against the issue's own schema, so each opens", async () => {
    for (const { ctx } of districts) {
      for (const row of await ctx.db.select({ id: issues.id }).from(issues)) {
        expect(issue.safeParse(await getIssue(ctx, row.id)).error).toBeUndefined();
      }
    }
  });
});

describe("shared projects", () => {
  it("show a district only its own issues, while the root desk's index lists every district's", async () => {
    const [riverton, cedar] = districts;
    const theirs = await listIssues(riverton!.ctx, {
      filters: { projectScope: "shared", projectId: tech.id },
      limit: 100,
    });
    const ownIds = new Set((await riverton!.ctx.db.select({ id: issues.id }).from(issues)).map((r) => r.id));
    const cedarIds = new Set((await cedar!.ctx.db.select({ id: issues.id }).from(issues)).map((r) => r.id));
    expect(theirs.items.length).toBeGreaterThan(0);
    for (const item of theirs.items) {
      expect(ownIds.has(item.id)).toBe(true);
      expect(cedarIds.has(item.id)).toBe(false);
      expect(item.key).toMatch(/^TECH-\d+$/);
    }
    const desk = await listDesk(control, { projectId: tech.id, limit: 100 });
    const byTenant = new Set(desk.items.map((i) => i.tenant.id));
    expect(byTenant).toEqual(new Set(districts.map((d) => d.tenant.id)));
    expect(
      desk.items
        .filter((i) => i.tenant.id === riverton!.tenant.id)
        .map((i) => i.issueId)
        .sort(),
    ).toEqual(theirs.items.map((i) => i.id).sort());
  });

  it("keeps the desk's summary in step with changes and takes archived issues off it", async () => {
    const { ctx, tenant } = districts[1]!;
    const filed = await createIssue(ctx, {
      projectScope: "shared",
      projectId: tech.id,
      type: "incident",
      title: "Document camera driver missing after reimage",
      impact: "low",
      urgency: "low",
    });
    const moved = await transitionIssue(ctx, { id: filed.id, version: filed.version, to: "triaged" });
    const summary = async () =>
      (await control.select().from(sharedIssueIndex).where(eq(sharedIssueIndex.issueId, filed.id)))[0];
    expect(await summary()).toMatchObject({ tenantId: tenant.id, status: "triaged", number: moved.key });
    await setIssueArchived(ctx, filed.id, true);
    expect(await summary()).toBeUndefined();
    await setIssueArchived(ctx, filed.id, false);
    expect((await summary())?.status).toBe("triaged");
  });

  it("pages the desk by most recent change with filters, and refuses a forged cursor", async () => {
    const first = await listDesk(control, { limit: 5 });
    expect(first.items).toHaveLength(5);
    const second = await listDesk(control, { limit: 5, cursor: first.nextCursor! });
    const all = [...first.items, ...second.items];
    expect(new Set(all.map((i) => i.issueId)).size).toBe(10);
    const times = all.map((i) => Date.parse(i.updatedAt));
    expect([...times].sort((x, y) => y - x)).toEqual(times);
    const repairs = await listDesk(control, {
      type: ["repair"],
      tenantId: districts[0]!.tenant.id,
      limit: 100,
    });
    expect(repairs.items.every((i) => i.type === "repair" && i.tenant.id === districts[0]!.tenant.id)).toBe(
      true,
    );
    await expect(listDesk(control, { cursor: "not-a-cursor" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("keeps the district's write when the desk index cannot be written, and says so in a warning", async () => {
    const { ctx } = districts[0]!;
    const brokenControl = new Proxy(ctx.control, {
      get(target, prop, receiver) {
        if (prop === "batch") return async () => Promise.reject(new Error("control database unreachable"));
        return Reflect.get(target, prop, receiver);
      },
    });
    const before = warnings.length;
    const filed = await createIssue(
      { ...ctx, control: brokenControl },
      {
        projectScope: "shared",
        projectId: tech.id,
        type: "service_request",
        title: "Laminator in the teachers' lounge",
      },
    );
    expect(filed.key).toMatch(/^TECH-/);
    expect(warnings.slice(before).map((w) => w.message)).toEqual([
      "shared issue index not updated; the desk shows the previous summary",
    ]);
  });
});
