import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { issueHistory } from "../../db/tenant/schema";
import { issueTypes } from "../../shared/schemas/issue-model";
import type { CreateIssueInput, Issue } from "../../shared/schemas/issues";
import { allowedTransitions, issueStatuses, priorityOf, workflows } from "../../shared/schemas/workflows";
import { createIssue } from "../../worker/packages/projects/issues/create";
import { transitionIssue } from "../../worker/packages/projects/issues/transition";
import { updateIssue } from "../../worker/packages/projects/issues/update";
import { errorOf, footprint, helpDesk, type Org, twoOrganizations } from "./issues-support";

let a: Org;
let projectId: string;

beforeAll(async () => {
  const w = await twoOrganizations();
  a = w.a;
  projectId = (await helpDesk(a, "WF")).id;
});

const inputs: Record<(typeof issueTypes)[number], () => CreateIssueInput> = {
  incident: () => ({
    projectScope: "tenant",
    projectId,
    type: "incident",
    title: "Wi-Fi down in the gym",
    impact: "medium",
    urgency: "high",
  }),
  service_request: () => ({
    projectScope: "tenant",
    projectId,
    type: "service_request",
    title: "Install Smart Notebook",
  }),
  change: () => ({
    projectScope: "tenant",
    projectId,
    type: "change",
    title: "Wi-Fi controller firmware 10.4",
    details: { risk: "high", plannedStart: "2026-06-20T23:00:00Z", plannedEnd: "2026-06-21T02:00:00Z" },
  }),
  known_problem: () => ({
    projectScope: "tenant",
    projectId,
    type: "known_problem",
    title: "Copier driver drops staples setting",
    details: { symptom: "Stapling ignored from Windows 11" },
  }),
  post_incident_analysis: () => ({
    projectScope: "tenant",
    projectId,
    type: "post_incident_analysis",
    title: "Review",
    details: { incidentId: "set-in-test" },
  }),
  repair: () => ({
    projectScope: "tenant",
    projectId,
    type: "repair",
    title: "Cracked screen, Chromebook 4471",
  }),
};

async function file(type: (typeof issueTypes)[number]): Promise<Issue> {
  const input = inputs[type]();
  if (input.type === "post_incident_analysis") {
    const incident = await createIssue(a.as(a.member), inputs.incident());
    input.details = { incidentId: incident.id };
  }
  return createIssue(a.as(a.owner), input);
}

async function walk(issue: Issue, path: string[], who = a.owner): Promise<Issue> {
  let current = issue;
  for (const to of path)
    current = await transitionIssue(a.as(who), { id: current.id, version: current.version, to });
  return current;
}

/** The happy path of each workflow, from the initial status to the final one. */
const happyPaths: Record<(typeof issueTypes)[number], string[]> = {
  incident: ["triaged", "in_progress", "on_hold", "in_progress", "resolved", "closed"],
  service_request: ["in_progress", "waiting_on_requester", "in_progress", "fulfilled", "closed"],
  change: ["submitted", "approved", "scheduled", "implementing", "completed", "closed"],
  known_problem: ["investigating", "workaround_available", "resolved", "closed"],
  post_incident_analysis: ["in_review", "draft", "in_review", "published"],
  repair: [
    "diagnosing",
    "awaiting_parts",
    "repairing",
    "awaiting_parts",
    "repairing",
    "repaired",
    "returned",
    "closed",
  ],
};

