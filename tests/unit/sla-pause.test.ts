import { describe, expect, it } from "vitest";
import { issueTypes } from "../../shared/schemas/issue-model";
import {
  addServiceTime,
  dueDatesFor,
  type ServiceLevels,
  serviceMinutesBetween,
} from "../../shared/schemas/service-levels";
import { allowedTransitions, pausesClock, slaStateOf, workflows } from "../../shared/schemas/workflows";
import { issueRow } from "../../worker/packages/projects/issues/bulk-load";
import { clockOnTransition, issueDueDates } from "../../worker/packages/projects/issues/sla";

/** A school-hours help desk in Missouri: Mon–Fri 07:00–16:00 Central, Thanksgiving and Christmas off. */
const district: ServiceLevels = {
  timeZone: "America/Chicago",
  workingDays: ["mon", "tue", "wed", "thu", "fri"],
  dayStart: "07:00",
  dayEnd: "16:00",
  holidays: ["2026-11-26", "2026-11-27", "2026-12-25"],
  targets: {
    critical: { responseMinutes: 60, resolutionMinutes: 240, clock: "always" },
    high: { responseMinutes: 240, resolutionMinutes: 540, clock: "business" },
    medium: { responseMinutes: 540, resolutionMinutes: 1620, clock: "business" },
    low: { responseMinutes: 1620, resolutionMinutes: 5400, clock: "business" },
  },
};

const at = (iso: string) => new Date(iso);
const business = (from: string, to: string, policy = district) =>
  serviceMinutesBetween(policy, "business", at(from), at(to));
const always = (from: string, to: string) => serviceMinutesBetween(district, "always", at(from), at(to));

describe("service minutes between two instants", () => {
  it("count every minute on the always clock, weekends and holidays included", () => {
    expect(always("2026-03-13T16:30:00-05:00", "2026-03-16T06:30:00-05:00")).toBe(62 * 60);
    expect(always("2026-11-25T15:00:00-06:00", "2026-11-30T08:00:00-06:00")).toBe(4 * 24 * 60 + 17 * 60);
  });

  it("count the working minutes within one day and across the night", () => {
    expect(business("2026-03-03T09:00:00-06:00", "2026-03-03T11:00:00-06:00")).toBe(120);
    // One hour before closing, one after opening.
    expect(business("2026-03-03T15:00:00-06:00", "2026-03-04T08:00:00-06:00")).toBe(120);
    // Outside working hours only: nothing.
    expect(business("2026-03-03T16:00:00-06:00", "2026-03-04T07:00:00-06:00")).toBe(0);
  });

  it("do not count the weekend: a wait from Friday evening to Monday morning is no working time", () => {
    expect(business("2026-03-13T16:30:00-05:00", "2026-03-16T06:30:00-05:00")).toBe(0);
    expect(business("2026-03-14T09:00:00-05:00", "2026-03-15T15:00:00-05:00")).toBe(0);
    // Friday 15:30 to Monday 10:30: 30 minutes on Friday, 210 on Monday.
    expect(business("2026-03-13T15:30:00-05:00", "2026-03-16T10:30:00-05:00")).toBe(240);
  });

  it("do not count holidays", () => {
    // Wednesday before Thanksgiving 15:00 to Monday 08:00: Thursday and Friday are holidays.
    expect(business("2026-11-25T15:00:00-06:00", "2026-11-30T08:00:00-06:00")).toBe(120);
    expect(business("2026-12-25T08:00:00-06:00", "2026-12-25T15:00:00-06:00")).toBe(0);
  });

  it("keep the opening hour at 07:00 local time across the start and the end of summer time", () => {
    // Clocks go forward on Sunday 8 March 2026: Friday is UTC−6, Monday UTC−5.
    expect(business("2026-03-06T15:00:00-06:00", "2026-03-09T08:00:00-05:00")).toBe(120);
    expect(always("2026-03-06T15:00:00-06:00", "2026-03-09T08:00:00-05:00")).toBe(64 * 60);
    // Clocks go back on Sunday 1 November 2026: Friday is UTC−5, Monday UTC−6.
    expect(business("2026-10-30T15:00:00-05:00", "2026-11-02T08:00:00-06:00")).toBe(120);
    expect(always("2026-10-30T15:00:00-05:00", "2026-11-02T08:00:00-06:00")).toBe(66 * 60);
  });

  it("count the time that really elapses in a working window the clock change shortens or lengthens", () => {
    const night: ServiceLevels = {
      ...district,
      workingDays: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
      dayStart: "01:00",
      dayEnd: "04:00",
      holidays: [],
    };
    // 8 March: 01:00 CST to 04:00 CDT is two hours.
    expect(business("2026-03-08T00:00:00-06:00", "2026-03-08T12:00:00-05:00", night)).toBe(120);
    // 1 November: 01:00 CDT to 04:00 CST is four hours.
    expect(business("2026-11-01T00:00:00-05:00", "2026-11-01T12:00:00-06:00", night)).toBe(240);
  });

  it("keep fractions of a minute and are zero when the end is not after the start", () => {
    expect(business("2026-03-03T09:00:30-06:00", "2026-03-03T09:02:00-06:00")).toBe(1.5);
    expect(business("2026-03-03T09:00:00-06:00", "2026-03-03T09:00:00-06:00")).toBe(0);
    expect(business("2026-03-03T11:00:00-06:00", "2026-03-03T09:00:00-06:00")).toBe(0);
    expect(always("2026-03-03T11:00:00-06:00", "2026-03-03T09:00:00-06:00")).toBe(0);
  });

  it("undo addServiceTime: the service time from a filing to its due date is the target", () => {
    const froms = [
      "2026-03-06T15:00:00-06:00", // Friday before summer time starts
      "2026-03-14T11:00:00-05:00", // Saturday
      "2026-10-30T06:00:00-05:00", // Friday before summer time ends, before opening
      "2026-11-25T15:59:00-06:00", // the day before Thanksgiving, a minute before closing
      "2026-12-24T12:34:56-06:00", // Christmas Eve, with seconds
    ];
    for (const from of froms) {
      for (const minutes of [1, 59, 540, 541, 1620, 5400]) {
        for (const clock of ["business", "always"] as const) {
          const due = addServiceTime(district, clock, at(from), minutes);
          expect(serviceMinutesBetween(district, clock, at(from), due)).toBeCloseTo(minutes, 9);
        }
      }
    }
  });
});

