import type { z } from "zod";
import { actorUserId, allows, type ServiceContext } from "../../../../db/context";
import { AppError, fieldErrorsOf } from "../../../../shared/errors";
import type { IssueType } from "../../../../shared/schemas/issue-model";
import { detailsSchemas } from "../../../../shared/schemas/issues";
import { activeMemberIds } from "../activity/people";
import { assertActiveMember, assertIncident } from "../references";

/** `details` checked against the subtype's schema; a 400 with `details.*` field errors otherwise. */
export function parseDetails(type: IssueType, raw: unknown): Record<string, unknown> {
  const schema = detailsSchemas[type] as z.ZodType<Record<string, unknown>>;
  const parsed = schema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const fieldErrors: Record<string, string[]> = {};
  for (const [key, messages] of Object.entries(fieldErrorsOf(parsed.error))) {
    fieldErrors[key === "_" ? "details" : `details.${key}`] = messages;
  }
  throw new AppError("BAD_REQUEST", "Some details are not valid for this kind of issue.", { fieldErrors });
}

const forbiddenApproval = () =>
  new AppError("FORBIDDEN", "Only project administrators decide on a change's approval.", {
    reason: "approval_requires_admin",
  });

/**
 * The rules details carry beyond their shape: a post-incident analysis names an incident of this
 * organization and its actions' new owners are active members of it; only project administrators set a
 * change's approval (recorded with them as approver).
 */
export async function checkDetails(
  ctx: ServiceContext,
  type: IssueType,
  details: Record<string, unknown>,
  previous: Record<string, unknown> | null,
): Promise<Record<string, unknown>> {
  if (type === "post_incident_analysis" && details.incidentId !== previous?.incidentId) {
    await assertIncident(ctx.db, String(details.incidentId), "details.incidentId");
  }
  if (type === "post_incident_analysis") await assertActionOwners(ctx, details, previous);
  if (type === "change") {
    const approval = details.approval ?? "pending";
    const before = previous?.approval ?? "pending";
    const approverBefore = previous?.approverId ?? null;
    // Left out on update: the recorded approver stays.
    const approver = (details.approverId === undefined ? approverBefore : (details.approverId ?? null)) as
      | string
      | null;
    const decided = approval !== before || (approval !== "pending" && approver !== approverBefore);
    if (decided && !allows(ctx, "projects.admin")) throw forbiddenApproval();
    if (approval === "pending") return { ...details, approverId: null };
    if (approver && approver !== approverBefore && approver !== actorUserId(ctx.actor)) {
      await assertActiveMember(ctx.control, ctx.tenant.id, approver, "details.approverId");
    }
    return { ...details, approverId: approval !== before && !approver ? actorUserId(ctx.actor) : approver };
  }
  return details;
}

const ownersOf = (details: Record<string, unknown> | null): (string | null)[] =>
  Array.isArray(details?.actions)
    ? (details.actions as { ownerId?: string | null }[]).map((a) => a.ownerId ?? null)
    : [];

/** Owners an analysis's actions did not have before must be active members of the organization. */
async function assertActionOwners(
  ctx: ServiceContext,
  details: Record<string, unknown>,
  previous: Record<string, unknown> | null,
): Promise<void> {
  const before = new Set(ownersOf(previous));
  const owners = ownersOf(details);
  const fresh = [...new Set(owners.filter((id): id is string => id !== null && !before.has(id)))];
  if (fresh.length === 0) return;
  const members = await activeMemberIds(ctx.control, ctx.tenant.id, { ids: fresh });
  const fieldErrors: Record<string, string[]> = {};
  owners.forEach((id, i) => {
    if (id && fresh.includes(id) && !members.has(id)) {
      fieldErrors[`details.actions.${i}.ownerId`] = ["Not an active member"];
    }
  });
  if (Object.keys(fieldErrors).length > 0) {
    throw new AppError("NOT_FOUND", "An action's owner is not an active member of this organization.", {
      fieldErrors,
    });
  }
}

export { forbiddenApproval };
