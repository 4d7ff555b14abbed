import type { AuditInput } from "../../../../db/audit";

/** Who is changing the organization's groups, and from where. */
export interface GroupActor {
  tenantId: string;
  userId: string;
  ip: string | null;
  requestId: string | null;
}

export function groupActorOf(ctx: {
  tenant: { id: string };
  user: { id: string };
  ip: string | null;
  requestId: string;
}): GroupActor {
  return { tenantId: ctx.tenant.id, userId: ctx.user.id, ip: ctx.ip, requestId: ctx.requestId };
}

/** The audit fields of a change to group `groupId` by `actor`, in the tenant's audit log. */
export function groupAudit(
  actor: GroupActor,
  groupId: string,
  change: Pick<AuditInput, "action" | "before" | "after">,
): AuditInput {
  return {
    actorKind: "user",
    actorId: actor.userId,
    tenantId: actor.tenantId,
    targetType: "group",
    targetId: groupId,
    ip: actor.ip,
    requestId: actor.requestId,
    ...change,
  };
}
