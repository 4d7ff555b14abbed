import { describe, expect, it } from "vitest";
import {
  addServiceTime,
  defaultServiceLevels,
  dueDatesFor,
  normalizeServiceLevels,
  type ServiceLevels,
  serviceLevels,
  zonedInstant,
} from "../../shared/schemas/service-levels";
import { slaDueDates, slaTargets } from "../../shared/schemas/workflows";

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
const business = (from: string, minutes: number, policy = district) =>
  addServiceTime(policy, "business", at(from), minutes).toISOString();
const utc = (iso: string) => at(iso).toISOString();

describe("business-hours service time", () => {
  it("counts minutes within one working day", () => {
    // Tuesday 3 March 2026, 09:00 CST.
    expect(business("2026-03-03T09:00:00-06:00", 120)).toBe(utc("2026-03-03T11:00:00-06:00"));
  });

  it("carries what is left over the night into the next morning", () => {
    expect(business("2026-03-03T15:00:00-06:00", 120)).toBe(utc("2026-03-04T08:00:00-06:00"));
  });

  it("does not count the weekend: a high issue filed Friday 15:30 is due for a response Monday", () => {
    // Friday 13 March 2026 (summer time): 30 minutes on Friday, 210 on Monday from 07:00.
    expect(business("2026-03-13T15:30:00-05:00", 240)).toBe(utc("2026-03-16T10:30:00-05:00"));
    const due = dueDatesFor(district, "high", at("2026-03-13T15:30:00-05:00"));
    expect(due.responseDueAt.toISOString()).toBe(utc("2026-03-16T10:30:00-05:00"));
    // 540 working minutes: 30 on Friday, the whole of Monday (540) would overshoot: Monday 15:30.
    expect(due.resolutionDueAt.toISOString()).toBe(utc("2026-03-16T15:30:00-05:00"));
  });

  it("skips holidays as well as weekends", () => {
    // Wednesday before Thanksgiving 15:00: one hour on Wednesday; Thursday and Friday are holidays.
    expect(business("2026-11-25T15:00:00-06:00", 120)).toBe(utc("2026-11-30T08:00:00-06:00"));
    // Filed on a holiday: the clock starts on the next working day.
    expect(business("2026-12-25T10:00:00-06:00", 30)).toBe(utc("2026-12-28T07:30:00-06:00"));
  });

  it("keeps the opening hour at 07:00 local time across the start of summer time in Chicago", () => {
    // Clocks go forward on Sunday 8 March 2026: Friday is UTC−6, Monday UTC−5.
    expect(business("2026-03-06T15:00:00-06:00", 120)).toBe("2026-03-09T13:00:00.000Z");
  });

  it("keeps the opening hour at 07:00 local time across the end of summer time in Chicago", () => {
    // Clocks go back on Sunday 1 November 2026: Friday is UTC−5, Monday UTC−6.
    expect(business("2026-10-30T15:00:00-05:00", 120)).toBe("2026-11-02T14:00:00.000Z");
  });

  it("counts the time that really elapses in a working window the clock change shortens or lengthens", () => {
    const night: ServiceLevels = {
      ...district,
      workingDays: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
      dayStart: "01:00",
      dayEnd: "04:00",
      holidays: [],
    };
    // 8 March: 01:00 CST to 04:00 CDT is two hours; the last 30 minutes fall on 9 March from 01:00 CDT.
    expect(business("2026-03-08T01:00:00-06:00", 150, night)).toBe("2026-03-09T06:30:00.000Z");
    // 1 November: 01:00 CDT to 04:00 CST is four hours; 210 minutes end at 03:30 CST.
    expect(business("2026-11-01T01:00:00-05:00", 210, night)).toBe("2026-11-01T09:30:00.000Z");
  });

  it("equals the always clock across summer time when every minute of every day is working time", () => {
    const roundTheClock: ServiceLevels = {
      ...district,
      workingDays: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
      dayStart: "00:00",
      dayEnd: "24:00",
      holidays: [],
    };
    for (const from of ["2026-03-07T12:00:00-06:00", "2026-10-31T12:00:00-05:00"]) {
      for (const minutes of [1, 60, 24 * 60, 3 * 24 * 60 + 7]) {
        expect(business(from, minutes, roundTheClock)).toBe(
          addServiceTime(roundTheClock, "always", at(from), minutes).toISOString(),
        );
      }
    }
  });

  it("reads wall-clock times the clock change skips or repeats as Temporal's compatible mode does", () => {
    const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
    // 02:30 never happens on 8 March 2026 in Chicago: it is read as 03:30 CDT.
    expect(new Date(zonedInstant(day("2026-03-08"), 150, "America/Chicago")).toISOString()).toBe(
      "2026-03-08T08:30:00.000Z",
    );
    // 01:30 happens twice on 1 November 2026: the first (CDT) is taken.
    expect(new Date(zonedInstant(day("2026-11-01"), 90, "America/Chicago")).toISOString()).toBe(
      "2026-11-01T06:30:00.000Z",
    );
    expect(new Date(zonedInstant(day("2026-07-01"), 7 * 60, "America/Chicago")).toISOString()).toBe(
      "2026-07-01T12:00:00.000Z",
    );
  });

  it("works in other time zones and hemispheres", () => {
    const berlin: ServiceLevels = {
      ...district,
      timeZone: "Europe/Berlin",
      dayStart: "08:00",
      dayEnd: "17:00",
    };
    // Summer time starts in Europe on Sunday 29 March 2026.
    expect(business("2026-03-27T16:00:00+01:00", 120, berlin)).toBe(utc("2026-03-30T09:00:00+02:00"));
    const sydney: ServiceLevels = { ...district, timeZone: "Australia/Sydney", holidays: [] };
    // Summer time starts in Sydney on Sunday 4 October 2026 (UTC+10 → UTC+11).
    expect(business("2026-10-02T15:00:00+10:00", 120, sydney)).toBe(utc("2026-10-05T08:00:00+11:00"));
  });

  it("is due at closing time when the target ends exactly at the end of the day", () => {
    expect(business("2026-03-03T15:00:00-06:00", 60)).toBe(utc("2026-03-03T16:00:00-06:00"));
    expect(business("2026-03-03T07:00:00-06:00", 540)).toBe(utc("2026-03-03T16:00:00-06:00"));
    // Filed at closing time: nothing is left of the day.
    expect(business("2026-03-03T16:00:00-06:00", 1)).toBe(utc("2026-03-04T07:01:00-06:00"));
  });

  it("starts the clock at the next opening for issues filed outside working hours", () => {
    expect(business("2026-03-03T05:00:00-06:00", 30)).toBe(utc("2026-03-03T07:30:00-06:00"));
    expect(business("2026-03-03T18:00:00-06:00", 30)).toBe(utc("2026-03-04T07:30:00-06:00"));
    expect(business("2026-03-14T11:00:00-05:00", 30)).toBe(utc("2026-03-16T07:30:00-05:00"));
  });

  it("keeps seconds of the filing time and adds nothing for zero minutes", () => {
    expect(business("2026-03-03T09:00:42.5-06:00", 1)).toBe(utc("2026-03-03T09:01:42.5-06:00"));
    expect(business("2026-03-07T09:00:00-06:00", 0)).toBe(utc("2026-03-07T09:00:00-06:00"));
  });
});

