import { eq } from "drizzle-orm";
import { auditBy, auditRow } from "../../../../db/audit";
import type { ServiceContext } from "../../../../db/context";
import { isUniqueViolation } from "../../../../db/errors";
import { auditLog, groups } from "../../../../db/tenant/schema";
import { type UpdateGroupInput, updateGroupInput } from "../../../../shared/schemas/groups";
import { assertNameFree, loadChangeableGroup, loadGroup, nameTaken } from "./views";

/** Renames a group or changes its description (null clears it); an unchanged value writes nothing. */
export async function updateGroup(ctx: ServiceContext, raw: UpdateGroupInput) {
  const { db } = ctx;
  const input = updateGroupInput.parse(raw);
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
            auditRow(auditBy(ctx, "group", current.id, { action: "group.updated", before, after }), now),
          ),
      ]);
    } catch (error) {
      if (isUniqueViolation(error, "groups.name")) throw nameTaken(input.name ?? "");
      throw error;
    }
  }
  return loadGroup(db, current.id);
}
