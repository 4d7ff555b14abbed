import { newId } from "../shared/ids";

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
