import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openClient, tenantDatabase } from "../../db/client";
import { systemActor } from "../../db/context";
import { memberships, users } from "../../db/control/schema";
import { tenantMigrations } from "../../db/migrations/tenant/bundle";
import { migrate } from "../../db/migrator";
import { LocalProvisioner } from "../../db/provisioning/local";
import { issueHistory, issues } from "../../db/tenant/schema";
import { provisionTenant } from "../../db/tenants";
import { newId } from "../../shared/ids";
import type { CreateIssueInput, Issue } from "../../shared/schemas/issues";
import { dueDatesFor, type ServiceLevels } from "../../shared/schemas/service-levels";
import { pausesClock } from "../../shared/schemas/workflows";
import { bulkTransition } from "../../worker/packages/projects/issues/bulk";
import { insertIssueRows, issueRow } from "../../worker/packages/projects/issues/bulk-load";
import { createIssue } from "../../worker/packages/projects/issues/create";
import { getIssue } from "../../worker/packages/projects/issues/get";
import { explainIssueList, listIssues } from "../../worker/packages/projects/issues/list";
import { BROAD_FILTER_ROWS } from "../../worker/packages/projects/issues/list-query";
import { loadIssueRow } from "../../worker/packages/projects/issues/rows";
import { issueDueDates } from "../../worker/packages/projects/issues/sla";
import { transitionIssue } from "../../worker/packages/projects/issues/transition";
import { updateIssue } from "../../worker/packages/projects/issues/update";
import { loadServiceLevels } from "../../worker/packages/projects/service-levels/load";
import { updateServiceLevels } from "../../worker/packages/projects/service-levels/update";
import { demoDistricts, demoUsers } from "../../worker/seed/demo-data";
import { seedDemoIssues } from "../../worker/seed/demo-issues";
import { demoServiceLevels, seedDemoServiceLevels } from "../../worker/seed/demo-service-levels";
import { freshControl, planeWithControl, sqld, uniqueName } from "../support/databases";
import { helpDesk, type Org, twoOrganizations } from "./issues-support";

/** Mon–Fri 07:00–16:00 Central; critical issues on the always clock, the rest on the business clock. */
const schoolHours: ServiceLevels = {
  timeZone: "America/Chicago",
  workingDays: ["mon", "tue", "wed", "thu", "fri"],
  dayStart: "07:00",
  dayEnd: "16:00",
  holidays: [],
  targets: {
    critical: { responseMinutes: 30, resolutionMinutes: 240, clock: "always" },
    high: { responseMinutes: 240, resolutionMinutes: 540, clock: "business" },
    medium: { responseMinutes: 540, resolutionMinutes: 1620, clock: "business" },
    low: { responseMinutes: 1620, resolutionMinutes: 5400, clock: "business" },
  },
};

const iso = (local: string) => new Date(local).toISOString();

afterEach(() => {
  vi.useRealTimers();
});

/** An organization with the school-hours policy and a help desk; the clock is faked from here on. */
async function desk() {
  const { a } = await twoOrganizations();
  const ctx = a.as(a.owner);
  await updateServiceLevels(ctx, schoolHours);
  const project = await helpDesk(a);
  vi.useFakeTimers({ toFake: ["Date"] });
  return { org: a, project };
}

async function fileAt(org: Org, when: string, input: CreateIssueInput): Promise<Issue> {
  vi.setSystemTime(new Date(when));
  return createIssue(org.as(org.member), input);
}

async function moveAt(org: Org, issue: Issue, to: string, when: string): Promise<Issue> {
  vi.setSystemTime(new Date(when));
  return transitionIssue(org.as(org.member), { id: issue.id, version: issue.version, to });
}

/** The issue's history, oldest first, as `field: before → after` (no "created" row). */
async function historyOf(org: Org, issueId: string) {
  const rows = await org.db
    .select()
    .from(issueHistory)
    .where(eq(issueHistory.issueId, issueId))
    .orderBy(issueHistory.at, issueHistory.field);
  return rows.filter((r) => r.field !== "created").map((r) => `${r.field}: ${r.before} → ${r.after}`);
}

const serviceRequest = (projectId: string, priority: "high" | "critical" = "high"): CreateIssueInput => ({
  projectScope: "tenant",
  projectId,
  type: "service_request",
  title: "Projector in room 12 shows no picture",
  priority,
});

