import { sql } from "drizzle-orm";
import { type AuditInput, auditRow } from "../../../../db/audit";
import type { ControlDb } from "../../../../db/client";

/**
 * An audit_log insert that happens only if the statement just before it in the same batch changed a row
 * (SQLite's `changes()`), so a guarded update that matched nothing leaves no audit entry, and one that
 * matched leaves exactly one, atomically.
 */
export function auditIfChanged(control: ControlDb, input: AuditInput, at = new Date()) {
  const row = auditRow(input, at);
  const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
  return control.run(sql`
    INSERT INTO audit_log (id, at, actor_kind, actor_id, tenant_id, action, target_type, target_id, before, after, ip, request_id)
    SELECT ${row.id}, ${row.at.getTime()}, ${row.actorKind}, ${row.actorId}, ${row.tenantId}, ${row.action},
      ${row.targetType}, ${row.targetId}, ${json(row.before)}, ${json(row.after)}, ${row.ip}, ${row.requestId}
    WHERE changes() > 0`);
}