describe("due dates with the clock stopped", () => {
  it("move the resolution target by the paused minutes of its own clock and leave the response target", () => {
    const filed = at("2026-03-16T09:00:00-05:00");
    const paused = { always: 3900, business: 120 };
    const plain = dueDatesFor(district, "high", filed);
    const moved = dueDatesFor(district, "high", filed, paused);
    expect(moved.responseDueAt).toEqual(plain.responseDueAt);
    // 540 + 120 working minutes from Monday 09:00: Tuesday 11:00.
    expect(moved.resolutionDueAt).toEqual(at("2026-03-17T11:00:00-05:00"));
    // Critical is on the always clock: 240 + 3900 minutes.
    expect(dueDatesFor(district, "critical", filed, paused).resolutionDueAt).toEqual(
      at("2026-03-19T06:00:00-05:00"),
    );
  });
});

describe("the statuses that stop the clock", () => {
  it("are on hold, waiting on the requester and awaiting parts; changes, known problems and analyses never stop it", () => {
    const pausing = issueTypes.flatMap((type) =>
      workflows[type].statuses.filter((s) => pausesClock(type, s.key)).map((s) => `${type}:${s.key}`),
    );
    expect(pausing.sort()).toEqual([
      "incident:on_hold",
      "repair:awaiting_parts",
      "service_request:waiting_on_requester",
    ]);
  });

  it("are open statuses reached only after the first response (so the response target never pauses)", () => {
    for (const type of issueTypes) {
      const workflow = workflows[type];
      expect(pausesClock(type, workflow.initial)).toBe(false);
      for (const status of workflow.statuses.filter((s) => s.pausesClock)) {
        expect(status.category).toBe("open");
      }
      // Every way out of a waiting status is allowed: the issue can always move on.
      for (const status of workflow.statuses.filter((s) => s.pausesClock)) {
        expect(allowedTransitions(type, status.key).length).toBeGreaterThan(0);
      }
    }
    expect(pausesClock("incident", "no_such_status")).toBe(false);
  });
});

