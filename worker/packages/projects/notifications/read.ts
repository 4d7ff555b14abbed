import { and, eq, inArray, isNull, lte } from "drizzle-orm";
import { auditIfChanged } from "../../../../db/audit";
import type { TenantDb } from "../../../../db/client";
import { notifications } from "../../../../db/tenant/schema";
import { type IssueActor, issueAudit } from "../activity/actor";

/**
 * Marks some of the caller's own notifications read. Ids that are not theirs, or already read, are left
 * alone; `updated` says how many changed.
 */
export async function markRead(db: TenantDb, params: { actor: IssueActor; ids: string[] }) {
  const { actor } = params;
  const ids = [...new Set(params.ids)];
  const now = new Date();
  const [result] = await db.batch([
    db
      .update(notifications)
      .set({ readAt: now })
      .where(
        and(
          eq(notifications.userId, actor.userId),
          inArray(notifications.id, ids),
          isNull(notifications.readAt),
        ),
      ),
    auditIfChanged(
      db,
      issueAudit(actor, "notification", null, { action: "notification.marked_read", after: { ids } }),
      now,
    ),
  ]);
  return { updated: result.rowsAffected };
}

/** Marks all the caller's unread notifications created up to `upTo` (default: now) read. */
export async function markAllRead(db: TenantDb, params: { actor: IssueActor; upTo?: string }) {
  const { actor } = params;
  const now = new Date();
  const upTo = params.upTo ? new Date(params.upTo) : now;
  const [result] = await db.batch([
    db
      .update(notifications)
      .set({ readAt: now })
      .where(
        and(
          eq(notifications.userId, actor.userId),
          isNull(notifications.readAt),
          lte(notifications.createdAt, upTo),
        ),
      ),
    auditIfChanged(
      db,
      issueAudit(actor, "notification", null, {
        action: "notification.all_marked_read",
        after: { upTo: upTo.toISOString() },
      }),
      now,
    ),
  ]);
  return { updated: result.rowsAffected };
}