describe("the always clock", () => {
  it("counts every minute, whatever the hours, weekends and holidays", () => {
    const from = at("2026-11-25T15:30:00-06:00");
    expect(addServiceTime(district, "always", from, 240).toISOString()).toBe(
      utc("2026-11-25T19:30:00-06:00"),
    );
    expect(dueDatesFor(district, "critical", from)).toEqual({
      responseDueAt: at("2026-11-25T16:30:00-06:00"),
      resolutionDueAt: at("2026-11-25T19:30:00-06:00"),
    });
  });
});

describe("the default service levels", () => {
  it("keep the calendar-time targets issues always had", () => {
    const from = at("2026-03-06T15:00:00-06:00");
    const hour = 3_600_000;
    const expected = {
      critical: [1 * hour, 4 * hour],
      high: [4 * hour, 24 * hour],
      medium: [24 * hour, 72 * hour],
      low: [72 * hour, 240 * hour],
    } as const;
    for (const [priority, [response, resolution]] of Object.entries(expected)) {
      const p = priority as keyof typeof expected;
      expect(slaTargets[p]).toEqual({ responseMs: response, resolutionMs: resolution });
      expect(slaDueDates(p, from)).toEqual({
        responseDueAt: new Date(from.getTime() + response),
        resolutionDueAt: new Date(from.getTime() + resolution),
      });
      expect(dueDatesFor(defaultServiceLevels, p, from)).toEqual(slaDueDates(p, from));
    }
  });

  it("are a valid policy", () => {
    expect(serviceLevels.parse(defaultServiceLevels)).toEqual(defaultServiceLevels);
  });
});

