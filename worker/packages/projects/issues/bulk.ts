import { inArray } from "drizzle-orm";
import type { ServiceContext } from "../../../../db/context";
import { issues } from "../../../../db/tenant/schema";
import { AppError } from "../../../../shared/errors";
import {
  type BulkAssignInput,
  type BulkItemResult,
  type BulkTransitionInput,
  bulkAssignInput,
  bulkCloseInput,
  bulkTransitionInput,
} from "../../../../shared/schemas/issues";
import { workflows } from "../../../../shared/schemas/workflows";
import { holdMail } from "../../../email/notification-mail";
import { describeError } from "../../../log";
import { projectRefsOf, refKey, unknownProject } from "../projects/views";
import { assertActiveMember, assertGroup } from "../references";
import { loadServiceLevels } from "../service-levels/load";
import { assertChangeable, type IssueRow, issueNotFound } from "./rows";
import { type SharedIndexChange, syncSharedIndex } from "./shared-index";
import { planTransition } from "./transition";
import { applyIssueChange, type HistoryEntry, type IssueChange } from "./write";

const BULK_CODES = new Set(["NOT_FOUND", "CONFLICT", "BAD_REQUEST", "FORBIDDEN"]);

/**
 * Applies `plan` to each issue named, one at a time: each change is written whole — the versioned update,
 * its history, search document and audit entry in one batch — or not at all, and reported per id in the
 * order given (an id given twice is done once). `plan` returns null when there is nothing to change. The
 * emails of all the changes go after the last one: one per person, listing their issues.
 */
async function runBulk(
  whole: ServiceContext,
  ids: readonly string[],
  plan: (row: IssueRow, now: Date) => IssueChange | null,
) {
  const held = holdMail(whole.mail);
  const ctx: ServiceContext = { ...whole, mail: held.mail };
  const unique = [...new Set(ids)];
  const rows = await ctx.db.select().from(issues).where(inArray(issues.id, unique));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const refs = await projectRefsOf(
    ctx.db,
    ctx.control,
    rows.map((r) => ({ scope: r.projectScope, id: r.projectId })),
  );
  const outcomes = new Map<string, BulkItemResult>();
  const indexChanges: SharedIndexChange[] = [];
  for (const id of unique) {
    try {
      const row = byId.get(id);
      if (!row) throw issueNotFound();
      assertChangeable(row);
      const now = new Date();
      const change = plan(row, now);
      if (!change || change.history.length === 0) {
        outcomes.set(id, { index: 0, ok: true, changed: false, version: row.version });
        continue;
      }
      const project =
        refs.get(refKey(row.projectScope, row.projectId)) ?? unknownProject(row.projectScope, row.projectId);
      const next = await applyIssueChange(ctx, row, project, change, now);
      indexChanges.push({ kind: "upsert", row: next, project });
      outcomes.set(id, { index: 0, ok: true, changed: true, version: next.version });
    } catch (error) {
      if (error instanceof AppError && BULK_CODES.has(error.code)) {
        outcomes.set(id, {
          index: 0,
          ok: false,
          code: error.code as "NOT_FOUND",
          reason: error.details.reason ?? null,
          error: error.userMessage,
        });
      } else {
        ctx.log.warn("bulk issue change failed", { issueId: id, ...describeError(error) });
        outcomes.set(id, {
          index: 0,
          ok: false,
          code: "INTERNAL",
          reason: null,
          error: "This change could not be made. Try it again.",
        });
      }
    }
  }
  const seen = new Set<string>();
  const results = ids.map((id, index): BulkItemResult => {
    const outcome = outcomes.get(id)!;
    const repeat = seen.has(id);
    seen.add(id);
    return repeat && outcome.ok ? { ...outcome, index, changed: false } : { ...outcome, index };
  });
  await syncSharedIndex(ctx, indexChanges);
  await held.release();
  return { results, changed: results.filter((r) => r.ok && r.changed).length };
}

/** Assigns up to 200 issues to a person and/or a group (checked once: active member, live group). */
export async function bulkAssign(ctx: ServiceContext, raw: BulkAssignInput) {
  const input = bulkAssignInput.parse(raw);
  if (input.assigneeUserId) {
    await assertActiveMember(ctx.control, ctx.tenant.id, input.assigneeUserId, "assigneeUserId");
  }
  if (input.assigneeGroupId) await assertGroup(ctx.db, input.assigneeGroupId, "assigneeGroupId");
  return runBulk(ctx, input.ids, (row) => {
    const set: IssueChange["set"] = {};
    const history: HistoryEntry[] = [];
    for (const field of ["assigneeUserId", "assigneeGroupId"] as const) {
      const value = input[field];
      if (value === undefined || (value ?? null) === row[field]) continue;
      set[field] = value ?? null;
      history.push({ field, before: row[field], after: value ?? null });
    }
    return { set, history, action: "issue.updated" };
  });
}

/**
 * Moves up to 200 issues to `to`, each only where its own workflow allows it, through the same planning as
 * a single transition (stamps, approvals, the service-level clock stopping or running again).
 */
export async function bulkTransition(ctx: ServiceContext, raw: BulkTransitionInput) {
  const input = bulkTransitionInput.parse(raw);
  const policy = await loadServiceLevels(ctx.db, ctx.log);
  return runBulk(ctx, input.ids, (row, now) =>
    row.status === input.to ? null : planTransition(ctx, row, input.to, now, policy),
  );
}

/** Moves up to 200 issues to their workflow's final status (closed; published for analyses), where allowed. */
export async function bulkClose(ctx: ServiceContext, raw: { ids: string[] }) {
  const input = bulkCloseInput.parse(raw);
  const policy = await loadServiceLevels(ctx.db, ctx.log);
  return runBulk(ctx, input.ids, (row, now) => {
    const to = workflows[row.type].close;
    return row.status === to ? null : planTransition(ctx, row, to, now, policy);
  });
}
