/**
 * The service desk's rules as data: status workflows per issue subtype, the impact × urgency priority
 * matrix of incidents, and response/resolution targets by priority. The server enforces them; the client
 * reads the same constants to offer only what the server will accept. See docs/projects/issues.md (and
 * ADR 0012 for why).
 */
import type { IssueType, Priority } from "./issue-model";
import { defaultServiceLevels, dueDatesFor } from "./service-time";

/**
 * What a status means for the clock: `open` (work to do), `resolved` (work done, may still be reopened)
 * or `closed` (final). Entering `resolved` or `closed` stamps resolvedAt; entering `closed` stamps closedAt;
 * going back to `open` clears both.
 */
export type StatusCategory = "open" | "resolved" | "closed";

export interface StatusDef {
  key: string;
  label: string;
  category: StatusCategory;
  /**
   * The issue waits on someone outside the team (the requester, a supplier): the service-level clock stops
   * while it is here and the resolution target moves later by the time spent here when it leaves
   * (docs/projects/service-levels.md, "Pauses"). Only open statuses that are not a workflow's initial status may pause: the response is then
   * always met before a pause begins.
   */
  pausesClock?: true;
}

export interface Workflow {
  /** Where a new issue of this subtype starts; leaving it the first time stamps respondedAt. */
  initial: string;
  statuses: readonly StatusDef[];
  /** status → the statuses it may move to. */
  transitions: Readonly<Record<string, readonly string[]>>;
  /** Where `bulkClose` moves an issue (when the workflow allows it from its current status). */
  close: string;
}

/** How each subtype is named in the product. */
export const issueTypeLabels: Readonly<Record<IssueType, string>> = {
  service_request: "Service request",
  incident: "Incident",
  known_problem: "Known problem",
  post_incident_analysis: "Post-incident analysis",
  change: "Change",
  repair: "Repair",
};

const s = (key: string, label: string, category: StatusCategory = "open"): StatusDef => ({
  key,
  label,
  category,
});

/** An open status in which the issue waits on someone outside the team: the clock stops (see StatusDef). */
const waiting = (key: string, label: string): StatusDef => ({
  key,
  label,
  category: "open",
  pausesClock: true,
});

export const workflows: Readonly<Record<IssueType, Workflow>> = {
  /** new → triaged → in progress ⇄ on hold → resolved → closed; a resolved incident can be reopened. */
  incident: {
    initial: "new",
    statuses: [
      s("new", "New"),
      s("triaged", "Triaged"),
      s("in_progress", "In progress"),
      // Waiting on a supplier, the requester or a site visit the team does not control.
      waiting("on_hold", "On hold"),
      s("resolved", "Resolved", "resolved"),
      s("closed", "Closed", "closed"),
    ],
    transitions: {
      new: ["triaged"],
      triaged: ["in_progress"],
      in_progress: ["on_hold", "resolved"],
      on_hold: ["in_progress", "resolved"],
      resolved: ["closed", "in_progress"],
      closed: [],
    },
    close: "closed",
  },
  /**
   * draft → submitted → approved | rejected; approved → scheduled (only while details.approval is
   * "approved") → implementing → completed | failed → closed; a rejected change is closed.
   */
  change: {
    initial: "draft",
    statuses: [
      s("draft", "Draft"),
      s("submitted", "Submitted"),
      s("approved", "Approved"),
      s("rejected", "Rejected", "resolved"),
      s("scheduled", "Scheduled"),
      s("implementing", "Implementing"),
      s("completed", "Completed", "resolved"),
      s("failed", "Failed", "resolved"),
      s("closed", "Closed", "closed"),
    ],
    transitions: {
      draft: ["submitted"],
      submitted: ["approved", "rejected"],
      approved: ["scheduled"],
      rejected: ["closed"],
      scheduled: ["implementing"],
      implementing: ["completed", "failed"],
      completed: ["closed"],
      failed: ["closed"],
      closed: [],
    },
    close: "closed",
  },
  /** new → in progress ⇄ waiting on requester → fulfilled → closed; any open request can be cancelled. */
  service_request: {
    initial: "new",
    statuses: [
      s("new", "New"),
      s("in_progress", "In progress"),
      // The requester owes an answer, an approval or access to the device.
      waiting("waiting_on_requester", "Waiting on requester"),
      s("fulfilled", "Fulfilled", "resolved"),
      s("closed", "Closed", "closed"),
      s("cancelled", "Cancelled", "closed"),
    ],
    transitions: {
      new: ["in_progress", "cancelled"],
      in_progress: ["waiting_on_requester", "fulfilled", "cancelled"],
      waiting_on_requester: ["in_progress", "cancelled"],
      fulfilled: ["closed"],
      closed: [],
      cancelled: [],
    },
    close: "closed",
  },
  /** identified → investigating → workaround available → resolved → closed (a fix may come before a workaround). */
  known_problem: {
    initial: "identified",
    statuses: [
      s("identified", "Identified"),
      s("investigating", "Investigating"),
      s("workaround_available", "Workaround available"),
      s("resolved", "Resolved", "resolved"),
      s("closed", "Closed", "closed"),
    ],
    transitions: {
      identified: ["investigating"],
      investigating: ["workaround_available", "resolved"],
      workaround_available: ["resolved"],
      resolved: ["closed"],
      closed: [],
    },
    close: "closed",
  },
  /** draft → in review → published; a review can send it back to draft. */
  post_incident_analysis: {
    initial: "draft",
    statuses: [s("draft", "Draft"), s("in_review", "In review"), s("published", "Published", "closed")],
    transitions: {
      draft: ["in_review"],
      in_review: ["published", "draft"],
      published: [],
    },
    close: "published",
  },
  /** reported → diagnosing → awaiting parts ⇄ repairing → repaired → returned → closed. */
  repair: {
    initial: "reported",
    statuses: [
      s("reported", "Reported"),
      s("diagnosing", "Diagnosing"),
      // The part is on order: the vendor's delivery time is not the team's.
      waiting("awaiting_parts", "Awaiting parts"),
      s("repairing", "Repairing"),
      s("repaired", "Repaired", "resolved"),
      s("returned", "Returned", "resolved"),
      s("closed", "Closed", "closed"),
    ],
    transitions: {
      reported: ["diagnosing"],
      diagnosing: ["awaiting_parts", "repairing"],
      awaiting_parts: ["repairing"],
      repairing: ["awaiting_parts", "repaired"],
      repaired: ["returned"],
      returned: ["closed"],
      closed: [],
    },
    close: "closed",
  },
};