describe("workflows", () => {
  it("declare, for every subtype, an initial status and transitions only between its own statuses", () => {
    for (const type of issueTypes) {
      const wf = workflows[type];
      const keys = wf.statuses.map((s) => s.key);
      expect(keys).toContain(wf.initial);
      expect(keys).toContain(wf.close);
      expect(Object.keys(wf.transitions).sort()).toEqual([...keys].sort());
      for (const targets of Object.values(wf.transitions)) for (const t of targets) expect(keys).toContain(t);
    }
  });

  it("follow ITIL's impact × urgency matrix for incidents", () => {
    expect(priorityOf("high", "high")).toBe("critical");
    expect(priorityOf("high", "medium")).toBe("high");
    expect(priorityOf("medium", "high")).toBe("high");
    expect(priorityOf("medium", "medium")).toBe("medium");
    expect(priorityOf("low", "high")).toBe("medium");
    expect(priorityOf("low", "low")).toBe("low");
  });

  it.each(issueTypes)(
    "lets a %s follow its workflow from start to end, stamping response, resolution and closing",
    async (type) => {
      const issue = await file(type);
      expect(issue.status).toBe(workflows[type].initial);
      expect(issue.respondedAt).toBeNull();
      const [first, ...rest] = happyPaths[type];
      const moved = await walk(issue, [first!]);
      expect(moved.respondedAt).not.toBeNull();
      const done = await walk(moved, rest);
      expect(done.status).toBe(workflows[type].close);
      expect(done.resolvedAt).not.toBeNull();
      expect(done.closedAt).not.toBeNull();
      expect(done.respondedAt).toBe(moved.respondedAt);
      expect(done.allowedTransitions).toEqual([]);
      expect(done.sla).toEqual({ response: "met", resolution: "met" });
      const history = await a.db.select().from(issueHistory).where(eq(issueHistory.issueId, issue.id));
      expect(history.filter((h) => h.field === "status").map((h) => h.after)).toEqual(happyPaths[type]);
    },
  );

  it.each(issueTypes)(
    "refuses a %s every move its workflow does not allow, naming the allowed ones, and writes nothing",
    async (type) => {
      const issue = await file(type);
      const allStatuses = workflows[type].statuses.map((s) => s.key);
      const refused = allStatuses.filter((s) => !allowedTransitions(type, issue.status).includes(s));
      expect(refused.length).toBeGreaterThan(0);
      const before = await footprint(a.db);
      for (const to of refused) {
        const error = await errorOf(
          transitionIssue(a.as(a.owner), { id: issue.id, version: issue.version, to }),
        );
        expect(error.code).toBe("BAD_REQUEST");
        expect(error.details.reason).toBe("invalid_transition");
        expect(error.details.fieldErrors?.to?.[0]).toContain(
          allowedTransitions(type, issue.status).join(", "),
        );
      }
      // A status of another subtype's workflow is refused the same way.
      const otherStatus = issueStatuses.find((st) => !allStatuses.includes(st))!;
      const foreign = await errorOf(
        transitionIssue(a.as(a.owner), { id: issue.id, version: issue.version, to: otherStatus }),
      );
      expect(foreign.details.reason).toBe("invalid_transition");
      expect(await footprint(a.db)).toEqual(before);
    },
  );

  it("reopens a resolved incident, clearing its resolution until it is resolved again", async () => {
    const resolved = await walk(await file("incident"), ["triaged", "in_progress", "resolved"]);
    expect(resolved.resolvedAt).not.toBeNull();
    const reopened = await walk(resolved, ["in_progress"]);
    expect(reopened.resolvedAt).toBeNull();
    expect(reopened.closedAt).toBeNull();
    expect(reopened.allowedTransitions).toEqual(["on_hold", "resolved"]);
    await expect(walk(reopened, ["closed"])).rejects.toMatchObject({
      details: { reason: "invalid_transition" },
    });
  });

  it("lets any open service request be cancelled, and nothing follows a cancellation", async () => {
    for (const path of [[], ["in_progress"], ["in_progress", "waiting_on_requester"]]) {
      const cancelled = await walk(await walk(await file("service_request"), path), ["cancelled"]);
      expect(cancelled.closedAt).not.toBeNull();
      expect(cancelled.allowedTransitions).toEqual([]);
    }
    const fulfilled = await walk(await file("service_request"), ["in_progress", "fulfilled"]);
    await expect(walk(fulfilled, ["cancelled"])).rejects.toMatchObject({
      details: { reason: "invalid_transition" },
    });
  });

  it("schedules only approved changes, approved by a project administrator", async () => {
    const submitted = await walk(await file("change"), ["submitted"]);
    // Members may not decide on approval.
    const member = await errorOf(
      transitionIssue(a.as(a.member), { id: submitted.id, version: submitted.version, to: "approved" }),
    );
    expect(member.code).toBe("FORBIDDEN");
    // A submitted change cannot skip approval.
    expect((await errorOf(walk(submitted, ["scheduled"]))).details.reason).toBe("invalid_transition");
    const approved = await walk(submitted, ["approved"]);
    expect(approved.type === "change" && approved.details).toMatchObject({
      approval: "approved",
      approverId: a.owner.id,
    });
    // Anyone may edit the rest of an approved change's details; the recorded decision stays as it is.
    const { approverId: _dropped, ...withoutApprover } = approved.details as Record<string, unknown>;
    const edited = await updateIssue(a.as(a.member), {
      id: approved.id,
      version: approved.version,
      details: { ...withoutApprover, risk: "low" },
    });
    expect(edited.type === "change" && edited.details).toMatchObject({
      risk: "low",
      approval: "approved",
      approverId: a.owner.id,
    });
    const resent = await updateIssue(a.as(a.member), {
      id: edited.id,
      version: edited.version,
      details: { ...(edited.details as Record<string, unknown>), risk: "medium" },
    });
    // If the recorded approval is withdrawn, the change cannot be scheduled.
    const withdrawn = await updateIssue(a.as(a.owner), {
      id: resent.id,
      version: resent.version,
      details: { ...(resent.details as Record<string, unknown>), approval: "pending" },
    });
    const refused = await errorOf(walk(withdrawn, ["scheduled"], a.member));
    expect(refused.details.reason).toBe("invalid_transition");
    expect(refused.userMessage).toMatch(/approved/);
    expect(withdrawn.type === "change" && withdrawn.details.approverId).toBeNull();
    const reapproved = await updateIssue(a.as(a.owner), {
      id: withdrawn.id,
      version: withdrawn.version,
      details: { ...(withdrawn.details as Record<string, unknown>), approval: "approved" },
    });
    expect((await walk(reapproved, ["scheduled"], a.member)).status).toBe("scheduled");
    // Members cannot set the approval through an update either.
    const other = await walk(await file("change"), ["submitted"]);
    const sneaky = await errorOf(
      updateIssue(a.as(a.member), {
        id: other.id,
        version: other.version,
        details: { ...(other.details as Record<string, unknown>), approval: "approved" },
      }),
    );
    expect(sneaky.code).toBe("FORBIDDEN");
    // A rejected change is closed, never scheduled.
    const rejected = await walk(other, ["rejected"]);
    expect(rejected.allowedTransitions).toEqual(["closed"]);
    expect(rejected.resolvedAt).not.toBeNull();
  });

  it("answers CONFLICT when the version named is stale", async () => {
    const issue = await file("repair");
    await walk(issue, ["diagnosing"]);
    const stale = await errorOf(
      transitionIssue(a.as(a.owner), { id: issue.id, version: issue.version, to: "diagnosing" }),
    );
    expect(stale.code).toBe("CONFLICT");
    expect(stale.details.reason).toBe("stale_version");
  });
});
