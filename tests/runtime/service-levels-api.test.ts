import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { openClient } from "../../db/client";
import { memberships } from "../../db/control/schema";
import { newId } from "../../shared/ids";
import type { Role } from "../../shared/permissions";
import { defaultServiceLevels, dueDatesFor, type ServiceLevels } from "../../shared/schemas/service-levels";
import { TENANT_HEADER } from "../../shared/transport";
import { createSession } from "../../worker/auth/session";
import { createUser } from "../support/fixtures";
import { rest } from "./rest-support";
import { control, member, ORIGIN, plane, trpcQuery } from "./support";

// biome-ignore lint/suspicious/noExplicitAny: assertions read whatever shape each answer has
type Json = any;
type Caller = { token: string; tenant: { id: string; slug: string } };

/** School hours on weekdays, all but critical on the business clock: due dates differ from calendar time. */
const weekdaysOnly: ServiceLevels = {
  timeZone: "America/Chicago",
  workingDays: ["mon", "tue", "wed", "thu", "fri"],
  dayStart: "07:00",
  dayEnd: "16:00",
  holidays: ["2026-12-25", "2027-01-01"],
  targets: {
    critical: { responseMinutes: 60, resolutionMinutes: 240, clock: "always" },
    high: { responseMinutes: 600, resolutionMinutes: 1200, clock: "business" },
    medium: { responseMinutes: 540, resolutionMinutes: 1620, clock: "business" },
    low: { responseMinutes: 1620, resolutionMinutes: 5400, clock: "business" },
  },
};

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

async function colleague(who: Caller, role: Role): Promise<Caller> {
  const user = await createUser(control());
  await control()
    .insert(memberships)
    .values({ id: newId(), userId: user.id, tenantId: who.tenant.id, role, createdAt: new Date() });
  const { token } = await createSession(control(), user.id, { ip: null, userAgent: "test" });
  return { token, tenant: who.tenant };
}

async function settingsRows(tenant: Parameters<ReturnType<typeof plane>["tenant"]>[0]) {
  const client = openClient(plane().tenant(tenant));
  const settings = await client.execute("SELECT key, value FROM settings ORDER BY key");
  const audit = await client.execute(
    "SELECT count(*) AS n FROM audit_log WHERE action = 'service_levels.updated'",
  );
  client.close();
  return { settings: settings.rows.map((r) => ({ ...r })), audits: Number(audit.rows[0]!.n) };
}

describe("service levels through the Worker", () => {
  it("are read by every member and replaced only by project administrators, over tRPC and REST", async () => {
    const owner = await member("owner");
    const viewer = await colleague(owner, "viewer");
    const regular = await colleague(owner, "member");

    const initial = await rest("GET", "/projects/service-levels", {
      token: viewer.token,
      tenant: owner.tenant.slug,
    });
    expect(initial.status).toBe(200);
    expect(initial.body).toEqual(defaultServiceLevels);

    const refused = await mutate(regular, "projects.serviceLevels.update", weekdaysOnly);
    expect(refused.status).toBe(403);
    const refusedRest = await rest("PATCH", "/projects/service-levels", {
      token: viewer.token,
      tenant: owner.tenant.slug,
      body: weekdaysOnly,
    });
    expect(refusedRest.status).toBe(403);
    expect((await settingsRows(owner.tenant)).audits).toBe(0);

    const saved = await rest("PATCH", "/projects/service-levels", {
      token: owner.token,
      tenant: owner.tenant.slug,
      body: weekdaysOnly,
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual(weekdaysOnly);
    const read = await trpcQuery("projects.serviceLevels.get", undefined, {
      token: viewer.token,
      tenant: owner.tenant.slug,
    });
    expect(read.status).toBe(200);
    expect(read.body.result.data).toEqual(weekdaysOnly);
    expect(await settingsRows(owner.tenant)).toMatchObject({ audits: 1 });
  });

  it("answer malformed policies with 400 and field errors over tRPC and REST, writing nothing", async () => {
    const owner = await member("owner");
    const before = await settingsRows(owner.tenant);
    const bad = {
      ...weekdaysOnly,
      timeZone: "Mars/Olympus_Mons",
      dayEnd: "06:00",
      targets: {
        ...weekdaysOnly.targets,
        medium: { responseMinutes: 60, resolutionMinutes: 30, clock: "business" },
      },
    };
    const viaTrpc = await mutate(owner, "projects.serviceLevels.update", bad);
    expect(viaTrpc.status).toBe(400);
    expect(Object.keys(viaTrpc.body.error.data.fieldErrors).sort()).toEqual([
      "dayEnd",
      "targets.medium.resolutionMinutes",
      "timeZone",
    ]);
    const viaRest = await rest("PATCH", "/projects/service-levels", {
      token: owner.token,
      tenant: owner.tenant.slug,
      body: { ...weekdaysOnly, workingDays: [], holidays: ["2026-13-01"] },
    });
    expect(viaRest.status).toBe(400);
    expect(Object.keys(viaRest.body.error.fieldErrors).sort()).toEqual(["holidays.0", "workingDays"]);
    const empty = await mutate(owner, "projects.serviceLevels.update", {});
    expect(empty.status).toBe(400);
    expect(await settingsRows(owner.tenant)).toEqual(before);
  });

  it("give issues filed and re-prioritised through the Worker the organization's business-hours targets", async () => {
    const owner = await member("owner");
    expect((await mutate(owner, "projects.serviceLevels.update", weekdaysOnly)).status).toBe(200);
    const project = await mutate(owner, "projects.projects.create", { key: "DESK", name: "Help desk" });
    expect(project.status).toBe(200);
    const filed = await mutate(owner, "projects.issues.create", {
      projectScope: "tenant",
      projectId: project.body.result.data.id,
      type: "service_request",
      title: "Smartboard in room 4 will not turn on",
      priority: "low",
    });
    expect(filed.status).toBe(200);
    const issue = filed.body.result.data;
    const createdAt = new Date(issue.createdAt);
    const expected = (priority: "low" | "high") => {
      const due = dueDatesFor(weekdaysOnly, priority, createdAt);
      return [due.responseDueAt.toISOString(), due.resolutionDueAt.toISOString()];
    };
    expect([issue.responseDueAt, issue.resolutionDueAt]).toEqual(expected("low"));
    // Counted only in working time, the targets land later than calendar time would put them.
    expect(new Date(issue.resolutionDueAt).getTime() - createdAt.getTime()).toBeGreaterThan(5400 * 60_000);

    const raised = await mutate(owner, "projects.issues.update", {
      id: issue.id,
      version: issue.version,
      priority: "high",
    });
    expect(raised.status).toBe(200);
    expect([raised.body.result.data.responseDueAt, raised.body.result.data.resolutionDueAt]).toEqual(
      expected("high"),
    );
  });
});