const criticalIncident = (projectId: string): CreateIssueInput => ({
  projectScope: "tenant",
  projectId,
  type: "incident",
  title: "Student information system is down",
  impact: "high",
  urgency: "high",
});

describe("the service-level clock while an issue waits", () => {
  it("stops while a request waits on the requester and moves the resolution target by the working minutes the wait lasted", async () => {
    const { org, project } = await desk();
    // Monday 16 March 2026, 09:00 CDT: 420 working minutes on Monday, 120 on Tuesday.
    const filed = await fileAt(org, "2026-03-16T09:00:00-05:00", serviceRequest(project.id));
    expect(filed.responseDueAt).toBe(iso("2026-03-16T13:00:00-05:00"));
    expect(filed.resolutionDueAt).toBe(iso("2026-03-17T09:00:00-05:00"));
    const working = await moveAt(org, filed, "in_progress", "2026-03-16T09:30:00-05:00");
    const waiting = await moveAt(org, working, "waiting_on_requester", "2026-03-16T10:00:00-05:00");
    expect(waiting.sla).toEqual({ response: "met", resolution: "paused" });
    expect(waiting.resolutionDueAt).toBe(filed.resolutionDueAt);
    expect((await loadIssueRow(org.db, filed.id)).slaPausedAt).toEqual(new Date("2026-03-16T10:00:00-05:00"));

    // Past the old due date the issue is still waiting, not breached.
    vi.setSystemTime(new Date("2026-03-17T09:30:00-05:00"));
    expect((await getIssue(org.as(org.member), filed.id)).sla.resolution).toBe("paused");

    // Tuesday 10:00: it waited 24 hours, 540 working minutes (Monday 10:00–16:00, Tuesday 07:00–10:00).
    const back = await moveAt(org, waiting, "in_progress", "2026-03-17T10:00:00-05:00");
    expect(back.resolutionDueAt).toBe(iso("2026-03-18T09:00:00-05:00"));
    expect(back.responseDueAt).toBe(filed.responseDueAt);
    expect(back.sla).toEqual({ response: "met", resolution: "due" });
    const row = await loadIssueRow(org.db, filed.id);
    expect(row).toMatchObject({
      slaPausedAt: null,
      slaPausedMinutes: 24 * 60,
      slaPausedBusinessMinutes: 540,
    });
    // The same as counting from filing with the paused minutes added.
    expect(issueDueDates(schoolHours, row, "high").resolutionDueAt.toISOString()).toBe(back.resolutionDueAt);

    // History: the status changes, and the due date the wait moved; nothing about the clock itself.
    expect(await historyOf(org, filed.id)).toEqual([
      `respondedAt: null → ${iso("2026-03-16T09:30:00-05:00")}`,
      "status: new → in_progress",
      "status: in_progress → waiting_on_requester",
      `resolutionDueAt: ${filed.resolutionDueAt} → ${back.resolutionDueAt}`,
      "status: waiting_on_requester → in_progress",
    ]);
  });

  it("adds nothing for a wait over the weekend on the business clock, and only the working minutes of one that spans it", async () => {
    const { org, project } = await desk();
    // Friday 13 March 2026, 14:00 CDT: 120 working minutes on Friday, then Monday from 07:00.
    const filed = await fileAt(org, "2026-03-13T14:00:00-05:00", serviceRequest(project.id));
    expect(filed.resolutionDueAt).toBe(iso("2026-03-16T14:00:00-05:00"));
    let issue = await moveAt(org, filed, "in_progress", "2026-03-13T14:30:00-05:00");
    issue = await moveAt(org, issue, "waiting_on_requester", "2026-03-13T16:30:00-05:00");
    issue = await moveAt(org, issue, "in_progress", "2026-03-16T06:30:00-05:00");
    expect(issue.resolutionDueAt).toBe(filed.resolutionDueAt);
    expect(await loadIssueRow(org.db, filed.id)).toMatchObject({
      slaPausedMinutes: 62 * 60,
      slaPausedBusinessMinutes: 0,
    });
    expect((await historyOf(org, filed.id)).filter((h) => h.startsWith("resolutionDueAt"))).toEqual([]);

    // Friday 15:00 to Monday 08:00: 60 working minutes on Friday and 60 on Monday.
    const again = await fileAt(org, "2026-03-13T14:00:00-05:00", serviceRequest(project.id));
    issue = await moveAt(org, again, "in_progress", "2026-03-13T14:30:00-05:00");
    issue = await moveAt(org, issue, "waiting_on_requester", "2026-03-13T15:00:00-05:00");
    issue = await moveAt(org, issue, "in_progress", "2026-03-16T08:00:00-05:00");
    expect(issue.resolutionDueAt).toBe(iso("2026-03-16T16:00:00-05:00"));
  });

  it("moves a target on the always clock by every minute of the wait, nights and weekends included", async () => {
    const { org, project } = await desk();
    const filed = await fileAt(org, "2026-03-13T10:00:00-05:00", criticalIncident(project.id));
    expect(filed.priority).toBe("critical");
    expect(filed.resolutionDueAt).toBe(iso("2026-03-13T14:00:00-05:00"));
    let issue = await moveAt(org, filed, "triaged", "2026-03-13T10:10:00-05:00");
    issue = await moveAt(org, issue, "in_progress", "2026-03-13T10:20:00-05:00");
    issue = await moveAt(org, issue, "on_hold", "2026-03-13T11:00:00-05:00");
    expect(issue.sla.resolution).toBe("paused");
    // Saturday 11:00: a day on hold.
    issue = await moveAt(org, issue, "in_progress", "2026-03-14T11:00:00-05:00");
    expect(issue.resolutionDueAt).toBe(iso("2026-03-14T14:00:00-05:00"));
    expect(issue.sla.resolution).toBe("due");
    // Both clocks are counted (Friday 11:00–16:00 on the business one), should the priority change.
    expect(await loadIssueRow(org.db, filed.id)).toMatchObject({
      slaPausedMinutes: 24 * 60,
      slaPausedBusinessMinutes: 300,
    });
  });

  it("counts the waits on the new priority's own clock when the priority changes during a wait or after it", async () => {
    const { org, project } = await desk();
    const filed = await fileAt(org, "2026-03-13T14:00:00-05:00", serviceRequest(project.id));
    let issue = await moveAt(org, filed, "in_progress", "2026-03-13T14:30:00-05:00");
    issue = await moveAt(org, issue, "waiting_on_requester", "2026-03-13T15:00:00-05:00");
    issue = await moveAt(org, issue, "in_progress", "2026-03-16T08:00:00-05:00");
    // 3900 minutes waited, 120 of them working: Monday 14:00 + 120 working minutes.
    expect(issue.resolutionDueAt).toBe(iso("2026-03-16T16:00:00-05:00"));
    issue = await moveAt(org, issue, "waiting_on_requester", "2026-03-16T09:00:00-05:00");

    // Critical while waiting: from filing on the always clock, plus the 3900 minutes of the first wait.
    vi.setSystemTime(new Date("2026-03-16T09:30:00-05:00"));
    issue = await updateIssue(org.as(org.member), {
      id: issue.id,
      version: issue.version,
      priority: "critical",
    });
    expect(issue.responseDueAt).toBe(iso("2026-03-13T14:30:00-05:00"));
    expect(issue.resolutionDueAt).toBe(iso("2026-03-16T11:00:00-05:00"));
    expect(issue.sla.resolution).toBe("paused");

    // The second wait ends an hour later: a critical target moves by the full hour.
    issue = await moveAt(org, issue, "in_progress", "2026-03-16T10:00:00-05:00");
    expect(issue.resolutionDueAt).toBe(iso("2026-03-16T12:00:00-05:00"));
    expect(await loadIssueRow(org.db, filed.id)).toMatchObject({
      slaPausedMinutes: 3960,
      slaPausedBusinessMinutes: 180,
    });

    // Back to high with the clock running: 540 + 180 working minutes from filing — Tuesday 08:00.
    vi.setSystemTime(new Date("2026-03-16T10:30:00-05:00"));
    issue = await updateIssue(org.as(org.member), { id: issue.id, version: issue.version, priority: "high" });
    expect(issue.resolutionDueAt).toBe(iso("2026-03-17T08:00:00-05:00"));
    expect(issue.responseDueAt).toBe(iso("2026-03-16T09:00:00-05:00"));
    expect((await historyOf(org, filed.id)).slice(-3)).toEqual([
      "priority: critical → high",
      `resolutionDueAt: ${iso("2026-03-16T12:00:00-05:00")} → ${iso("2026-03-17T08:00:00-05:00")}`,
      `responseDueAt: ${iso("2026-03-13T14:30:00-05:00")} → ${iso("2026-03-16T09:00:00-05:00")}`,
    ]);
  });

  it("ends the wait before judging an issue resolved or cancelled straight from it", async () => {
    const { org, project } = await desk();
    const filed = await fileAt(org, "2026-03-13T10:00:00-05:00", criticalIncident(project.id));
    let issue = await moveAt(org, filed, "triaged", "2026-03-13T10:10:00-05:00");
    issue = await moveAt(org, issue, "in_progress", "2026-03-13T10:20:00-05:00");
    issue = await moveAt(org, issue, "on_hold", "2026-03-13T11:00:00-05:00");
    // Resolved at 15:00, an hour after the old due date: four hours on hold move it to 18:00.
    issue = await moveAt(org, issue, "resolved", "2026-03-13T15:00:00-05:00");
    expect(issue.resolutionDueAt).toBe(iso("2026-03-13T18:00:00-05:00"));
    expect(issue.resolvedAt).toBe(iso("2026-03-13T15:00:00-05:00"));
    expect(issue.sla.resolution).toBe("met");
    expect(await loadIssueRow(org.db, filed.id)).toMatchObject({ slaPausedAt: null, slaPausedMinutes: 240 });

    const request = await fileAt(org, "2026-03-16T09:00:00-05:00", serviceRequest(project.id));
    issue = await moveAt(org, request, "in_progress", "2026-03-16T09:30:00-05:00");
    issue = await moveAt(org, issue, "waiting_on_requester", "2026-03-16T10:00:00-05:00");
    issue = await moveAt(org, issue, "cancelled", "2026-03-16T11:00:00-05:00");
    expect(issue.resolutionDueAt).toBe(iso("2026-03-17T10:00:00-05:00"));
    expect(issue.sla.resolution).toBe("met");
    expect(await loadIssueRow(org.db, request.id)).toMatchObject({
      slaPausedAt: null,
      slaPausedMinutes: 60,
      slaPausedBusinessMinutes: 60,
    });
  });

  it("stops and runs again for every issue of a bulk status change, each judged on its own", async () => {
    const { org, project } = await desk();
    const first = await fileAt(org, "2026-03-16T09:00:00-05:00", serviceRequest(project.id));
    const second = await fileAt(org, "2026-03-16T09:00:00-05:00", serviceRequest(project.id));
    const third = await fileAt(org, "2026-03-16T09:00:00-05:00", serviceRequest(project.id));
    const ids = [first.id, second.id, third.id];
    vi.setSystemTime(new Date("2026-03-16T09:30:00-05:00"));
    await bulkTransition(org.as(org.member), { ids, to: "in_progress" });
    vi.setSystemTime(new Date("2026-03-16T10:00:00-05:00"));
    const paused = await bulkTransition(org.as(org.member), { ids, to: "waiting_on_requester" });
    expect(paused.changed).toBe(3);
    for (const id of ids) {
      expect((await loadIssueRow(org.db, id)).slaPausedAt).toEqual(new Date("2026-03-16T10:00:00-05:00"));
    }
    vi.setSystemTime(new Date("2026-03-16T11:15:00-05:00"));
    expect(
      (await bulkTransition(org.as(org.member), { ids: [first.id, second.id], to: "in_progress" })).changed,
    ).toBe(2);
    vi.setSystemTime(new Date("2026-03-16T12:00:00-05:00"));
    expect((await bulkTransition(org.as(org.member), { ids: [third.id], to: "cancelled" })).changed).toBe(1);
    for (const [id, waited, due] of [
      [first.id, 75, "2026-03-17T10:15:00-05:00"],
      [second.id, 75, "2026-03-17T10:15:00-05:00"],
      [third.id, 120, "2026-03-17T11:00:00-05:00"],
    ] as const) {
      const row = await loadIssueRow(org.db, id);
      expect(row).toMatchObject({
        slaPausedAt: null,
        slaPausedMinutes: waited,
        slaPausedBusinessMinutes: waited,
      });
      expect(row.resolutionDueAt).toEqual(new Date(due));
    }
  });
});

