import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ZodError } from "zod";
import { auditLog, settings } from "../../db/tenant/schema";
import { fieldErrorsOf } from "../../shared/errors";
import { newId } from "../../shared/ids";
import {
  defaultServiceLevels,
  SERVICE_LEVELS_KEY,
  type ServiceLevels,
} from "../../shared/schemas/service-levels";
import { createIssue } from "../../worker/packages/projects/issues/create";
import { getIssue } from "../../worker/packages/projects/issues/get";
import { updateIssue } from "../../worker/packages/projects/issues/update";
import { loadServiceLevels, readServiceLevels } from "../../worker/packages/projects/service-levels/load";
import { updateServiceLevels } from "../../worker/packages/projects/service-levels/update";
import { demoServiceLevels, seedDemoServiceLevels } from "../../worker/seed/demo-service-levels";
import { freshTenantDb, testPlane } from "../support/databases";
import { helpDesk, type Org, twoOrganizations } from "./issues-support";

/** Mon–Fri 07:00–16:00 Central, Thanksgiving off; critical issues on the always clock. */
const schoolHours: ServiceLevels = {
  timeZone: "America/Chicago",
  workingDays: ["fri", "thu", "wed", "tue", "mon"],
  dayStart: "07:00",
  dayEnd: "16:00",
  holidays: ["2026-11-27", "2026-11-26"],
  targets: {
    critical: { responseMinutes: 30, resolutionMinutes: 240, clock: "always" },
    high: { responseMinutes: 240, resolutionMinutes: 540, clock: "business" },
    medium: { responseMinutes: 540, resolutionMinutes: 1620, clock: "business" },
    low: { responseMinutes: 1620, resolutionMinutes: 5400, clock: "business" },
  },
};

function logCollector() {
  const warnings: string[] = [];
  return { warnings, log: { warn: (message: string) => void warnings.push(message) } };
}

async function auditEntries(org: Org) {
  return org.db.select().from(auditLog).where(eq(auditLog.action, "service_levels.updated"));
}

function setAs(org: Org, input: unknown) {
  const ctx = org.as(org.owner);
  return updateServiceLevels(ctx, input as ServiceLevels);
}

afterEach(() => {
  vi.useRealTimers();
});