describe("the SLA state of a target", () => {
  const due = at("2026-03-16T12:00:00-05:00");
  const later = at("2026-03-17T12:00:00-05:00");

  it("is paused while the issue waits, even past the due date, when the wait began in time", () => {
    expect(slaStateOf(due, null, later, at("2026-03-16T11:00:00-05:00"))).toBe("paused");
    expect(slaStateOf(due, null, later, due)).toBe("paused");
    expect(slaStateOf(null, null, later, due)).toBe("paused");
  });

  it("stays breached when the target was missed before the wait began", () => {
    expect(slaStateOf(due, null, later, at("2026-03-16T12:00:01-05:00"))).toBe("breached");
  });

  it("is met or breached once the target is done, whatever the clock", () => {
    expect(slaStateOf(due, at("2026-03-16T11:00:00-05:00"), later, due)).toBe("met");
    expect(slaStateOf(due, later, later, due)).toBe("breached");
  });

  it("is due or breached while the clock runs", () => {
    expect(slaStateOf(due, null, at("2026-03-16T11:00:00-05:00"), null)).toBe("due");
    expect(slaStateOf(due, null, later, null)).toBe("breached");
  });
});

describe("the clock on a transition", () => {
  const filed = at("2026-03-16T09:00:00-05:00");
  const request = () =>
    issueRow({
      number: 1,
      projectScope: "tenant",
      projectId: "p",
      type: "service_request",
      title: "Projector",
      priority: "high",
      status: "in_progress",
      createdAt: filed,
      respondedAt: at("2026-03-16T09:30:00-05:00"),
      ...dueDatesFor(district, "high", filed),
    });

  it("stops when the issue begins to wait, and records nothing but the status change", () => {
    const now = at("2026-03-16T10:00:00-05:00");
    expect(clockOnTransition(district, request(), "waiting_on_requester", now)).toEqual({
      set: { slaPausedAt: now },
      history: [],
    });
    expect(clockOnTransition(district, request(), "fulfilled", now)).toEqual({ set: {}, history: [] });
  });

  it("keeps the wait running from one waiting status to another", () => {
    const row = { ...request(), status: "waiting_on_requester", slaPausedAt: filed };
    // No workflow moves from one waiting status to another today; the rule holds for any two.
    const repair = { ...row, type: "repair" as const, status: "awaiting_parts" };
    expect(clockOnTransition(district, repair, "awaiting_parts", filed)).toEqual({ set: {}, history: [] });
  });

  it("runs again when the wait ends, adding the wait to both clocks and moving the resolution target on its own", () => {
    const row = {
      ...request(),
      status: "waiting_on_requester",
      slaPausedAt: at("2026-03-13T15:00:00-05:00"),
      slaPausedMinutes: 10,
      slaPausedBusinessMinutes: 10,
    };
    const now = at("2026-03-16T08:00:30-05:00");
    const { set, history } = clockOnTransition(district, row, "in_progress", now);
    // Friday 15:00 to Monday 08:00:30: 3900.5 minutes, 120.5 of them working (whole minutes kept).
    expect(set).toEqual({
      slaPausedAt: null,
      slaPausedMinutes: 10 + 3900,
      slaPausedBusinessMinutes: 10 + 120,
      resolutionDueAt: addServiceTime(district, "business", row.resolutionDueAt!, 120),
    });
    expect(history).toEqual([
      { field: "resolutionDueAt", before: row.resolutionDueAt, after: set.resolutionDueAt },
    ]);
    // The same as counting from filing with every wait added (the first wait had moved it by 10 already).
    const counted = issueDueDates(district, { ...row, ...set } as typeof row, "high").resolutionDueAt;
    expect(addServiceTime(district, "business", set.resolutionDueAt as Date, 10)).toEqual(counted);
  });
});