describe("the breached filter", () => {
  it("leaves out issues waiting with their target still ahead of when the wait began, and lists them as not breached", async () => {
    const { a } = await twoOrganizations();
    const project = await helpDesk(a, "WAIT");
    const NOW = new Date("2026-03-16T12:00:00-05:00");
    const hours = (h: number) => new Date(NOW.getTime() + h * 3_600_000);
    const made = [
      { title: "running and missed", status: "in_progress", due: -1, paused: null },
      { title: "waiting since before it was due", status: "waiting_on_requester", due: -1, paused: -2 },
      { title: "waiting since after it was missed", status: "waiting_on_requester", due: -3, paused: -2 },
      { title: "waiting, not yet due", status: "waiting_on_requester", due: 1, paused: -1 },
      { title: "running, not yet due", status: "in_progress", due: 1, paused: null },
    ].map((spec, i) =>
      issueRow({
        number: i + 1,
        projectScope: "tenant",
        projectId: project.id,
        type: "service_request",
        title: spec.title,
        status: spec.status,
        createdAt: hours(-30),
        updatedAt: hours(-i),
        respondedAt: hours(-29),
        responseDueAt: hours(-28),
        resolutionDueAt: hours(spec.due),
        slaPausedAt: spec.paused === null ? null : hours(spec.paused),
      }),
    );
    await insertIssueRows(a.db, made, new Map([[project.id, "WAIT"]]));
    const titles = async (breached: boolean) =>
      (
        await listIssues(a, { filters: { breached }, sort: { field: "number", direction: "asc" } }, NOW)
      ).items.map((i) => `${i.title}: ${i.sla.resolution}`);
    expect(await titles(true)).toEqual([
      "running and missed: breached",
      "waiting since after it was missed: breached",
    ]);
    expect(await titles(false)).toEqual([
      "waiting since before it was due: paused",
      "waiting, not yet due: paused",
      "running, not yet due: due",
    ]);
    // Sorted by due date (the partial index's order), waiting issues keep their place.
    const bySoonest = await listIssues(
      a,
      { filters: {}, sort: { field: "resolutionDueAt", direction: "asc" } },
      NOW,
    );
    expect(bySoonest.items.map((i) => i.title)).toHaveLength(5);

    // A narrow breached filter still seeks through the partial resolution-due index, page after page
    // (with another indexed filter the planner may seek through that one instead: never a full scan).
    for (const filters of [{ breached: true }, { breached: true, type: ["service_request" as const] }]) {
      const input = { filters, limit: 1 };
      const first = await listIssues(a, input, NOW);
      expect(first.nextCursor).not.toBeNull();
      for (const page of [input, { ...input, cursor: first.nextCursor! }]) {
        const plans = await explainIssueList(a.db, page, NOW);
        expect(plans.map((p) => p.mode)).toEqual(["seek"]);
        const plan = plans[0]!.plan.join("\n");
        if (!filters.type) {
          expect(plan).toMatch(
            /^SEARCH issues USING INDEX issues_resolution_due_idx \(resolution_due_at<\?\)/m,
          );
        }
        expect(plan).toMatch(/^SEARCH issues USING INDEX /m);
        expect(plan).not.toMatch(/^SCAN issues\b(?!.*USING (COVERING )?INDEX)/m);
      }
    }
  });

  it("walks the recency index past waiting issues when many are breached, with no full scan", async () => {
    const { a } = await twoOrganizations();
    const project = await helpDesk(a, "MANY");
    const NOW = new Date("2026-03-16T12:00:00-05:00");
    // Enough that the second page too has more than BROAD_FILTER_ROWS breached candidates before it.
    const count = BROAD_FILTER_ROWS + 500;
    const rows = Array.from({ length: count }, (_, i) =>
      issueRow({
        number: i + 1,
        projectScope: "tenant",
        projectId: project.id,
        type: "service_request",
        title: `Request ${i}`,
        status: i % 3 === 0 ? "waiting_on_requester" : "in_progress",
        createdAt: new Date(NOW.getTime() - 90 * 86_400_000),
        updatedAt: new Date(NOW.getTime() - i * 60_000),
        resolutionDueAt: new Date(NOW.getTime() - 3_600_000),
        // Every third waits, since before its target passed.
        slaPausedAt: i % 3 === 0 ? new Date(NOW.getTime() - 2 * 3_600_000) : null,
      }),
    );
    await insertIssueRows(a.db, rows, new Map([[project.id, "MANY"]]));
    const input = { filters: { breached: true }, limit: 100 };
    const page = await listIssues(a, input, NOW);
    expect(page.items).toHaveLength(100);
    expect(page.items.every((i) => i.status === "in_progress" && i.sla.resolution === "breached")).toBe(true);
    // Most recently changed first, skipping the waiting ones.
    expect(page.items.slice(0, 3).map((i) => i.title)).toEqual(["Request 1", "Request 2", "Request 4"]);
    for (const read of [input, { ...input, cursor: page.nextCursor! }]) {
      const plans = await explainIssueList(a.db, read, NOW);
      expect(plans.map((p) => p.mode)).toEqual(["ordered"]);
      const plan = plans[0]!.plan.join("\n");
      expect(plan).toMatch(/^(SCAN|SEARCH) issues USING INDEX issues_updated_idx/m);
      expect(plan).not.toMatch(/TEMP B-TREE/);
    }
  });
});

