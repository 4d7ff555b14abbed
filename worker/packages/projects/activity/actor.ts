import type { AuditInput } from "../../../../db/audit";
import { type Permission, type Role, roleAllows } from "../../../../shared/permissions";

/** Who is acting on an issue's surroundings, and from where: what services need to check rules and audit. */
export interface IssueActor {
  tenantId: string;
  userId: string;
  /** The actor's name, for notification summaries. */
  name: string;
  /** May act on other people's comments and attachments (role and, for tokens, scope grant projects.admin). */
  isProjectAdmin: boolean;
  ip: string | null;
  requestId: string | null;
}

export function issueActorOf(ctx: {
  tenant: { id: string };
  role: Role;
  user: { id: string; name: string };
  session: { scopes: ReadonlySet<string> | null };
  ip: string | null;
  requestId: string;
}): IssueActor {
  const admin: Permission = "projects.admin";
  return {
    tenantId: ctx.tenant.id,
    userId: ctx.user.id,
    name: ctx.user.name,
    isProjectAdmin: roleAllows(ctx.role, admin) && (!ctx.session.scopes || ctx.session.scopes.has(admin)),
    ip: ctx.ip,
    requestId: ctx.requestId,
  };
}

/** The audit fields of a change to `targetType` `targetId` by `actor`, for the tenant's audit log. */
export function issueAudit(
  actor: IssueActor,
  targetType: string,
  targetId: string | null,
  change: Pick<AuditInput, "action" | "before" | "after">,
): AuditInput {
  return {
    actorKind: "user",
    actorId: actor.userId,
    tenantId: actor.tenantId,
    targetType,
    targetId,
    ip: actor.ip,
    requestId: actor.requestId,
    ...change,
  };
}
