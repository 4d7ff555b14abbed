import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../../db/context";
import { auditLog, schools } from "../../db/tenant/schema";
import type { OpenSchoolInput } from "../../shared/schemas/education";
import { closeSchool, listSchools, openSchool, reopenSchool } from "../../worker/packages/education/schools";
import { createIssue } from "../../worker/packages/projects/issues/create";
import { errorOf, helpDesk, type Org, twoOrganizations } from "./issues-support";

let a: Org;
let b: Org;

beforeAll(async () => {
  ({ a, b } = await twoOrganizations());
});

const opening = (code: string, more: Partial<OpenSchoolInput> = {}): OpenSchoolInput => ({
  code,
  name: `School ${code}`,
  level: "middle",
  lowGrade: 6,
  highGrade: 8,
  on: "2024-08-19",
  ...more,
});

const auditOf = (org: Org, schoolId: string, action: string) =>
  org.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetId, schoolId), eq(auditLog.action, action)));

describe("schools", () => {
  it("open on a day with a building code of their own, audited with who opened them and why", async () => {
    const admin = a.as(a.owner);
    const opened = await openSchool(admin, opening("3101", { city: "Riverton", reason: "New building" }));
    expect(opened).toMatchObject({ code: "3101", status: "open", openedOn: "2024-08-19", closedOn: null });
    expect(await auditOf(a, opened.id, "school.opened")).toEqual([
      expect.objectContaining({
        actorKind: "user",
        actorId: a.owner.id,
        tenantId: a.tenant.id,
        ip: admin.actor.ip,
        requestId: admin.actor.requestId,
        after: { code: "3101", name: "School 3101", openedOn: "2024-08-19", reason: "New building" },
      }),
    ]);
    const taken = await errorOf(openSchool(admin, opening("3101")));
    expect(taken.code).toBe("CONFLICT");
    expect(taken.details.fieldErrors).toHaveProperty("code");
    // Each organization has its own codes.
    expect((await openSchool(b.as(b.owner), opening("3101"))).code).toBe("3101");
  });

  it("refuse an opening in the future or a grade range upside down, writing nothing", async () => {
    const admin = a.as(a.owner);
    const later = await errorOf(openSchool(admin, opening("3102", { on: "2999-01-01" })));
    expect(later.details.fieldErrors).toHaveProperty("on");
    await expect(openSchool(admin, opening("3103", { lowGrade: 9, highGrade: 6 }))).rejects.toThrow(
      /highest grade/,
    );
    expect(await a.db.select().from(schools).where(eq(schools.code, "3102"))).toEqual([]);
  });

  it("close from a day for a reason, then take no new issues, and reopen", async () => {
    const admin = a.as(a.owner);
    const school = await openSchool(admin, opening("3201"));
    const closed = await closeSchool(admin, { id: school.id, on: "2025-06-01", reason: "Merged with 3101" });
    expect(closed).toMatchObject({ status: "closed", openedOn: "2024-08-19", closedOn: "2025-06-01" });
    const [entry] = await auditOf(a, school.id, "school.closed");
    expect(entry).toMatchObject({
      actorId: a.owner.id,
      before: { status: "open", openedOn: "2024-08-19", closedOn: null },
      after: { status: "closed", openedOn: "2024-08-19", closedOn: "2025-06-01", reason: "Merged with 3101" },
    });

    const desk = await helpDesk(a, "SCH");
    const filing = await errorOf(
      createIssue(a.as(a.member), {
        projectScope: "tenant",
        projectId: desk.id,
        type: "service_request",
        title: "Keys for room 4",
        schoolId: school.id,
      }),
    );
    expect(filing.details.reason).toBe("school_closed");

    const again = await errorOf(closeSchool(admin, { id: school.id, on: "2025-06-02", reason: "Twice" }));
    expect([again.code, again.details.reason]).toEqual(["CONFLICT", "school_closed"]);
    expect(await auditOf(a, school.id, "school.closed")).toHaveLength(1);

    const early = await errorOf(reopenSchool(admin, { id: school.id, on: "2025-05-01", reason: "Too soon" }));
    expect(early.details.fieldErrors).toHaveProperty("on");
    const reopened = await reopenSchool(admin, {
      id: school.id,
      on: "2025-08-18",
      reason: "Enrollment grew",
    });
    expect(reopened).toMatchObject({ status: "open", openedOn: "2025-08-18", closedOn: null });
    expect(await auditOf(a, school.id, "school.reopened")).toEqual([
      expect.objectContaining({ after: expect.objectContaining({ reason: "Enrollment grew" }) }),
    ]);
  });

  it("cannot be closed before they opened, nor in another organization", async () => {
    const school = await openSchool(a.as(a.owner), opening("3301"));
    const before = await errorOf(
      closeSchool(a.as(a.owner), { id: school.id, on: "2020-01-01", reason: "Oops" }),
    );
    expect(before.details.fieldErrors).toHaveProperty("on");
    const elsewhere = await errorOf(
      closeSchool(b.as(b.owner), { id: school.id, on: "2025-01-01", reason: "No" }),
    );
    expect(elsewhere.code).toBe("NOT_FOUND");
    expect((await listSchools(a, { search: "3301" })).items[0]?.status).toBe("open");
  });

  it("are closed by the system too (a sync or a job), audited with its reason", async () => {
    const school = await openSchool(a.as(a.owner), opening("3401"));
    const system = systemContext({
      db: a.db,
      control: a.control,
      tenant: a.tenant,
      reason: "job:sis.sync",
      log: a.as(a.owner).log,
    });
    await closeSchool(system, { id: school.id, on: "2025-06-30", reason: "Closed in the SIS" });
    const [entry] = await auditOf(a, school.id, "school.closed");
    expect(entry).toMatchObject({ actorKind: "system", actorId: "job:sis.sync", tenantId: a.tenant.id });
  });

  it("are found by name, building code, principal or city, wildcards taken literally", async () => {
    const admin = a.as(a.owner);
    const mine = await openSchool(
      admin,
      opening("3501", { name: "Lincoln Middle", principal: "Dana Ortiz", city: "Fairview" }),
    );
    await openSchool(admin, opening("3502", { name: "Other 100% School", city: "Elsewhere" }));
    const found = async (search: string) => (await listSchools(a, { search })).items.map((s) => s.code);
    expect(await found("lincoln")).toEqual(["3501"]);
    expect(await found("3501")).toEqual(["3501"]);
    expect(await found("ortiz")).toEqual(["3501"]);
    expect(await found("fairv")).toEqual(["3501"]);
    expect(await found("0%")).toEqual(["3502"]);
    expect(await found("_")).toEqual([]);
    expect(mine.principal).toBe("Dana Ortiz");
  });
});