describe("migration 0007", () => {
  it("stops the clock from now on for issues already waiting when it runs, and for no others", async () => {
    const namespace = uniqueName("test-pause-migration");
    await new LocalProvisioner(sqld().adminUrl, undefined, sqld().url).createDatabase(namespace);
    const client = openClient({ url: sqld().url, namespace });
    const index = tenantMigrations.migrations.findIndex((m) => m.tag === "0007_issue_sla_pause");
    expect(index).toBeGreaterThan(0);
    await migrate(client, { name: "tenant", migrations: tenantMigrations.migrations.slice(0, index) });
    const statuses = [
      ["incident", "on_hold"],
      ["incident", "in_progress"],
      ["service_request", "waiting_on_requester"],
      ["repair", "awaiting_parts"],
      ["repair", "repairing"],
      ["change", "scheduled"],
    ] as const;
    const t = Date.parse("2026-03-01T12:00:00Z");
    for (const [i, [type, status]] of statuses.entries()) {
      await client.execute({
        sql: `INSERT INTO issues (id, number, project_scope, project_id, type, title, status, priority,
                created_at, updated_at) VALUES (?, ?, 'tenant', 'p', ?, 'Old issue', ?, 'medium', ?, ?)`,
        args: [`issue-${i}`, i + 1, type, status, t, t],
      });
    }
    const before = Date.now();
    await migrate(client, tenantMigrations);
    const db = tenantDatabase(client);
    const rows = await db.select().from(issues).orderBy(issues.number);
    for (const row of rows) {
      expect(row.slaPausedMinutes).toBe(0);
      expect(row.slaPausedBusinessMinutes).toBe(0);
      if (pausesClock(row.type, row.status)) {
        expect(row.slaPausedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
        expect(row.slaPausedAt!.getTime()).toBeLessThanOrEqual(Date.now());
      } else {
        expect(row.slaPausedAt, `${row.type} ${row.status}`).toBeNull();
      }
    }
    expect(rows.filter((r) => r.slaPausedAt !== null).map((r) => r.status)).toEqual([
      "on_hold",
      "waiting_on_requester",
      "awaiting_parts",
    ]);
    client.close();
  });
});

describe("demo issues", () => {
  it("are due under the district's business hours, and those left waiting have their clock stopped since they began to wait", async () => {
    const fresh = await freshControl();
    const control = fresh.db;
    const plane = planeWithControl(fresh.namespace);
    const district = demoDistricts[0]!;
    const tenant = await provisionTenant(
      control,
      plane,
      { slug: uniqueName(district.slug).slice(0, 30), name: district.name },
      systemActor("test"),
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
    const now = new Date();
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
    // As db/seed/demo.ts does: the service levels first, then the issues (twice: the second run adds nothing).
    expect(await seedDemoServiceLevels(plane, seeded)).toBe(1);
    const added = await seedDemoIssues(control, plane, seeded, people);
    expect(added).toBeGreaterThan(20);
    expect(await seedDemoIssues(control, plane, seeded, people)).toBe(0);

    const db = tenantDatabase(openClient(plane.tenant(tenant)));
    const policy = await loadServiceLevels(db, { warn: () => {} });
    expect(policy).toEqual(demoServiceLevels());
    const rows = await db.select().from(issues);
    expect(rows).toHaveLength(added);
    const waiting = rows.filter((r) => pausesClock(r.type, r.status));
    expect(waiting.map((r) => r.status).sort()).toEqual([
      "awaiting_parts",
      "awaiting_parts",
      "on_hold",
      "waiting_on_requester",
    ]);
    for (const row of rows) {
      // Waiting since their last move (the move into the wait); the others' clocks run.
      expect(row.slaPausedAt).toEqual(pausesClock(row.type, row.status) ? row.updatedAt : null);
      expect(row.slaPausedMinutes).toBe(0);
      const due = dueDatesFor(policy, row.priority, row.createdAt);
      expect([row.responseDueAt, row.resolutionDueAt]).toEqual([due.responseDueAt, due.resolutionDueAt]);
    }
    db.$client.close();
  });
});
