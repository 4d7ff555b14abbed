/**
 * Service time: the arithmetic of an organization's service levels (see ./service-levels.ts for the policy's
 * schema) — due dates under a business or an always clock, in the policy's time zone, with the platform's
 * `Intl` (full ICU in workerd, Node and browsers). Free of zod, so the issue screens that use the defaults
 * (through ./workflows.ts) and the service levels screen's preview stay small. See
 * docs/projects/service-levels.md (and ADR 0015 for why).
 */
import type { Priority } from "./issue-model";

export const weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof weekdays)[number];

/** `business`: only working minutes of working, non-holiday days count; `always`: every minute counts. */
export const serviceClocks = ["business", "always"] as const;
export type ServiceClock = (typeof serviceClocks)[number];

export interface ServiceTarget {
  /** Minutes from filing until the first response is due. */
  responseMinutes: number;
  /** Minutes from filing until the resolution is due; not less than the response target. */
  resolutionMinutes: number;
  clock: ServiceClock;
}

/** An organization's service levels (`projects.serviceLevels`; checked by `serviceLevels` in ./service-levels.ts). */
export interface ServiceLevels {
  /** The IANA time zone the working hours and holidays are in. */
  timeZone: string;
  workingDays: Weekday[];
  /** "HH:MM" local time. */
  dayStart: string;
  /** "HH:MM" local time, after the start; "24:00" is midnight at the end of the day. */
  dayEnd: string;
  /** Local dates (YYYY-MM-DD) without working hours. */
  holidays: string[];
  targets: Record<Priority, ServiceTarget>;
}

/** Whether the platform knows `name` as a time zone (IANA names such as America/Chicago, or UTC). */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Minutes after midnight of "HH:MM" (or "24:00"). */
export function minutesOfClock(time: string): number {
  const [h, m] = time.split(":");
  return Number(h) * 60 + Number(m);
}

/**
 * The defaults, for an organization that never set its service levels: the calendar-time targets issues
 * always had (critical 1 h / 4 h, high 4 h / 1 day, medium 1 day / 3 days, low 3 days / 10 days), every
 * minute counting. The hours only matter once a priority uses the business clock.
 */
export const defaultServiceLevels: ServiceLevels = {
  timeZone: "America/Chicago",
  workingDays: ["mon", "tue", "wed", "thu", "fri"],
  dayStart: "08:00",
  dayEnd: "17:00",
  holidays: [],
  targets: {
    critical: { responseMinutes: 60, resolutionMinutes: 4 * 60, clock: "always" },
    high: { responseMinutes: 4 * 60, resolutionMinutes: 24 * 60, clock: "always" },
    medium: { responseMinutes: 24 * 60, resolutionMinutes: 3 * 24 * 60, clock: "always" },
    low: { responseMinutes: 3 * 24 * 60, resolutionMinutes: 10 * 24 * 60, clock: "always" },
  },
};

/** The same policy in one spelling: working days in week order, holidays sorted. */
export function normalizeServiceLevels(policy: ServiceLevels): ServiceLevels {
  return {
    timeZone: policy.timeZone,
    workingDays: weekdays.filter((day) => policy.workingDays.includes(day)),
    dayStart: policy.dayStart,
    dayEnd: policy.dayEnd,
    holidays: [...policy.holidays].sort(),
    targets: {
      critical: { ...policy.targets.critical },
      high: { ...policy.targets.high },
      medium: { ...policy.targets.medium },
      low: { ...policy.targets.low },
    },
  };
}

// ——— Time-zone arithmetic ————————————————————————————————————————————————————————————————————

const MINUTE = 60_000;
const DAY = 86_400_000;
/** The search for a due date gives up after this many calendar days (policies are validated far below). */
const MAX_DAYS = 3700;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** The wall-clock time at `instant` in `zone`, as milliseconds of a UTC calendar (seconds precision). */
function wallClockMs(instant: number, zone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterOf(zone).formatToParts(new Date(instant))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour! % 24, parts.minute!, parts.second!);
}

/** The zone's offset from UTC at `instant`, in milliseconds (Chicago in winter: -6 h). */
function offsetAt(instant: number, zone: string): number {
  const whole = instant - (((instant % 1000) + 1000) % 1000);
  return wallClockMs(whole, zone) - whole;
}

/** The local calendar day of `instant` in `zone`, as days since 1970-01-01. */
function localDayOf(instant: number, zone: string): number {
  return Math.floor(wallClockMs(instant, zone) / DAY);
}

/**
 * The instant the wall clocks of `zone` show `minute` minutes after midnight of local day `day`. A time
 * skipped by a change to summer time is read with the offset before the change (so 02:30 on the morning
 * clocks go forward from 02:00 to 03:00 is 03:30); a time that happens twice is the first one.
 */
