import { auditBy, auditRow } from "../../../../db/audit";
import type { ServiceContext } from "../../../../db/context";
import { isUniqueViolation } from "../../../../db/errors";
import { auditLog, groups } from "../../../../db/tenant/schema";
import { newId } from "../../../../shared/ids";
import { type CreateGroupInput, createGroupInput } from "../../../../shared/schemas/groups";
import { assertNameFree, loadGroup, nameTaken } from "./views";

/** Creates a group; its name must be free in the organization (CONFLICT otherwise). */
export async function createGroup(ctx: ServiceContext, raw: CreateGroupInput) {
  const { db } = ctx;
  const input = createGroupInput.parse(raw);
  await assertNameFree(db, input.name);
  const now = new Date();
  const row = {
    id: newId(),
    name: input.name,
    description: input.description || null,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await db.batch([
      db.insert(groups).values(row),
      db.insert(auditLog).values(
        auditRow(
          auditBy(ctx, "group", row.id, {
            action: "group.created",
            after: { name: row.name, description: row.description },
          }),
          now,
        ),
      ),
    ]);
  } catch (error) {
    if (isUniqueViolation(error, "groups.name")) throw nameTaken(input.name);
    throw error;
  }
  return loadGroup(db, row.id);
}
