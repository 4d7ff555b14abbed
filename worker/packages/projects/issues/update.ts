import type { ServiceContext } from "../../../../db/context";
import { AppError } from "../../../../shared/errors";
import type { Priority } from "../../../../shared/schemas/issue-model";
import { type Issue, type UpdateIssueInput, updateIssueInput } from "../../../../shared/schemas/issues";
import { type Level, priorityOf } from "../../../../shared/schemas/workflows";
import { assertActiveMember, assertCategory, assertGroup, assertOpenSchool } from "../references";
import { loadServiceLevels } from "../service-levels/load";
import { answersOnUpdate } from "./answers";
import { normalizeTags } from "./create";
import { checkDetails, parseDetails } from "./details";
import { getIssue, projectOfIssue } from "./get";
import { type IssueRow, loadChangeableIssue } from "./rows";
import { syncSharedIndex } from "./shared-index";
import { issueDueDates } from "./sla";
import { applyIssueChange, type HistoryEntry, type IssueChange } from "./write";

type Input = ReturnType<typeof updateIssueInput.parse>;

const badField = (field: string, message: string) =>
  new AppError("BAD_REQUEST", message, { fieldErrors: { [field]: [message] } });

const norm = (v: unknown) => (v instanceof Date ? v.getTime() : (v ?? null));
const same = (a: unknown, b: unknown) => JSON.stringify(norm(a)) === JSON.stringify(norm(b));

/** One history entry per key that differs between two objects, as `<field>.<key>` (e.g. "details.risk"). */
function keyChanges(
  field: string,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): HistoryEntry[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter((key) => !same(before[key], after[key]))
    .map((key) => ({ field: `${field}.${key}`, before: before[key] ?? null, after: after[key] ?? null }));
}

/**
 * What an update would change on `row`: every field that differs, with its history entry (details and
 * answers one entry per changed key, e.g. "details.risk", "answers.room"), and checked references. Throws
 * for invalid input.
 */
export async function planUpdate(ctx: ServiceContext, row: IssueRow, input: Input): Promise<IssueChange> {
  const set: IssueChange["set"] = {};
  const history: HistoryEntry[] = [];
  const change = <K extends keyof IssueRow>(field: K, value: IssueRow[K]) => {
    if (same(row[field], value)) return;
    (set as Record<string, unknown>)[field] = value;
    history.push({ field, before: row[field], after: value });
  };

  if (input.title !== undefined) change("title", input.title);
  if (input.description !== undefined) change("description", input.description || null);

  let priority: Priority = row.priority;
  if (row.type === "incident") {
    if (input.priority !== undefined) {
      throw badField(
        "priority",
        "An incident's priority follows its impact and urgency: change those instead.",
      );
    }
    if (input.impact !== undefined || input.urgency !== undefined) {
      const impact = (input.impact ?? row.impact ?? "medium") as Level;
      const urgency = (input.urgency ?? row.urgency ?? "medium") as Level;
      change("impact", impact);
      change("urgency", urgency);
      priority = priorityOf(impact, urgency);
    }
  } else {
    if (input.impact !== undefined || input.urgency !== undefined) {
      throw badField(
        input.impact !== undefined ? "impact" : "urgency",
        "Only incidents have impact and urgency: set the priority.",
      );
    }
    if (input.priority !== undefined) priority = input.priority;
  }
  if (priority !== row.priority) {
    change("priority", priority);
    // Counted from filing under the policy in force, plus the waits that ended (a running one moves the
    // resolution target when it ends).
    const due = issueDueDates(await loadServiceLevels(ctx.db, ctx.log), row, priority);
    change("responseDueAt", due.responseDueAt);
    change("resolutionDueAt", due.resolutionDueAt);
  }

  const tenantId = ctx.tenant.id;
  if (input.assigneeUserId !== undefined && input.assigneeUserId !== row.assigneeUserId) {
    if (input.assigneeUserId)
      await assertActiveMember(ctx.control, tenantId, input.assigneeUserId, "assigneeUserId");
    change("assigneeUserId", input.assigneeUserId ?? null);
  }
  if (input.assigneeGroupId !== undefined && input.assigneeGroupId !== row.assigneeGroupId) {
    if (input.assigneeGroupId) await assertGroup(ctx.db, input.assigneeGroupId, "assigneeGroupId");
    change("assigneeGroupId", input.assigneeGroupId ?? null);
  }
  if (input.requesterId !== undefined && input.requesterId !== row.requesterId) {
    if (input.requesterId) await assertActiveMember(ctx.control, tenantId, input.requesterId, "requesterId");
    change("requesterId", input.requesterId ?? null);
  }
  if (input.categoryId !== undefined && input.categoryId !== row.categoryId) {
    if (input.categoryId) await assertCategory(ctx.db, input.categoryId, "categoryId");
    change("categoryId", input.categoryId ?? null);
  }
  // Only a newly chosen school must be open: an issue at a school that closed since keeps it.
  if (input.schoolId !== undefined && input.schoolId !== row.schoolId) {
    if (input.schoolId) await assertOpenSchool(ctx.db, input.schoolId, "schoolId");
    change("schoolId", input.schoolId ?? null);
  }
  const answered = await answersOnUpdate(ctx.db, row, input);
  if (answered) {
    change("requestTypeId", answered.requestTypeId);
    if (!same(answered.answers, row.answers)) {
      set.answers = answered.answers;
      history.push(...keyChanges("answers", row.answers, answered.answers));
    }
  }
  if (input.tags !== undefined) change("tags", normalizeTags(input.tags));
  if (input.dueAt !== undefined) change("dueAt", input.dueAt ? new Date(input.dueAt) : null);

  if (input.details !== undefined) {
    const details = await checkDetails(ctx, row.type, parseDetails(row.type, input.details), row.details);
    if (!same(details, row.details)) {
      set.details = details;
      history.push(...keyChanges("details", row.details, details));
    }
  }
  return { set, history, action: "issue.updated" };
}

/**
 * Changes fields of an issue read at `input.version`. A stale version answers CONFLICT (reason
 * stale_version) and writes nothing — also when another writer wins between the read and the write. An
 * update that changes nothing writes nothing and keeps the version.
 */
export async function updateIssue(ctx: ServiceContext, raw: UpdateIssueInput): Promise<Issue> {
  const input = updateIssueInput.parse(raw);
  const row = await loadChangeableIssue(ctx.db, input.id, input.version);
  const change = await planUpdate(ctx, row, input);
  if (change.history.length === 0) return getIssue(ctx, row.id);
  const project = await projectOfIssue(ctx, row);
  const next = await applyIssueChange(ctx, row, project, change);
  await syncSharedIndex(ctx, [{ kind: "upsert", row: next, project }]);
  return getIssue(ctx, row.id);
}
