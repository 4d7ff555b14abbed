import { and, desc, eq, gte, isNull, lte, or, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { z } from "zod";
import type { ControlDb } from "../../../../db/client";
import { auditLog, memberships, users } from "../../../../db/control/schema";
import { containsAny, decodeCursor, keysetAfter, keysetPage, startsWith } from "../../../../db/lists";
import {
  type AuditEntry,
  type ListAuditInput,
  listAuditInput,
} from "../../../../shared/schemas/organizations";

const TAG = "audit:at";

const actors = alias(users, "actor");
const targets = alias(users, "target_user");

/**
 * What an organization's audit log holds: every control audit entry recorded for the organization
 * (tenantId), plus the sign-in events (`auth.*`, not tied to another organization) of anyone who is or
 * was its member.
 */
function scope(control: ControlDb, tenantId: string): SQL {
  const memberIds = control
    .select({ id: memberships.userId })
    .from(memberships)
    .where(eq(memberships.tenantId, tenantId));
  return or(
    eq(auditLog.tenantId, tenantId),
    and(
      isNull(auditLog.tenantId),
      sql`${auditLog.action} LIKE 'auth.%'`,
      sql`${auditLog.actorId} IN ${memberIds}`,
    ),
  )!;
}

/**
 * The organization's audit log, newest first, filtered, one keyset page at a time. It walks
 * audit_log_at_idx backwards (or audit_log_actor_idx when filtered by actor) and stops at the page size.
 */
export async function listAudit(control: ControlDb, tenantId: string, raw: ListAuditInput) {
  const input = listAuditInput.parse(raw);
  const rows = await listAuditQuery(control, tenantId, input);
  const page = keysetPage(rows, input.limit, TAG, (row) => [row.entry.at.getTime(), row.entry.id]);
  const items: AuditEntry[] = page.items.map(({ entry, actor, targetUser }) => ({
    id: entry.id,
    at: entry.at.toISOString(),
    action: entry.action,
    actorKind: entry.actorKind,
    actorId: entry.actorId,
    actor: actor?.id ? actor : null,
    targetType: entry.targetType,
    targetId: entry.targetId,
    targetUser: targetUser?.id ? targetUser : null,
    before: entry.before ?? null,
    after: entry.after ?? null,
    ip: entry.ip,
    requestId: entry.requestId,
  }));
  return { items, nextCursor: page.nextCursor };
}

/** The page's query (one row more than the page, to know whether another follows). */
export function listAuditQuery(control: ControlDb, tenantId: string, input: z.output<typeof listAuditInput>) {
  const where: SQL[] = [scope(control, tenantId)];
  if (input.action) where.push(startsWith(auditLog.action, input.action));
  if (input.search) where.push(containsAny([auditLog.action], input.search));
  if (input.actorId) where.push(eq(auditLog.actorId, input.actorId));
  if (input.targetType) where.push(eq(auditLog.targetType, input.targetType));
  if (input.from) where.push(gte(auditLog.at, new Date(input.from)));
  if (input.to) where.push(lte(auditLog.at, new Date(input.to)));
  if (input.cursor) {
    const [at, id] = decodeCursor(input.cursor, TAG, ["number", "string"]);
    where.push(
      keysetAfter("desc", [
        [auditLog.at, new Date(at)],
        [auditLog.id, id],
      ]),
    );
  }
  return control
    .select({
      entry: auditLog,
      actor: { id: actors.id, name: actors.name, email: actors.email },
      targetUser: { id: targets.id, name: targets.name, email: targets.email },
    })
    .from(auditLog)
    .leftJoin(actors, eq(actors.id, auditLog.actorId))
    .leftJoin(targets, and(eq(auditLog.targetType, "user"), eq(targets.id, auditLog.targetId)))
    .where(and(...where))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(input.limit + 1);
}
