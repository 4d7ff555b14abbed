import { sql } from "drizzle-orm";
import { newId } from "../shared/ids";
import type { ControlDb, TenantDb } from "./client";
import type { Actor } from "./context";

export interface AuditInput {
  actorKind: "user" | "system" | "token";
  actorId?: string | null;
  tenantId?: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
  ip?: string | null;
  requestId?: string | null;
}

/**
 * The audit fields of a change to `targetType` `targetId`, taking who acted (and from where, in which
 * request and organization) from the context: a user is recorded by id, the system by its reason. The one
 * way services fill an audit row's actor fields.
 */
export function auditBy(
  ctx: { actor: Actor; tenant?: { id: string } | null },
  targetType: string,
  targetId: string | null,
  change: Pick<AuditInput, "action" | "before" | "after">,
): AuditInput {
  const { actor } = ctx;
  return {
    actorKind: actor.kind,
    actorId: actor.kind === "user" ? actor.userId : actor.reason,
    tenantId: ctx.tenant?.id ?? null,
    targetType,
    targetId,
    ip: actor.ip,
    requestId: actor.requestId,
    ...change,
  };
}

/** One audit_log row, ready to insert in the same batch as the write it records. */
export function auditRow(input: AuditInput, at = new Date()) {
  return {
    id: newId(),
    at,
    actorKind: input.actorKind,
    actorId: input.actorId ?? null,
    tenantId: input.tenantId ?? null,
    action: input.action,
    targetType: input.targetType,
    targetId: input.targetId ?? null,
    before: input.before ?? null,
    after: input.after ?? null,
    ip: input.ip ?? null,
    requestId: input.requestId ?? null,
  };
}

/**
 * An audit_log insert that happens only if the statement just before it in the same batch changed a row
 * (SQLite's `changes()`): a guarded write that matched nothing leaves no entry, one that matched leaves
 * exactly one, atomically. Works on the control database and on a tenant database alike.
 */
export function auditIfChanged(db: ControlDb | TenantDb, input: AuditInput, at = new Date()) {
  const row = auditRow(input, at);
  const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
  return (db as ControlDb).run(sql`
    INSERT INTO audit_log (id, at, actor_kind, actor_id, tenant_id, action, target_type, target_id, before, after, ip, request_id)
    SELECT ${row.id}, ${row.at.getTime()}, ${row.actorKind}, ${row.actorId}, ${row.tenantId}, ${row.action},
      ${row.targetType}, ${row.targetId}, ${json(row.before)}, ${json(row.after)}, ${row.ip}, ${row.requestId}
    WHERE changes() > 0`);
}
