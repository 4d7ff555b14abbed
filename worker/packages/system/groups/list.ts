import { and, asc, eq, gt, isNull, like, or, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../../../db/client";
import { groups } from "../../../../db/tenant/schema";
import { type ListGroupsInput, listGroupsInput } from "../../../../shared/schemas/groups";
import { decodeCursor, encodeCursor } from "../invitations/cursor";
import { groupColumns, toGroup } from "./views";

/** The organization's groups by name, with member counts; archived ones only when asked for. */
export async function listGroups(db: TenantDb, raw: ListGroupsInput) {
  const input = listGroupsInput.parse(raw);
  const where: SQL[] = [];
  if (!input.includeArchived) where.push(isNull(groups.archivedAt));
  if (input.search) {
    const term = `%${input.search.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
    where.push(like(groups.name, term));
  }
  if (input.cursor) {
    const [name, id] = decodeCursor(input.cursor, ["string", "string"] as const);
    where.push(or(gt(groups.name, name), and(eq(groups.name, name), gt(groups.id, id)))!);
  }
  const rows = await db
    .select(groupColumns)
    .from(groups)
    .where(and(...where))
    .orderBy(asc(groups.name), asc(groups.id))
    .limit(input.limit + 1);
  const more = rows.length > input.limit;
  const page = more ? rows.slice(0, input.limit) : rows;
  const last = page[page.length - 1];
  return {
    items: page.map(toGroup),
    nextCursor: more && last ? encodeCursor([last.name, last.id]) : null,
  };
}
