import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { sharedIssueIndex } from "../../db/control/schema";
import { auditLog, issueHistory, issues } from "../../db/tenant/schema";
import { createProjectInput } from "../../shared/schemas/projects";
import { setIssueArchived } from "../../worker/packages/projects/issues/archive";
import { createIssue } from "../../worker/packages/projects/issues/create";
import { getIssue } from "../../worker/packages/projects/issues/get";
import { transitionIssue } from "../../worker/packages/projects/issues/transition";
import { updateIssue } from "../../worker/packages/projects/issues/update";
import { createProject } from "../../worker/packages/projects/projects/create";
import { listProjects } from "../../worker/packages/projects/projects/list";
import { setProjectArchived, updateProject } from "../../worker/packages/projects/projects/update";
import { withGroupNames } from "../../worker/packages/projects/projects/views";
import { searchDocuments } from "../../worker/search/search";
import { errorOf, footprint, group, helpDesk, type Org, person, twoOrganizations } from "./issues-support";

let w: Awaited<ReturnType<typeof twoOrganizations>>;
let a: Org;
let b: Org;
let help: Awaited<ReturnType<typeof helpDesk>>;
let helpB: Awaited<ReturnType<typeof helpDesk>>;

beforeAll(async () => {
  w = await twoOrganizations();
  a = w.a;
  b = w.b;
  help = await helpDesk(a, "RHD");
  helpB = await helpDesk(b, "BHD");
});

const incident = (extra: Record<string, unknown> = {}) => ({
  projectScope: "tenant" as const,
  projectId: help.id,
  type: "incident" as const,
  title: "SIS sync failed overnight",
  impact: "high" as const,
  urgency: "medium" as const,
  ...extra,
});

describe("projects", () => {
  it("lists the organization's projects and the shared projects, each with its scope", async () => {
    const { items } = await listProjects(a.db, w.control, {});
    expect(items.map((p) => [p.scope, p.key])).toEqual([
      ["tenant", "RHD"],
      ["shared", "MAINT"],
      ["shared", "TECH"],
    ]);
  });

  it("names each project's default group (the organization's own projects only)", async () => {
    const desk = await group(a, "Desk crew");
    const p = await createProject(a.as(a.owner), {
      key: "GRP",
      name: "Grouped",
      defaultAssigneeGroupId: desk.id,
    });
    const [named] = await withGroupNames(a.db, [p]);
    expect(named?.defaultAssigneeGroup).toEqual({ id: desk.id, name: "Desk crew" });
    const { items } = await listProjects(a.db, w.control, {});
    const shared = items.filter((i) => i.scope === "shared");
    expect(shared.every((i) => i.defaultAssigneeGroup === null)).toBe(true);
    await setProjectArchived(a.as(a.owner), p.id, true);
  });

  it("refuses a key another project or a shared project already uses, and a malformed key", async () => {
    expect((await errorOf(createProject(a.as(a.owner), { key: "rhd", name: "Again" }))).details.reason).toBe(
      "key_taken",
    );
    expect((await errorOf(createProject(a.as(a.owner), { key: "TECH", name: "Mine" }))).code).toBe(
      "CONFLICT",
    );
    for (const key of ["X", "TOOLONGKEY11", "HE LP", "1ABC", "ÄBC"]) {
      expect(createProjectInput.safeParse({ key, name: "Bad" }).success, key).toBe(false);
    }
    expect(createProjectInput.parse({ key: " help2 ", name: "Ok" }).key).toBe("HELP2");
  });

  it("archives and restores a project, refusing changes and new issues while archived", async () => {
    const p = await createProject(a.as(a.owner), { key: "OLD", name: "Old desk" });
    expect((await setProjectArchived(a.as(a.owner), p.id, true)).archived).toBe(true);
    expect((await errorOf(updateProject(a.as(a.owner), { id: p.id, name: "Renamed" }))).details.reason).toBe(
      "project_archived",
    );
    const refused = await errorOf(createIssue(a.as(a.member), incident({ projectId: p.id })));
    expect(refused.details.reason).toBe("project_archived");
    expect((await setProjectArchived(a.as(a.owner), p.id, false)).archived).toBe(false);
    expect((await updateProject(a.as(a.owner), { id: p.id, name: "Renamed" })).name).toBe("Renamed");
  });
});