describe("the service levels schema", () => {
  const pathsOf = (value: unknown) => {
    const result = serviceLevels.safeParse(value);
    expect(result.success).toBe(false);
    return result.error!.issues.map((i) => i.path.join("."));
  };

  it("accepts a district's policy and normalises its order", () => {
    const parsed = serviceLevels.parse({
      ...district,
      workingDays: ["fri", "mon", "wed"],
      holidays: ["2026-12-25", "2026-11-26"],
    });
    expect(normalizeServiceLevels(parsed)).toMatchObject({
      workingDays: ["mon", "wed", "fri"],
      holidays: ["2026-11-26", "2026-12-25"],
    });
  });

  it("refuses unknown time zones, empty or repeated days, and hours that end before they start", () => {
    expect(pathsOf({ ...district, timeZone: "Mars/Olympus_Mons" })).toEqual(["timeZone"]);
    expect(pathsOf({ ...district, timeZone: "+05:00" })).toEqual(["timeZone"]);
    expect(pathsOf({ ...district, workingDays: [] })).toEqual(["workingDays"]);
    expect(pathsOf({ ...district, workingDays: ["mon", "mon"] })).toEqual(["workingDays"]);
    expect(pathsOf({ ...district, workingDays: ["monday"] })).toEqual(["workingDays.0"]);
    expect(pathsOf({ ...district, dayEnd: "07:00" })).toEqual(["dayEnd"]);
    expect(pathsOf({ ...district, dayStart: "7:00" })).toEqual(["dayStart"]);
    expect(pathsOf({ ...district, dayStart: "24:00" })).toEqual(["dayStart"]);
    expect(pathsOf({ ...district, dayEnd: "24:01" })).toEqual(["dayEnd"]);
  });

  it("refuses dates that do not exist, repeated holidays and too many of them", () => {
    expect(pathsOf({ ...district, holidays: ["2026-02-30"] })).toEqual(["holidays.0"]);
    expect(pathsOf({ ...district, holidays: ["25/12/2026"] })).toEqual(["holidays.0"]);
    expect(pathsOf({ ...district, holidays: ["2026-12-25", "2026-12-25"] })).toEqual(["holidays"]);
    const many = Array.from({ length: 201 }, (_, i) =>
      new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10),
    );
    expect(pathsOf({ ...district, holidays: many })).toEqual(["holidays"]);
  });

  it("refuses targets that are not whole minutes in range, resolution before response, and unknown fields", () => {
    const target = (t: object) => ({ ...district, targets: { ...district.targets, high: t } });
    expect(pathsOf(target({ responseMinutes: 0, resolutionMinutes: 60, clock: "business" }))).toEqual([
      "targets.high.responseMinutes",
    ]);
    expect(pathsOf(target({ responseMinutes: 1.5, resolutionMinutes: 60, clock: "business" }))).toEqual([
      "targets.high.responseMinutes",
    ]);
    expect(pathsOf(target({ responseMinutes: 60, resolutionMinutes: 130_000, clock: "always" }))).toEqual([
      "targets.high.resolutionMinutes",
    ]);
    expect(pathsOf(target({ responseMinutes: 120, resolutionMinutes: 60, clock: "business" }))).toEqual([
      "targets.high.resolutionMinutes",
    ]);
    expect(pathsOf(target({ responseMinutes: 60, resolutionMinutes: 120, clock: "weekdays" }))).toEqual([
      "targets.high.clock",
    ]);
    expect(pathsOf({ ...district, targets: { ...district.targets, urgent: district.targets.high } })).toEqual(
      ["targets"],
    );
    const { low: _low, ...three } = district.targets;
    expect(pathsOf({ ...district, targets: three })).toEqual(["targets.low"]);
    expect(pathsOf({ ...district, sla: true })).toEqual([""]);
  });

  it("refuses business targets longer than a year of working time", () => {
    const sparse = { ...district, workingDays: ["sun"], dayStart: "07:00", dayEnd: "07:15" };
    // 52 weeks × 15 minutes = 780 minutes.
    expect(pathsOf(sparse)).toEqual([
      "targets.medium.resolutionMinutes",
      "targets.low.responseMinutes",
      "targets.low.resolutionMinutes",
    ]);
    const reachable = {
      ...sparse,
      targets: {
        ...district.targets,
        medium: { ...district.targets.medium, clock: "always" },
        low: { responseMinutes: 780, resolutionMinutes: 780, clock: "business" },
      },
    };
    const policy = serviceLevels.parse(reachable);
    // The longest allowed target on the sparsest calendar is still found: 52 Sundays later.
    expect(addServiceTime(policy, "business", at("2026-01-04T07:00:00-06:00"), 780).toISOString()).toBe(
      utc("2026-12-27T07:15:00-06:00"),
    );
  });
});
