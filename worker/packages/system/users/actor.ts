import type { Role } from "../../../../shared/permissions";
import type { SessionInfo, SessionUser, TenantAccess } from "../../../auth/session";

/** Who is administering an organization, and from where: what services need to check rules and audit. */
export interface AdminActor {
  tenantId: string;
  tenantSlug: string;
  userId: string;
  role: Role;
  /** Administering through the root ("Global") organization rather than a membership. */
  viaRoot: boolean;
  twoFactorEnabled: boolean;
  /** The credential in use, so acting on oneself does not end the session doing it. */
  sessionId: string;
  ip: string | null;
  requestId: string;
}

export function adminActorOf(ctx: {
  tenant: TenantAccess;
  role: Role;
  user: SessionUser;
  session: SessionInfo;
  ip: string | null;
  requestId: string;
}): AdminActor {
  return {
    tenantId: ctx.tenant.id,
    tenantSlug: ctx.tenant.slug,
    userId: ctx.user.id,
    role: ctx.role,
    viaRoot: ctx.tenant.viaRoot,
    twoFactorEnabled: ctx.user.twoFactorEnabled,
    sessionId: ctx.session.id,
    ip: ctx.ip,
    requestId: ctx.requestId,
  };
}

/** The audit fields every admin change carries. */
export function auditActor(actor: AdminActor) {
  return {
    actorKind: "user" as const,
    actorId: actor.userId,
    tenantId: actor.tenantId,
    ip: actor.ip,
    requestId: actor.requestId,
  };
}
