import type { Priority } from "../../../../shared/schemas/issue-model";
import {
  addServiceTime,
  dueDatesFor,
  type PausedMinutes,
  type ServiceLevels,
  serviceMinutesBetween,
} from "../../../../shared/schemas/service-levels";
import { pausesClock } from "../../../../shared/schemas/workflows";
import type { IssueRow } from "./rows";
import type { HistoryEntry, IssueChange } from "./write";

type ClockColumns = Pick<IssueRow, "slaPausedMinutes" | "slaPausedBusinessMinutes">;

/** The minutes the issue's clock was stopped in waits that ended, on each clock. */
export const pausedMinutesOf = (row: ClockColumns): PausedMinutes => ({
  always: row.slaPausedMinutes,
  business: row.slaPausedBusinessMinutes,
});

/**
 * The response and resolution due dates of `row` at `priority` under `policy`: counted from filing, the
 * resolution target moved later by the waits that ended (a wait still running moves it when it ends).
 */
export function issueDueDates(
  policy: ServiceLevels,
  row: ClockColumns & Pick<IssueRow, "createdAt">,
  priority: Priority,
) {
  return dueDatesFor(policy, priority, row.createdAt, pausedMinutesOf(row));
}

/**
 * What moving `row` to `to` at `now` does to its service-level clock (docs/projects/service-levels.md, "Pauses"):
 * - entering a status that stops the clock from one that runs it stops it (`slaPausedAt = now`);
 * - leaving such a status for one that runs the clock — resolving or closing included — ends the wait:
 *   its length is added to the paused minutes on both clocks (whole minutes), the clock runs again, and
 *   a resolution target not yet met moves later by the wait's service time on its own clock (the same as
 *   counting from filing with the paused minutes added, without moving the rest of a promise made under
 *   an earlier policy); the new due date is recorded in the history, like any due date change;
 * - moving between two statuses that stop the clock keeps the wait running.
 * The wait itself leaves no history of its own: the status change that caused it is the record.
 */
export function clockOnTransition(
  policy: ServiceLevels,
  row: IssueRow,
  to: string,
  now: Date,
): Pick<IssueChange, "set" | "history"> {
  const set: IssueChange["set"] = {};
  const history: HistoryEntry[] = [];
  const waits = pausesClock(row.type, to);
  if (!row.slaPausedAt) {
    if (waits) set.slaPausedAt = now;
    return { set, history };
  }
  if (waits) return { set, history };
  const from = row.slaPausedAt;
  const waited: PausedMinutes = {
    always: Math.floor(serviceMinutesBetween(policy, "always", from, now)),
    business: Math.floor(serviceMinutesBetween(policy, "business", from, now)),
  };
  set.slaPausedAt = null;
  set.slaPausedMinutes = row.slaPausedMinutes + waited.always;
  set.slaPausedBusinessMinutes = row.slaPausedBusinessMinutes + waited.business;
  if (!row.resolvedAt && row.resolutionDueAt) {
    const clock = policy.targets[row.priority].clock;
    const due = addServiceTime(policy, clock, row.resolutionDueAt, waited[clock]);
    if (due.getTime() !== row.resolutionDueAt.getTime()) {
      set.resolutionDueAt = due;
      history.push({ field: "resolutionDueAt", before: row.resolutionDueAt, after: due });
    }
  }
  return { set, history };
}
