import { and, asc, isNull, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../../../db/client";
import { containsAny, decodeCursor, keysetAfter, keysetPage } from "../../../../db/lists";
import { groups } from "../../../../db/tenant/schema";
import { type ListGroupsInput, listGroupsInput } from "../../../../shared/schemas/groups";
import { groupColumns, toGroup } from "./views";

const TAG = "groups:name";

/** The organization's groups by name, with member counts; archived ones only when asked for. */
export async function listGroups(db: TenantDb, raw: ListGroupsInput) {
  const input = listGroupsInput.parse(raw);
  const where: SQL[] = [];
  if (!input.includeArchived) where.push(isNull(groups.archivedAt));
  if (input.search) where.push(containsAny([groups.name], input.search));
  if (input.cursor) {
    const [name, id] = decodeCursor(input.cursor, TAG, ["string", "string"]);
    where.push(
      keysetAfter("asc", [
        [groups.name, name],
        [groups.id, id],
      ]),
    );
  }
  const rows = await db
    .select(groupColumns)
    .from(groups)
    .where(and(...where))
    .orderBy(asc(groups.name), asc(groups.id))
    .limit(input.limit + 1);
  const page = keysetPage(rows, input.limit, TAG, (row) => [row.name, row.id]);
  return { items: page.items.map(toGroup), nextCursor: page.nextCursor };
}