describe("creating issues", () => {
  it("numbers issues in order and writes the issue, its search document, history and audit together", async () => {
    const first = await createIssue(a.as(a.member), incident());
    const second = await createIssue(
      a.as(a.member),
      incident({ title: "Projector in room 204 shows no image" }),
    );
    expect(second.number).toBe(first.number + 1);
    expect(second.key).toBe(`RHD-${second.number}`);
    expect(first.requesterId).toBe(a.member.id);
    expect(first.status).toBe("new");
    const history = await a.db.select().from(issueHistory).where(eq(issueHistory.issueId, first.id));
    expect(history.map((h) => h.field)).toEqual(["created"]);
    expect((history[0]!.after as { number: number }).number).toBe(first.number);
    const audit = await a.db.select().from(auditLog).where(eq(auditLog.targetId, first.id));
    expect(audit.map((r) => r.action)).toEqual(["issue.created"]);
    expect(audit[0]!.ip).toBe("203.0.113.9");
    expect((audit[0]!.after as { number: number }).number).toBe(first.number);
    const hits = await searchDocuments(a.db, `RHD-${second.number}`, { limit: 5 });
    expect(hits.map((h) => h.objectId)).toContain(second.id);
  });

  it("derives an incident's priority from impact × urgency and its targets from the priority", async () => {
    const before = Date.now();
    const critical = await createIssue(a.as(a.member), incident({ impact: "high", urgency: "high" }));
    expect(critical.priority).toBe("critical");
    expect(Date.parse(critical.responseDueAt!) - Date.parse(critical.createdAt)).toBe(3_600_000);
    expect(Date.parse(critical.resolutionDueAt!) - Date.parse(critical.createdAt)).toBe(4 * 3_600_000);
    expect(Date.parse(critical.createdAt)).toBeGreaterThanOrEqual(before);
    expect(critical.sla).toEqual({ response: "due", resolution: "due" });
    const low = await createIssue(a.as(a.member), incident({ impact: "low", urgency: "medium" }));
    expect(low.priority).toBe("low");
    const request = await createIssue(a.as(a.member), {
      projectScope: "tenant",
      projectId: help.id,
      type: "service_request",
      title: "New staff laptop for Ms. Ortiz",
    });
    expect(request.priority).toBe("medium");
    expect(Date.parse(request.resolutionDueAt!) - Date.parse(request.createdAt)).toBe(3 * 86_400_000);
  });

  it("checks each subtype's details and refuses what does not fit", async () => {
    const change = await createIssue(a.as(a.member), {
      projectScope: "tenant",
      projectId: help.id,
      type: "change",
      title: "Upgrade Wi-Fi controller firmware",
      details: { risk: "medium", plannedStart: "2026-07-01T22:00:00Z", plannedEnd: "2026-07-02T01:00:00Z" },
    });
    expect(change.type === "change" && change.details.approval).toBe("pending");
    const backwards = createIssue(a.as(a.member), {
      projectScope: "tenant",
      projectId: help.id,
      type: "change",
      title: "Backwards window",
      details: { risk: "low", plannedStart: "2026-07-02T01:00:00Z", plannedEnd: "2026-07-01T22:00:00Z" },
    });
    await expect(backwards).rejects.toThrow();
    // A post-incident analysis must name an incident of this organization.
    const inc = await createIssue(a.as(a.member), incident());
    const pia = await createIssue(a.as(a.member), {
      projectScope: "tenant",
      projectId: help.id,
      type: "post_incident_analysis",
      title: "Why the SIS sync failed",
      details: { incidentId: inc.id, timeline: [{ at: "2026-03-02T06:10:00Z", note: "Sync job timed out" }] },
    });
    expect(pia.type === "post_incident_analysis" && pia.details.actions).toEqual([]);
    const elsewhere = await createIssue(b.as(b.member), {
      projectScope: "tenant",
      projectId: helpB.id,
      type: "incident",
      title: "B's incident",
      impact: "low",
      urgency: "low",
    });
    const before = await footprint(a.db);
    const refused = await errorOf(
      createIssue(a.as(a.member), {
        projectScope: "tenant",
        projectId: help.id,
        type: "post_incident_analysis",
        title: "Analysis of someone else's incident",
        details: { incidentId: elsewhere.id },
      }),
    );
    expect(refused.code).toBe("NOT_FOUND");
    expect(refused.details.fieldErrors).toHaveProperty(["details.incidentId"]);
    expect(await footprint(a.db)).toEqual(before);
  });

  it("accepts an analysis's action owners only among the organization's active members, and names them", async () => {
    const inc = await createIssue(a.as(a.member), incident());
    const base = {
      projectScope: "tenant" as const,
      projectId: help.id,
      type: "post_incident_analysis" as const,
      title: "Why the projector firmware update failed",
    };
    const outsider = b.member;
    const before = await footprint(a.db);
    const refused = await errorOf(
      createIssue(a.as(a.member), {
        ...base,
        details: {
          incidentId: inc.id,
          actions: [
            { description: "Pin the firmware version", ownerId: a.owner.id },
            { description: "Tell the other district", ownerId: outsider.id },
          ],
        },
      }),
    );
    expect(refused.code).toBe("NOT_FOUND");
    expect(Object.keys(refused.details.fieldErrors ?? {})).toEqual(["details.actions.1.ownerId"]);
    expect(await footprint(a.db)).toEqual(before);

    const pia = await createIssue(a.as(a.member), {
      ...base,
      details: {
        incidentId: inc.id,
        actions: [{ description: "Pin the firmware version", ownerId: a.owner.id }],
      },
    });
    const shown = await getIssue(a.as(a.member), pia.id);
    expect(shown.names.others).toEqual([{ id: a.owner.id, name: a.owner.name }]);
    const later = await errorOf(
      updateIssue(a.as(a.member), {
        id: pia.id,
        version: pia.version,
        details: {
          incidentId: inc.id,
          actions: [
            { description: "Pin the firmware version", ownerId: a.owner.id, done: true },
            { description: "Tell the other district", ownerId: outsider.id },
          ],
        },
      }),
    );
    expect(later.details.fieldErrors).toHaveProperty(["details.actions.1.ownerId"]);
    expect((await getIssue(a.as(a.member), pia.id)).version).toBe(pia.version);
  });

  it("only lets project administrators record a change's approval", async () => {
    const details = {
      risk: "low" as const,
      plannedStart: "2026-07-01T22:00:00Z",
      plannedEnd: "2026-07-01T23:00:00Z",
      approval: "approved" as const,
    };
    const base = {
      projectScope: "tenant" as const,
      projectId: help.id,
      type: "change" as const,
      title: "Standard change",
    };
    expect((await errorOf(createIssue(a.as(a.member), { ...base, details }))).code).toBe("FORBIDDEN");
    const approved = await createIssue(a.as(a.owner), { ...base, details });
    expect(approved.type === "change" && approved.details.approverId).toBe(a.owner.id);
  });

  it("answers NOT_FOUND and writes nothing for another organization's project or one that does not exist", async () => {
    const before = await footprint(a.db);
    const theirs = await errorOf(createIssue(a.as(a.owner), incident({ projectId: helpB.id })));
    expect(theirs.code).toBe("NOT_FOUND");
    const none = await errorOf(createIssue(a.as(a.owner), incident({ projectId: "no-such-project" })));
    expect(none.code).toBe("NOT_FOUND");
    // A tenant project's id named as shared (or a shared one as tenant) is not found either.
    expect(
      (await errorOf(createIssue(a.as(a.owner), incident({ projectScope: "shared", projectId: help.id }))))
        .code,
    ).toBe("NOT_FOUND");
    expect(
      (await errorOf(createIssue(a.as(a.owner), incident({ projectScope: "tenant", projectId: w.tech.id }))))
        .code,
    ).toBe("NOT_FOUND");
    expect(await footprint(a.db)).toEqual(before);
  });

  it("accepts only active members as assignee or requester and only the organization's groups", async () => {
    const outsider = await person(w.control);
    const before = await footprint(a.db);
    expect(
      (await errorOf(createIssue(a.as(a.member), incident({ assigneeUserId: outsider.id })))).details
        .fieldErrors,
    ).toHaveProperty("assigneeUserId");
    expect((await errorOf(createIssue(a.as(a.member), incident({ assigneeUserId: b.owner.id })))).code).toBe(
      "NOT_FOUND",
    );
    expect((await errorOf(createIssue(a.as(a.member), incident({ requesterId: b.member.id })))).code).toBe(
      "NOT_FOUND",
    );
    const theirGroup = await group(b, "B techs");
    expect(
      (await errorOf(createIssue(a.as(a.member), incident({ assigneeGroupId: theirGroup.id })))).code,
    ).toBe("NOT_FOUND");
    expect(await footprint(a.db)).toEqual(before);
    const techs = await group(a, "Network team");
    const ok = await createIssue(
      a.as(a.member),
      incident({ assigneeUserId: a.owner.id, assigneeGroupId: techs.id }),
    );
    expect([ok.assigneeUserId, ok.assigneeGroupId]).toEqual([a.owner.id, techs.id]);
  });

  it("files issues in a shared project in the organization's own database and summarises them for the desk", async () => {
    const filed = await createIssue(a.as(a.member), {
      projectScope: "shared",
      projectId: w.tech.id,
      type: "repair",
      title: "Chromebook cart in room 12 not charging",
      details: { fault: "Cart power strip dead" },
    });
    expect(filed.key).toBe(`TECH-${filed.number}`);
    expect(filed.project).toEqual({
      scope: "shared",
      id: w.tech.id,
      key: "TECH",
      name: "Technology Service",
    });
    const [own] = await a.db.select().from(issues).where(eq(issues.id, filed.id));
    expect(own?.projectScope).toBe("shared");
    const [summary] = await w.control
      .select()
      .from(sharedIssueIndex)
      .where(eq(sharedIssueIndex.issueId, filed.id));
    expect(summary).toMatchObject({
      tenantId: a.tenant.id,
      number: `TECH-${filed.number}`,
      status: "reported",
    });
  });
});

