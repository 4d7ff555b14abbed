import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { memberships, users } from "../../db/control/schema";
import { groups } from "../../db/tenant/schema";
import { setIssueArchived } from "../../worker/packages/projects/issues/archive";
import { countIssues } from "../../worker/packages/projects/issues/counts";
import { createIssue } from "../../worker/packages/projects/issues/create";
import { transitionIssue } from "../../worker/packages/projects/issues/transition";
import { searchPeople } from "../../worker/packages/projects/people/search";
import { errorOf, group, helpDesk, join, type Org, person, twoOrganizations } from "./issues-support";

let w: Awaited<ReturnType<typeof twoOrganizations>>;
let a: Org;
let b: Org;

beforeAll(async () => {
  w = await twoOrganizations();
  a = w.a;
  b = w.b;
});

const search = (org: Org, input: { q?: string; limit?: number }) =>
  searchPeople(org.db, { control: org.control, tenantId: org.tenant.id, input });

describe("the people picker", () => {
  it("finds active members by name or address and live groups by name, in this organization only", async () => {
    const zoe = await person(a.control, "Zoe Zimmer");
    await join(a.control, a.tenant.id, zoe, "member");
    const gone = await person(a.control, "Zoe Gone");
    await join(a.control, a.tenant.id, gone, "member");
    await a.control.update(memberships).set({ status: "deactivated" }).where(eq(memberships.userId, gone.id));
    const deleted = await person(a.control, "Zoe Deleted");
    await join(a.control, a.tenant.id, deleted, "member");
    await a.control.update(users).set({ deletedAt: new Date() }).where(eq(users.id, deleted.id));
    const outsider = await person(b.control, "Zoe Outsider");
    await join(b.control, b.tenant.id, outsider, "member");
    const zebras = await group(a, "Zebra Crossing Techs");
    const old = await group(a, "Zebra Archive");
    await a.db.update(groups).set({ archivedAt: new Date() }).where(eq(groups.id, old.id));
    await group(b, "Zebra Elsewhere");

    const found = await search(a, { q: "zoe" });
    expect(found.users).toEqual([{ id: zoe.id, name: "Zoe Zimmer", email: zoe.email }]);
    expect((await search(a, { q: zoe.email.slice(0, 10) })).users.map((u) => u.id)).toEqual([zoe.id]);
    expect((await search(a, { q: "ZEBRA" })).groups).toEqual([
      { id: zebras.id, name: "Zebra Crossing Techs" },
    ]);
    expect((await search(b, { q: "zoe" })).users.map((u) => u.id)).toEqual([outsider.id]);
  });

  it("takes LIKE wildcards literally, lists by name without a query and honours the limit", async () => {
    expect((await search(a, { q: "%" })).users).toEqual([]);
    expect((await search(a, { q: "_" })).groups).toEqual([]);
    const all = await search(a, {});
    const names = all.users.map((u) => u.name);
    expect(names).toEqual([...names].sort((x, y) => x.localeCompare(y)));
    expect(names).toContain("Olive Owner");
    expect((await search(a, { limit: 1 })).users).toHaveLength(1);
  });

  it("refuses a query over 100 characters or a limit over 25", async () => {
    await expect(search(a, { q: "x".repeat(101) })).rejects.toThrow();
    await expect(search(a, { limit: 26 })).rejects.toThrow();
  });
});

describe("issue counts", () => {
  it("count live issues by status category, and open ones by priority and type, per project", async () => {
    const help = await helpDesk(a, "CNT");
    const other = await helpDesk(a, "OTH");
    const file = (extra: Record<string, unknown>) =>
      createIssue(a.as(a.owner), {
        projectScope: "tenant",
        projectId: help.id,
        type: "service_request",
        title: "Count me",
        ...extra,
      });
    await file({ priority: "high" });
    await file({ priority: "high" });
    await file({ type: "incident", impact: "high", urgency: "high" });
    const done = await file({ priority: "low" });
    const moved = await transitionIssue(a.as(a.owner), {
      id: done.id,
      version: done.version,
      to: "in_progress",
    });
    await transitionIssue(a.as(a.owner), { id: done.id, version: moved.version, to: "fulfilled" });
    const cancelled = await file({ priority: "low" });
    await transitionIssue(a.as(a.owner), { id: cancelled.id, version: cancelled.version, to: "cancelled" });
    const archived = await file({ priority: "critical" });
    await setIssueArchived(a.as(a.owner), archived.id, true);
    await createIssue(a.as(a.owner), {
      projectScope: "tenant",
      projectId: other.id,
      type: "service_request",
      title: "Elsewhere",
    });

    const counts = await countIssues(a.as(a.member), { projectScope: "tenant", projectId: help.id });
    expect(counts).toEqual({
      byStatusCategory: { open: 3, resolved: 1, closed: 1 },
      byPriority: { critical: 1, high: 2, medium: 0, low: 0 },
      byType: {
        service_request: 2,
        incident: 1,
        known_problem: 0,
        post_incident_analysis: 0,
        change: 0,
        repair: 0,
      },
      total: 5,
    });
    const everywhere = await countIssues(a.as(a.member), {});
    expect(everywhere.total).toBe(6);
    expect(everywhere.byPriority.medium).toBe(1);
  });

  it("answer NOT_FOUND for another organization's project and 400 for a project without its scope", async () => {
    const theirs = await helpDesk(b, "THR");
    expect(
      (await errorOf(countIssues(a.as(a.member), { projectScope: "tenant", projectId: theirs.id }))).code,
    ).toBe("NOT_FOUND");
    await expect(countIssues(a.as(a.member), { projectId: theirs.id })).rejects.toThrow();
  });
});