describe("an organization's service levels", () => {
  it("are the defaults, the calendar-time targets, while the organization has not set them", async () => {
    const { a } = await twoOrganizations();
    const { log, warnings } = logCollector();
    expect(await loadServiceLevels(a.db, log)).toEqual(defaultServiceLevels);
    expect(await readServiceLevels(a.db, log)).toEqual({ policy: defaultServiceLevels, stored: false });
    expect(warnings).toEqual([]);
    expect(Object.values(defaultServiceLevels.targets).every((t) => t.clock === "always")).toBe(true);
  });

  it("are replaced whole, stored in the organization's settings in one spelling, and audited before and after", async () => {
    const { a, b } = await twoOrganizations();
    const saved = await setAs(a, schoolHours);
    expect(saved.workingDays).toEqual(["mon", "tue", "wed", "thu", "fri"]);
    expect(saved.holidays).toEqual(["2026-11-26", "2026-11-27"]);
    const { log } = logCollector();
    expect(await loadServiceLevels(a.db, log)).toEqual(saved);

    const [row] = await a.db.select().from(settings).where(eq(settings.key, SERVICE_LEVELS_KEY));
    expect(row).toMatchObject({ value: saved, updatedById: a.owner.id });
    const [entry] = await auditEntries(a);
    expect(entry).toMatchObject({
      actorKind: "user",
      actorId: a.owner.id,
      tenantId: a.tenant.id,
      targetType: "settings",
      targetId: SERVICE_LEVELS_KEY,
      before: defaultServiceLevels,
      after: saved,
      ip: "203.0.113.9",
    });
    expect(entry!.requestId).toMatch(/^req-/);

    // Another change records what it replaced; the other organization still has the defaults.
    const later = await setAs(a, { ...schoolHours, dayEnd: "15:30" });
    const entries = await auditEntries(a);
    expect(entries).toHaveLength(2);
    expect(entries.find((e) => e.id !== entry!.id)).toMatchObject({ before: saved, after: later });
    expect(await loadServiceLevels(b.db, log)).toEqual(defaultServiceLevels);
  });

  it("write nothing when the policy saved is the one in force", async () => {
    const { a } = await twoOrganizations();
    await setAs(a, schoolHours);
    const [before] = await a.db.select().from(settings);
    await setAs(a, { ...schoolHours, workingDays: ["mon", "tue", "wed", "thu", "fri"] });
    expect(await auditEntries(a)).toHaveLength(1);
    expect((await a.db.select().from(settings))[0]!.updatedAt).toEqual(before!.updatedAt);
  });

  it("refuse malformed policies with an error for each field and write nothing", async () => {
    const { a } = await twoOrganizations();
    const bad = {
      ...schoolHours,
      timeZone: "Central Time",
      workingDays: [],
      dayStart: "7am",
      holidays: ["2026-02-30"],
      targets: {
        ...schoolHours.targets,
        high: { responseMinutes: 600, resolutionMinutes: 60, clock: "business" },
        low: { responseMinutes: 0, resolutionMinutes: 60, clock: "sometimes" },
      },
      extra: 1,
    };
    const error = await setAs(a, bad).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ZodError);
    expect(Object.keys(fieldErrorsOf(error as ZodError)).sort()).toEqual([
      "_",
      "dayStart",
      "holidays.0",
      "targets.high.resolutionMinutes",
      "targets.low.clock",
      "targets.low.responseMinutes",
      "timeZone",
      "workingDays",
    ]);
    const hours = await setAs(a, { ...schoolHours, dayStart: "16:00" }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(fieldErrorsOf(hours as ZodError)).toEqual({ dayEnd: ["The day must end after it starts."] });
    expect(await a.db.select().from(settings)).toEqual([]);
    expect(await auditEntries(a)).toEqual([]);
  });

  it("fall back to the defaults, with a warning, when the stored value no longer parses", async () => {
    const { a } = await twoOrganizations();
    await a.db.insert(settings).values({
      key: SERVICE_LEVELS_KEY,
      value: { ...schoolHours, timeZone: "Atlantis/Lost_City" },
      updatedAt: new Date(),
      updatedById: null,
    });
    const { log, warnings } = logCollector();
    expect(await loadServiceLevels(a.db, log)).toEqual(defaultServiceLevels);
    expect(warnings).toEqual(["stored service levels do not parse: using the defaults"]);
    // Saving a good policy over it works, and records the defaults that were in force.
    await setAs(a, schoolHours);
    expect((await auditEntries(a))[0]).toMatchObject({ before: defaultServiceLevels });
  });
});

