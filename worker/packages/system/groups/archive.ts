import { and, eq, isNotNull, isNull } from "drizzle-orm";
import { auditBy, auditIfChanged } from "../../../../db/audit";
import type { ServiceContext } from "../../../../db/context";
import { groups } from "../../../../db/tenant/schema";
import { loadGroup } from "./views";

/**
 * Archives a group (hidden from lists unless asked for, read-only, members kept) or restores it. Doing
 * either to a group already in that state changes nothing.
 */
export async function setGroupArchived(ctx: ServiceContext, params: { id: string; archived: boolean }) {
  const { db } = ctx;
  const group = await loadGroup(db, params.id);
  const now = new Date();
  await db.batch([
    db
      .update(groups)
      .set({ archivedAt: params.archived ? now : null, updatedAt: now })
      .where(
        and(
          eq(groups.id, group.id),
          params.archived ? isNull(groups.archivedAt) : isNotNull(groups.archivedAt),
        ),
      ),
    auditIfChanged(
      db,
      auditBy(ctx, "group", group.id, {
        action: params.archived ? "group.archived" : "group.restored",
        before: { archivedAt: group.archivedAt },
        after: { archivedAt: params.archived ? now.toISOString() : null },
      }),
      now,
    ),
  ]);
  return loadGroup(db, group.id);
}
