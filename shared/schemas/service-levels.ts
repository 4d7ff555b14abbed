/**
 * An organization's service levels (`projects.serviceLevels`): when its help desk works (time zone, working
 * days, hours, holidays) and, per priority, the response and resolution targets and whether they count
 * every minute ("always") or only working minutes ("business"). The server derives each issue's due dates
 * from it when the issue is filed or its priority changes; the client previews with the same functions.
 * This file holds the zod schemas (server, REST document, tests); the types, defaults and time arithmetic
 * are in ./service-time.ts (no zod) and re-exported here. See docs/projects/service-levels.md.
 */
import { z } from "zod";
import { priorities } from "./issue-model";
import {
  isTimeZone,
  minutesOfClock,
  type ServiceLevels,
  type ServiceTarget,
  serviceClocks,
  weekdays,
} from "./service-time";
import { singleLineText } from "./text";

export {
  addServiceTime,
  defaultServiceLevels,
  dueDatesFor,
  isTimeZone,
  minutesOfClock,
  noPause,
  normalizeServiceLevels,
  type PausedMinutes,
  type ServiceClock,
  type ServiceLevels,
  type ServiceTarget,
  serviceClocks,
  serviceMinutesBetween,
  type Weekday,
  weekdays,
  zonedInstant,
} from "./service-time";

/** The settings key the policy is stored under (tenant `settings` table). */
export const SERVICE_LEVELS_KEY = "projects.serviceLevels";

export const weekday = z.enum(weekdays);

export const serviceClock = z.enum(serviceClocks);

/** The longest target: 90 days of minutes. */
export const MAX_TARGET_MINUTES = 90 * 24 * 60;
/** Holidays a policy may list (two school years of breaks fit easily). */
export const MAX_HOLIDAYS = 200;
/** A business-clock target must be reachable within this many weeks of working time. */
const REACHABLE_WEEKS = 52;

export const timeZone = singleLineText({ min: 1, minMessage: "Choose a time zone.", max: 64 }).refine(
  isTimeZone,
  "Choose a time zone such as America/Chicago.",
);

/** "HH:MM", 24-hour. */
export const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use a time like 07:30 (24-hour).");
/** "HH:MM", 24-hour; "24:00" is the end of the day. */
export const clockTimeOrMidnight = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, "Use a time like 16:00 (24-hour), or 24:00.");

export const holiday = z.iso.date("Use a date like 2026-12-25.");

const targetMinutes = z
  .number("Give a number of minutes.")
  .int("Use whole minutes.")
  .min(1, "At least one minute.")
  .max(MAX_TARGET_MINUTES, `At most ${MAX_TARGET_MINUTES / 1440} days.`);

export const serviceTarget = z
  .object({
    /** Minutes from filing until the first response is due. */
    responseMinutes: targetMinutes,
    /** Minutes from filing until the resolution is due; not less than the response target. */
    resolutionMinutes: targetMinutes,
    clock: serviceClock.describe(
      "business: only working minutes of working, non-holiday days count; always: every minute counts",
    ),
  })
  .strict()
  .superRefine((target, ctx) => {
    if (target.resolutionMinutes < target.responseMinutes) {
      ctx.addIssue({
        code: "custom",
        path: ["resolutionMinutes"],
        message: "The resolution target cannot come before the response target.",
      });
    }
  }) satisfies z.ZodType<ServiceTarget>;

/** The policy: `GET /projects/service-levels` answers it, `PATCH` takes it whole. */
export const serviceLevels = z
  .object({
    /** The IANA time zone the working hours and holidays are in. */
    timeZone: timeZone.describe("IANA time zone of the working hours and holidays, e.g. America/Chicago"),
    /** At least one day of the week. */
    workingDays: z
      .array(weekday)
      .min(1, "Choose at least one working day.")
      .max(7)
      .refine((days) => new Set(days).size === days.length, "Name each day once."),
    /** When a working day starts, "HH:MM" local time. */
    dayStart: clockTime.describe("When a working day starts, HH:MM local time"),
    /** When a working day ends, "HH:MM" local time (after the start; "24:00" is midnight). */
    dayEnd: clockTimeOrMidnight.describe("When a working day ends, HH:MM local time (after the start)"),
    /** Days without working hours (local dates). */
    holidays: z
      .array(holiday.describe("A local date without working hours"))
      .max(MAX_HOLIDAYS, `At most ${MAX_HOLIDAYS} holidays.`)
      .refine((days) => new Set(days).size === days.length, "List each holiday once."),
    /** Targets by priority. */
    targets: z
      .object({
        critical: serviceTarget,
        high: serviceTarget,
        medium: serviceTarget,
        low: serviceTarget,
      })
      .strict(),
  })
  .strict()
  .superRefine((policy, ctx) => {
    // Checks across fields run on fields that are valid by themselves (their own errors are reported).
    if (!clockTime.safeParse(policy.dayStart).success) return;
    if (!clockTimeOrMidnight.safeParse(policy.dayEnd).success) return;
    const start = minutesOfClock(policy.dayStart);
    const end = minutesOfClock(policy.dayEnd);
    if (end <= start) {
      ctx.addIssue({ code: "custom", path: ["dayEnd"], message: "The day must end after it starts." });
      return;
    }
    // A business target must be reachable within a year of working time (this also bounds the search).
    const days = new Set(policy.workingDays.filter((day) => weekday.safeParse(day).success)).size;
    if (days === 0) return;
    const weekly = days * (end - start);
    for (const priority of priorities) {
      const target = policy.targets[priority];
      if (target.clock !== "business") continue;
      for (const field of ["responseMinutes", "resolutionMinutes"] as const) {
        if (target[field] > weekly * REACHABLE_WEEKS) {
          ctx.addIssue({
            code: "custom",
            path: ["targets", priority, field],
            message: "This is more than a year of working hours: shorten it or widen the working hours.",
          });
        }
      }
    }
  }) satisfies z.ZodType<ServiceLevels>;

/** projects.serviceLevels.update takes the whole policy. */
export const updateServiceLevelsInput = serviceLevels;
export type UpdateServiceLevelsInput = z.input<typeof updateServiceLevelsInput>;
