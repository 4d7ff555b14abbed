import { and, eq, inArray, isNull, lte } from "drizzle-orm";
import { auditBy, auditIfChanged } from "../../../../db/audit";
import type { UserContext } from "../../../../db/context";
import { notifications } from "../../../../db/tenant/schema";

/**
 * Marks some of the caller's own notifications read. Ids that are not theirs, or already read, are left
 * alone; `updated` says how many changed.
 */
export async function markRead(ctx: UserContext, params: { ids: string[] }) {
  const { db, actor } = ctx;
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
      auditBy(ctx, "notification", null, { action: "notification.marked_read", after: { ids } }),
      now,
    ),
  ]);
  return { updated: result.rowsAffected };
}

/** Marks all the caller's unread notifications created up to `upTo` (default: now) read. */
export async function markAllRead(ctx: UserContext, params: { upTo?: string }) {
  const { db, actor } = ctx;
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
      auditBy(ctx, "notification", null, {
        action: "notification.all_marked_read",
        after: { upTo: upTo.toISOString() },
      }),
      now,
    ),
  ]);
  return { updated: result.rowsAffected };
}
