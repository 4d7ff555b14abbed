import { sql } from "drizzle-orm";
import { type AuditInput, auditRow } from "../../../../db/audit";
import type { TenantDb } from "../../../../db/client";

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

/**
 * A tenant audit_log insert that happens only if the statement just before it in the same batch changed a
 * row (SQLite's `changes()`): a guarded write that matched nothing leaves no entry, one that matched leaves
 * exactly one, atomically.
 */
export function tenantAuditIfChanged(db: TenantDb, input: AuditInput, at = new Date()) {
  const row = auditRow(input, at);
  const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
  return db.run(sql`
    INSERT INTO audit_log (id, at, actor_kind, actor_id, tenant_id, action, target_type, target_id, before, after, ip, request_id)
    SELECT ${row.id}, ${row.at.getTime()}, ${row.actorKind}, ${row.actorId}, ${row.tenantId}, ${row.action},
      ${row.targetType}, ${row.targetId}, ${json(row.before)}, ${json(row.after)}, ${row.ip}, ${row.requestId}
    WHERE changes() > 0`);
}
