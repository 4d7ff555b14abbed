import { and, eq, isNotNull, isNull } from "drizzle-orm";
import { auditIfChanged } from "../../../../db/audit";
import type { TenantDb } from "../../../../db/client";
import { groups } from "../../../../db/tenant/schema";
import { type GroupActor, groupAudit } from "./audit";
import { loadGroup } from "./views";

/**
 * Archives a group (hidden from lists unless asked for, read-only, members kept) or restores it. Doing
 * either to a group already in that state changes nothing.
 */
export async function setGroupArchived(
  db: TenantDb,
  params: { actor: GroupActor; id: string; archived: boolean },
) {
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
      groupAudit(params.actor, group.id, {
        action: params.archived ? "group.archived" : "group.restored",
        before: { archivedAt: group.archivedAt },
        after: { archivedAt: params.archived ? now.toISOString() : null },
      }),
      now,
    ),
  ]);
  return loadGroup(db, group.id);
}
