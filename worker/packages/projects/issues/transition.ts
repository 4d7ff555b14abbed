import { actorUserId, allows, type ServiceContext } from "../../../../db/context";
import { AppError } from "../../../../shared/errors";
import {
  type Issue,
  type TransitionIssueInput,
  transitionIssueInput,
} from "../../../../shared/schemas/issues";
import type { ServiceLevels } from "../../../../shared/schemas/service-levels";
import { allowedTransitions, statusDef, workflows } from "../../../../shared/schemas/workflows";
import { loadServiceLevels } from "../service-levels/load";
import { forbiddenApproval } from "./details";
import { getIssue, projectOfIssue } from "./get";
import { type IssueRow, loadChangeableIssue } from "./rows";
import { syncSharedIndex } from "./shared-index";
import { clockOnTransition } from "./sla";
import { applyIssueChange, type HistoryEntry, type IssueChange } from "./write";

function invalidTransition(row: IssueRow, to: string, why?: string) {
  const allowed = allowedTransitions(row.type, row.status);
  const label = (s: string) => statusDef(row.type, s)?.label ?? s;
  const options = allowed.length
    ? `It can move to: ${allowed.map(label).join(", ")}.`
    : "It cannot move any further.";
  return new AppError(
    "BAD_REQUEST",
    why ?? `This issue cannot move from ${label(row.status)} to ${label(to)}. ${options}`,
    { fieldErrors: { to: [`Allowed: ${allowed.join(", ") || "none"}`] }, reason: "invalid_transition" },
  );
}

/**
 * What moving `row` to `to` changes, if its subtype's workflow allows it (400 invalid_transition, naming
 * the allowed statuses, otherwise):
 * - leaving the initial status the first time stamps respondedAt;
 * - entering a resolved or closed status stamps resolvedAt (and closedAt for closed); reopening clears both;
 * - changes: moving to approved/rejected records the decision (project administrators only), and only an
 *   approved change whose details say approval "approved" can be scheduled;
 * - entering a status that stops the service-level clock stops it; leaving it for one that runs the clock
 *   (resolving or closing too) ends the wait and moves the resolution target, counted under `policy` (the
 *   organization's service levels; see clockOnTransition).
 */
export function planTransition(
  ctx: ServiceContext,
  row: IssueRow,
  to: string,
  now: Date,
  policy: ServiceLevels,
): IssueChange {
  const workflow = workflows[row.type];
  if (!allowedTransitions(row.type, row.status).includes(to)) throw invalidTransition(row, to);
  const target = statusDef(row.type, to)!;
  const set: IssueChange["set"] = { status: to };
  const history: HistoryEntry[] = [{ field: "status", before: row.status, after: to }];
  const stamp = (field: "respondedAt" | "resolvedAt" | "closedAt", value: Date | null) => {
    if ((row[field]?.getTime() ?? null) === (value?.getTime() ?? null)) return;
    set[field] = value;
    history.push({ field, before: row[field], after: value });
  };
  if (!row.respondedAt && row.status === workflow.initial) stamp("respondedAt", now);
  // A wait that ends moves the resolution target first; resolving from a wait is then judged against it.
  const clock = clockOnTransition(policy, row, to, now);
  Object.assign(set, clock.set);
  history.push(...clock.history);
  if (target.category === "open") {
    stamp("resolvedAt", null);
    stamp("closedAt", null);
  } else {
    if (!row.resolvedAt) stamp("resolvedAt", now);
    stamp("closedAt", target.category === "closed" ? now : null);
  }
  if (row.type === "change") {
    if (to === "approved" || to === "rejected") {
      if (!allows(ctx, "projects.admin")) throw forbiddenApproval();
      const details = { ...row.details, approval: to, approverId: actorUserId(ctx.actor) };
      set.details = details;
      history.push({ field: "details.approval", before: row.details.approval ?? "pending", after: to });
      if (row.details.approverId !== actorUserId(ctx.actor)) {
        history.push({
          field: "details.approverId",
          before: row.details.approverId ?? null,
          after: actorUserId(ctx.actor),
        });
      }
    }
    if (to === "scheduled" && row.details.approval !== "approved") {
      throw invalidTransition(
        row,
        to,
        "Only an approved change can be scheduled: its approval is not recorded as approved.",
      );
    }
  }
  return { set, history, action: "issue.transitioned" };
}

/** Moves an issue read at `input.version` along its subtype's workflow (see planTransition). */
export async function transitionIssue(ctx: ServiceContext, raw: TransitionIssueInput): Promise<Issue> {
  const input = transitionIssueInput.parse(raw);
  const row = await loadChangeableIssue(ctx.db, input.id, input.version);
  const policy = await loadServiceLevels(ctx.db, ctx.log);
  const now = new Date();
  const change = planTransition(ctx, row, input.to, now, policy);
  const project = await projectOfIssue(ctx, row);
  const next = await applyIssueChange(ctx, row, project, change, now);
  await syncSharedIndex(ctx, [{ kind: "upsert", row: next, project }]);
  return getIssue(ctx, row.id, now);
}
