import { eq } from "drizzle-orm";
import { auditRow } from "../../../../db/audit";
import type { TenantDb } from "../../../../db/client";
import { isUniqueViolation } from "../../../../db/errors";
import { auditLog, groups } from "../../../../db/tenant/schema";
import { type UpdateGroupInput, updateGroupInput } from "../../../../shared/schemas/groups";
import { type GroupActor, groupAudit } from "./audit";
import { assertNameFree, loadChangeableGroup, loadGroup, nameTaken } from "./views";

/** Renames a group or changes its description (null clears it); an unchanged value writes nothing. */
export async function updateGroup(db: TenantDb, params: { actor: GroupActor; input: UpdateGroupInput }) {
  const input = updateGroupInput.parse(params.input);
  const current = await loadChangeableGroup(db, input.id);
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const set: Partial<typeof groups.$inferInsert> = {};
  if (input.name !== undefined && input.name !== current.name) {
    if (input.name.toLowerCase() !== current.name.toLowerCase())
      await assertNameFree(db, input.name, current.id);
    before.name = current.name;
    set.name = after.name = input.name;
  }
  const description = input.description === undefined ? undefined : input.description || null;
  if (description !== undefined && description !== current.description) {
    before.description = current.description;
    set.description = after.description = description;
  }
  if (Object.keys(set).length > 0) {
    const now = new Date();
    try {
      await db.batch([
        db
          .update(groups)
          .set({ ...set, updatedAt: now })
          .where(eq(groups.id, current.id)),
        db
          .insert(auditLog)
          .values(
            auditRow(groupAudit(params.actor, current.id, { action: "group.updated", before, after }), now),
          ),
      ]);
    } catch (error) {
      if (isUniqueViolation(error, "groups.name")) throw nameTaken(input.name ?? "");
      throw error;
    }
  }
  return loadGroup(db, current.id);
}