describe("updating issues", () => {
  it("records one history row per changed field and refreshes the search document", async () => {
    const issue = await createIssue(a.as(a.member), {
      projectScope: "tenant",
      projectId: help.id,
      type: "known_problem",
      title: "Printer driver crashes",
      details: { symptom: "Spooler stops when printing duplex" },
      tags: ["Printing"],
    });
    const updated = await updateIssue(a.as(a.member), {
      id: issue.id,
      version: issue.version,
      title: "HP printer driver crashes on duplex jobs",
      priority: "high",
      tags: ["printing", "hp"],
      details: { symptom: "Spooler stops when printing duplex", workaround: "Print single-sided" },
    });
    expect(updated.version).toBe(issue.version + 1);
    expect(updated.priority).toBe("high");
    expect(Date.parse(updated.resolutionDueAt!) - Date.parse(updated.createdAt)).toBe(86_400_000);
    const history = await a.db.select().from(issueHistory).where(eq(issueHistory.issueId, issue.id));
    expect(history.map((h) => h.field).sort()).toEqual(
      [
        "created",
        "details.workaround",
        "priority",
        "resolutionDueAt",
        "responseDueAt",
        "tags",
        "title",
      ].sort(),
    );
    const byWorkaround = await searchDocuments(a.db, "single-sided", { limit: 5 });
    expect(byWorkaround.map((h) => h.objectId)).toContain(issue.id);
    // An update that changes nothing writes nothing.
    const before = await footprint(a.db);
    const same = await updateIssue(a.as(a.member), {
      id: issue.id,
      version: updated.version,
      priority: "high",
    });
    expect(same.version).toBe(updated.version);
    expect(await footprint(a.db)).toEqual(before);
  });

  it("refuses a priority for incidents (impact and urgency drive it) and impact for other subtypes", async () => {
    const inc = await createIssue(a.as(a.member), incident());
    expect(
      (await errorOf(updateIssue(a.as(a.member), { id: inc.id, version: 1, priority: "low" }))).code,
    ).toBe("BAD_REQUEST");
    const moved = await updateIssue(a.as(a.member), { id: inc.id, version: 1, urgency: "high" });
    expect(moved.priority).toBe("critical");
  });

  it("answers CONFLICT to the second of two updates made from the same version, losing neither silently", async () => {
    const issue = await createIssue(a.as(a.member), incident({ title: "Phones down at Lincoln Elementary" }));
    const changes = [
      { title: "Phones down at Lincoln (all lines)" },
      { description: "Carrier outage suspected" },
    ] as const;
    const outcomes = await Promise.allSettled(
      changes.map((change, i) =>
        updateIssue(a.as(i === 0 ? a.member : a.owner), { id: issue.id, version: issue.version, ...change }),
      ),
    );
    expect(outcomes.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const loser = outcomes.findIndex((r) => r.status === "rejected");
    const rejected = outcomes[loser] as PromiseRejectedResult;
    expect(rejected.reason.code).toBe("CONFLICT");
    expect(rejected.reason.details.reason).toBe("stale_version");
    const now = await getIssue(a.as(a.member), issue.id);
    expect(now.version).toBe(2);
    const history = await a.db.select().from(issueHistory).where(eq(issueHistory.issueId, issue.id));
    expect(history).toHaveLength(2); // created + the one change that won
    // The loser was told; it retries from the new version and neither change is lost.
    const retried = await updateIssue(a.as(a.owner), {
      id: issue.id,
      version: now.version,
      ...changes[loser]!,
    });
    expect(retried.title).toBe("Phones down at Lincoln (all lines)");
    expect(retried.description).toBe("Carrier outage suspected");
  });

  it("rolls back the whole batch when another writer wins between the read and the write", async () => {
    const issue = await createIssue(a.as(a.member), incident({ title: "Race" }));
    // Another writer bumps the version after our read (simulated by changing it under the service).
    const ctx = a.as(a.member);
    const realSelect = ctx.db.select.bind(ctx.db);
    let bumped = false;
    const racing = {
      ...ctx,
      db: new Proxy(ctx.db, {
        get(target, prop, receiver) {
          if (prop === "batch" && !bumped) {
            bumped = true;
            return async (statements: unknown[]) => {
              await target.$client.execute({
                sql: "UPDATE issues SET version = version + 1 WHERE id = ?",
                args: [issue.id],
              });
              return target.batch(statements as never);
            };
          }
          if (prop === "select") return realSelect;
          return Reflect.get(target, prop, receiver);
        },
      }),
    };
    const before = await footprint(a.db);
    const error = await errorOf(updateIssue(racing, { id: issue.id, version: 1, title: "Lost?" }));
    expect(error.details.reason).toBe("stale_version");
    expect(await footprint(a.db)).toEqual(before);
    expect((await getIssue(ctx, issue.id)).title).toBe("Race");
  });

  it("keeps archived issues read-only until restored", async () => {
    const issue = await createIssue(a.as(a.member), incident({ title: "Old ticket" }));
    const archived = await setIssueArchived(a.as(a.member), issue.id, true);
    expect(archived.archived).toBe(true);
    expect(archived.allowedTransitions).toEqual([]);
    expect(
      (await errorOf(updateIssue(a.as(a.member), { id: issue.id, version: archived.version, title: "x" })))
        .details.reason,
    ).toBe("issue_archived");
    expect(
      (
        await errorOf(
          transitionIssue(a.as(a.member), { id: issue.id, version: archived.version, to: "triaged" }),
        )
      ).details.reason,
    ).toBe("issue_archived");
    const restored = await setIssueArchived(a.as(a.member), issue.id, false);
    expect(restored.archived).toBe(false);
    expect(
      (await transitionIssue(a.as(a.member), { id: issue.id, version: restored.version, to: "triaged" }))
        .status,
    ).toBe("triaged");
  });

  it("answers NOT_FOUND for another organization's issue", async () => {
    const theirs = await createIssue(b.as(b.member), {
      projectScope: "tenant",
      projectId: helpB.id,
      type: "service_request",
      title: "B's request",
    });
    const before = await footprint(a.db);
    expect((await errorOf(getIssue(a.as(a.member), theirs.id))).code).toBe("NOT_FOUND");
    expect(
      (await errorOf(updateIssue(a.as(a.member), { id: theirs.id, version: 1, title: "mine now" }))).code,
    ).toBe("NOT_FOUND");
    expect((await errorOf(setIssueArchived(a.as(a.member), theirs.id, true))).code).toBe("NOT_FOUND");
    expect(await footprint(a.db)).toEqual(before);
  });
});
