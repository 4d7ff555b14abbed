import { and, asc, desc, eq, type SQL, sql } from "drizzle-orm";
import type { z } from "zod";
import type { ControlDb } from "../../../../db/client";
import { memberships, users } from "../../../../db/control/schema";
import { containsAny, decodeCursor, keysetAfter, keysetPage } from "../../../../db/lists";
import { type ListUsersInput, listUsersInput } from "../../../../shared/schemas/organizations";
import { type MemberRow, memberQuery, memberScope, rankOf, roleRank, toOrganizationUser } from "./members";

type Sort = "name" | "email" | "role" | "createdAt";

/** The expression each sort orders by (names case-insensitively), and the value a row has for it. */
const sortKeys: Record<Sort, { expr: SQL; valueOf: (row: MemberRow) => string | number }> = {
  name: { expr: sql`${users.name} COLLATE NOCASE`, valueOf: (r) => r.name },
  email: { expr: sql`${users.email}`, valueOf: (r) => r.email },
  role: { expr: roleRank, valueOf: (r) => rankOf[r.role] },
  createdAt: { expr: sql`${memberships.createdAt}`, valueOf: (r) => r.createdAt.getTime() },
};

const tagOf = (input: { sort: Sort; direction: "asc" | "desc" }) => `users:${input.sort}:${input.direction}`;

/**
 * Members of the organization, searched, filtered and sorted, one keyset page at a time. Members are found
 * through memberships_tenant_idx and users by primary key; the organization's members are then sorted
 * (a district's staff: thousands, not millions).
 */
export async function listUsers(control: ControlDb, tenantId: string, raw: ListUsersInput) {
  const input = listUsersInput.parse(raw);
  const key = sortKeys[input.sort];
  const rows = (await listUsersQuery(control, tenantId, input)) as MemberRow[];
  const page = keysetPage(rows, input.limit, tagOf(input), (row) => [key.valueOf(row), row.userId]);
  return { items: page.items.map(toOrganizationUser), nextCursor: page.nextCursor };
}

/** The page's query (one row more than the page, to know whether another follows). */
export function listUsersQuery(control: ControlDb, tenantId: string, input: z.output<typeof listUsersInput>) {
  const key = sortKeys[input.sort];
  const where: SQL[] = [memberScope(tenantId)];
  if (input.role) where.push(eq(memberships.role, input.role));
  if (input.status) where.push(eq(memberships.status, input.status));
  if (input.search) where.push(containsAny([users.name, users.email], input.search));
  if (input.cursor) {
    // Tagged with the sort and direction: a cursor from another ordering would skip or repeat rows.
    const valueType = input.sort === "role" || input.sort === "createdAt" ? "number" : "string";
    const [value, userId] = decodeCursor(input.cursor, tagOf(input), [valueType, "string"]);
    where.push(
      keysetAfter(input.direction, [
        [key.expr, value],
        [users.id, userId],
      ]),
    );
  }
  const order = input.direction === "asc" ? asc : desc;
  return memberQuery(control)
    .where(and(...where))
    .orderBy(order(key.expr), order(users.id))
    .limit(input.limit + 1);
}