export function zonedInstant(day: number, minute: number, zone: string): number {
  const wall = day * DAY + minute * MINUTE;
  const before = offsetAt(wall - DAY, zone);
  const after = offsetAt(wall + DAY, zone);
  const candidates = [wall - before, wall - after].filter((t) => wallClockMs(t, zone) === wall);
  if (candidates.length > 0) return Math.min(...candidates);
  return wall - before;
}

const weekdayOfDay = (day: number): Weekday => weekdays[(((day + 3) % 7) + 7) % 7]!;
const isoDayOf = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

/**
 * `from` plus `minutes` of service time on `clock`. `always`: every minute. `business`: only minutes
 * inside the working hours of working days that are not holidays, in the policy's time zone; time is
 * counted as it elapses (a window that a clock change shortens is shorter). Filed outside working hours,
 * the clock starts at the next opening; a target that ends exactly at closing time is due at closing time.
 */
export function addServiceTime(
  policy: ServiceLevels,
  clock: ServiceClock,
  from: Date,
  minutes: number,
): Date {
  if (clock === "always" || minutes <= 0) return new Date(from.getTime() + Math.max(0, minutes) * MINUTE);
  const zone = policy.timeZone;
  const open = minutesOfClock(policy.dayStart);
  const close = minutesOfClock(policy.dayEnd);
  const working = new Set<Weekday>(policy.workingDays);
  const holidays = new Set(policy.holidays);
  const cursor = from.getTime();
  let remaining = minutes * MINUTE;
  let day = localDayOf(cursor, zone);
  for (let i = 0; i < MAX_DAYS; i++, day++) {
    if (!working.has(weekdayOfDay(day)) || holidays.has(isoDayOf(day))) continue;
    const end = zonedInstant(day, close, zone);
    const begin = Math.max(zonedInstant(day, open, zone), cursor);
    if (begin >= end) continue;
    if (remaining <= end - begin) return new Date(begin + remaining);
    remaining -= end - begin;
  }
  throw new Error(`No due date within ${MAX_DAYS} days: the service levels leave too little working time.`);
}

/**
 * The service time between `from` and `to` on `clock`, in minutes (fractions kept; 0 when `to` is not
 * after `from`): `always` counts every minute; `business` only the minutes inside working hours of working,
 * non-holiday days, in the policy's time zone, as they elapse (a window a clock change shortens counts
 * less). The inverse of addServiceTime: `addServiceTime(policy, clock, from, serviceMinutesBetween(policy,
 * clock, from, to))` is `to` whenever `to` is in working time (or at a closing time).
 */
export function serviceMinutesBetween(
  policy: ServiceLevels,
  clock: ServiceClock,
  from: Date,
  to: Date,
): number {
  const start = from.getTime();
  const end = to.getTime();
  if (end <= start) return 0;
  if (clock === "always") return (end - start) / MINUTE;
  const zone = policy.timeZone;
  const open = minutesOfClock(policy.dayStart);
  const close = minutesOfClock(policy.dayEnd);
  const working = new Set<Weekday>(policy.workingDays);
  const holidays = new Set(policy.holidays);
  const last = localDayOf(end, zone);
  let total = 0;
  for (let day = localDayOf(start, zone); day <= last; day++) {
    if (!working.has(weekdayOfDay(day)) || holidays.has(isoDayOf(day))) continue;
    const begin = Math.max(zonedInstant(day, open, zone), start);
    const finish = Math.min(zonedInstant(day, close, zone), end);
    if (finish > begin) total += finish - begin;
  }
  return total / MINUTE;
}

/**
 * How long an issue's clock has been stopped so far (waiting in statuses that pause it), in whole minutes
 * on each clock: `always` (every minute) and `business` (working minutes under the policy in force while
 * it waited). Both are kept because a priority change may move an issue onto the other clock.
 */
export interface PausedMinutes {
  always: number;
  business: number;
}

export const noPause: PausedMinutes = { always: 0, business: 0 };

/**
 * The response and resolution due dates of an issue of `priority` filed at `from`, whose clock has been
 * stopped for `paused` so far. The paused time moves only the resolution target: an issue can only wait
 * after it left its first status, which meets the response target (no workflow's initial status pauses).
 */
export function dueDatesFor(
  policy: ServiceLevels,
  priority: Priority,
  from: Date,
  paused: PausedMinutes = noPause,
): { responseDueAt: Date; resolutionDueAt: Date } {
  const target = policy.targets[priority];
  return {
    responseDueAt: addServiceTime(policy, target.clock, from, target.responseMinutes),
    resolutionDueAt: addServiceTime(
      policy,
      target.clock,
      from,
      target.resolutionMinutes + paused[target.clock],
    ),
  };
}