/** Every status of every workflow (filters accept any of them). */
export const issueStatuses = [
  ...new Set(Object.values(workflows).flatMap((w) => w.statuses.map((st) => st.key))),
] as [string, ...string[]];

export function statusDef(type: IssueType, status: string): StatusDef | undefined {
  return workflows[type].statuses.find((st) => st.key === status);
}

/** The statuses an issue of `type` in `status` may move to. */
export function allowedTransitions(type: IssueType, status: string): readonly string[] {
  return workflows[type].transitions[status] ?? [];
}

/** Whether the service-level clock stops while an issue of `type` is in `status` (see StatusDef.pausesClock). */
export function pausesClock(type: IssueType, status: string): boolean {
  return statusDef(type, status)?.pausesClock === true;
}

/** Statuses of any subtype that count as not yet resolved (open work). */
export const openStatuses = [
  ...new Set(
    Object.values(workflows).flatMap((w) =>
      w.statuses.filter((st) => st.category === "open").map((st) => st.key),
    ),
  ),
];

// ——— Priority ————————————————————————————————————————————————————————————————————————————————

export type Level = "high" | "medium" | "low";

/**
 * Incidents: priority = impact × urgency (ITIL's matrix). Rows are impact, columns urgency.
 *
 * | impact \ urgency | high     | medium | low    |
 * |------------------|----------|--------|--------|
 * | high             | critical | high   | medium |
 * | medium           | high     | medium | low    |
 * | low              | medium   | low    | low    |
 */
export const priorityMatrix: Readonly<Record<Level, Readonly<Record<Level, Priority>>>> = {
  high: { high: "critical", medium: "high", low: "medium" },
  medium: { high: "high", medium: "medium", low: "low" },
  low: { high: "medium", medium: "low", low: "low" },
};

export function priorityOf(impact: Level, urgency: Level): Priority {
  return priorityMatrix[impact][urgency];
}

/** Most urgent first: the order `sort: priority, direction: desc` lists them in. */
export const priorityOrder: readonly Priority[] = ["critical", "high", "medium", "low"];

// ——— Service level targets ———————————————————————————————————————————————————————————————————

/**
 * The default response and resolution targets by priority (critical 1 h / 4 h, high 4 h / 1 day, medium
 * 1 day / 3 days, low 3 days / 10 days), in calendar time from filing: what an organization that never set
 * its service levels gets. An organization's own policy (`projects.serviceLevels`: time zone, working
 * hours, holidays, and per priority the targets and a business or always clock; ./service-levels.ts,
 * ./service-time.ts) decides its issues' due dates (ADR 0015). Changing an issue's priority moves its
 * targets (still from the filing time, plus the time it spent waiting in statuses that stop the clock);
 * changing the policy does not move existing issues' targets.
 */
export const slaTargets: Readonly<Record<Priority, { responseMs: number; resolutionMs: number }>> =
  Object.fromEntries(
    priorityOrder.map((p) => {
      const target = defaultServiceLevels.targets[p];
      return [
        p,
        { responseMs: target.responseMinutes * 60_000, resolutionMs: target.resolutionMinutes * 60_000 },
      ];
    }),
  ) as Record<Priority, { responseMs: number; resolutionMs: number }>;

/** Due dates under the default service levels (the bench and test data sets file issues with them). */
export function slaDueDates(priority: Priority, from: Date): { responseDueAt: Date; resolutionDueAt: Date } {
  return dueDatesFor(defaultServiceLevels, priority, from);
}

/**
 * `met`: done within the target; `due`: not done, target still ahead; `breached`: target missed;
 * `paused`: not done, and the issue waits in a status that stops the clock (its due date will move later
 * when it stops waiting) — unless the target was already missed when the wait began, which stays `breached`
 * (a pause never turns a missed target into a met one).
 */
export type SlaState = "met" | "due" | "breached" | "paused";

export function slaStateOf(
  dueAt: Date | null,
  doneAt: Date | null,
  now: Date,
  pausedAt: Date | null = null,
): SlaState {
  if (!dueAt) return doneAt ? "met" : pausedAt ? "paused" : "due";
  if (doneAt) return doneAt.getTime() <= dueAt.getTime() ? "met" : "breached";
  if (pausedAt && pausedAt.getTime() <= dueAt.getTime()) return "paused";
  return now.getTime() <= dueAt.getTime() ? "due" : "breached";
}