describe("issues under the organization's service levels", () => {
  it("get business-hours due dates when filed: a high issue filed Friday 15:30 is due Monday", async () => {
    const { a, b } = await twoOrganizations();
    await setAs(a, schoolHours);
    const desk = await helpDesk(a);
    const otherDesk = await helpDesk(b);
    vi.useFakeTimers({ toFake: ["Date"] });
    // Friday 13 March 2026, 15:30 CDT.
    vi.setSystemTime(new Date("2026-03-13T15:30:00-05:00"));
    const high = await createIssue(a.as(a.member), {
      projectScope: "tenant",
      projectId: desk.id,
      type: "service_request",
      title: "Projector in room 12 shows no picture",
      priority: "high",
    });
    // 30 minutes on Friday, then from 07:00 on Monday.
    expect(high.responseDueAt).toBe(new Date("2026-03-16T10:30:00-05:00").toISOString());
    expect(high.resolutionDueAt).toBe(new Date("2026-03-16T15:30:00-05:00").toISOString());

    // Critical stays on the always clock.
    const critical = await createIssue(a.as(a.member), {
      projectScope: "tenant",
      projectId: desk.id,
      type: "incident",
      title: "Student information system is down",
      impact: "high",
      urgency: "high",
    });
    expect(critical.priority).toBe("critical");
    expect(critical.responseDueAt).toBe(new Date("2026-03-13T16:00:00-05:00").toISOString());
    expect(critical.resolutionDueAt).toBe(new Date("2026-03-13T19:30:00-05:00").toISOString());

    // An organization without a policy keeps calendar time.
    const elsewhere = await createIssue(b.as(b.member), {
      projectScope: "tenant",
      projectId: otherDesk.id,
      type: "service_request",
      title: "Projector in room 12 shows no picture",
      priority: "high",
    });
    expect(elsewhere.responseDueAt).toBe(new Date("2026-03-13T19:30:00-05:00").toISOString());
    expect(elsewhere.resolutionDueAt).toBe(new Date("2026-03-14T15:30:00-05:00").toISOString());
  });

  it("get new due dates from the policy, counted from filing, when their priority changes", async () => {
    const { a } = await twoOrganizations();
    await setAs(a, schoolHours);
    const desk = await helpDesk(a);
    vi.useFakeTimers({ toFake: ["Date"] });
    // Wednesday before Thanksgiving, 15:00 CST.
    vi.setSystemTime(new Date("2026-11-25T15:00:00-06:00"));
    const filed = await createIssue(a.as(a.member), {
      projectScope: "tenant",
      projectId: desk.id,
      type: "repair",
      title: "Chromebook hinge broken",
      priority: "low",
    });
    vi.setSystemTime(new Date("2026-11-25T15:20:00-06:00"));
    const raised = await updateIssue(a.as(a.member), {
      id: filed.id,
      version: filed.version,
      priority: "high",
    });
    // One hour on Wednesday; Thursday and Friday are holidays; Monday from 07:00.
    expect(raised.responseDueAt).toBe(new Date("2026-11-30T10:00:00-06:00").toISOString());
    expect(raised.resolutionDueAt).toBe(new Date("2026-11-30T15:00:00-06:00").toISOString());
  });

  it("keep the due dates they were given when the policy changes later", async () => {
    const { a } = await twoOrganizations();
    const desk = await helpDesk(a);
    const filed = await createIssue(a.as(a.member), {
      projectScope: "tenant",
      projectId: desk.id,
      type: "service_request",
      title: "New staff account for the library aide",
      priority: "medium",
    });
    const created = new Date(filed.createdAt).getTime();
    expect(new Date(filed.responseDueAt!).getTime() - created).toBe(24 * 3_600_000);
    await setAs(a, schoolHours);
    const again = await getIssue(a.as(a.member), filed.id);
    expect([again.responseDueAt, again.resolutionDueAt]).toEqual([
      filed.responseDueAt,
      filed.resolutionDueAt,
    ]);
  });
});

describe("the demo districts' service levels", () => {
  it("are school hours in Central time with the Thanksgiving break, critical issues on the always clock", () => {
    const policy = demoServiceLevels(new Date("2026-09-01T12:00:00Z"));
    expect(policy).toMatchObject({
      timeZone: "America/Chicago",
      workingDays: ["mon", "tue", "wed", "thu", "fri"],
      dayStart: "07:00",
      dayEnd: "16:00",
      holidays: ["2026-11-26", "2026-11-27"],
    });
    expect(Object.entries(policy.targets).map(([p, t]) => `${p}:${t.clock}`)).toEqual([
      "critical:always",
      "high:business",
      "medium:business",
      "low:business",
    ]);
    // Seeded after this year's break: next year's.
    expect(demoServiceLevels(new Date("2026-12-01T12:00:00Z")).holidays).toEqual([
      "2027-11-25",
      "2027-11-26",
    ]);
  });

  it("are written once, with an audit entry, and never over a district's own", async () => {
    const { db, namespace } = await freshTenantDb();
    const district = { tenant: { id: newId(), databaseName: namespace, databaseUrl: null } };
    const now = new Date("2026-09-01T12:00:00Z");
    expect(await seedDemoServiceLevels(testPlane(), [district], now)).toBe(1);
    expect(await seedDemoServiceLevels(testPlane(), [district], now)).toBe(0);
    const { log } = logCollector();
    expect(await loadServiceLevels(db, log)).toEqual(demoServiceLevels(now));
    const audits = await db.select().from(auditLog).where(eq(auditLog.action, "service_levels.updated"));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      actorKind: "system",
      actorId: "demo-seed",
      targetId: SERVICE_LEVELS_KEY,
    });
    // A district that changed its own keeps them.
    const own = { ...demoServiceLevels(now), dayStart: "07:30" };
    await db.update(settings).set({ value: own }).where(eq(settings.key, SERVICE_LEVELS_KEY));
    expect(await seedDemoServiceLevels(testPlane(), [district], now)).toBe(0);
    expect(await loadServiceLevels(db, log)).toEqual(own);
    db.$client.close();
  });
});
