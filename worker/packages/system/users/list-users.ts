import { and, asc, desc, eq, or, type SQL, sql } from "drizzle-orm";
import type { z } from "zod";
import type { ControlDb } from "../../../../db/client";
import { memberships, users } from "../../../../db/control/schema";
import { type ListUsersInput, listUsersInput } from "../../../../shared/schemas/organizations";
import { decodeCursor, encodeCursor, invalidCursor, likeContains } from "./cursor";
import { type MemberRow, memberQuery, memberScope, rankOf, roleRank, toOrganizationUser } from "./members";

type Sort = "name" | "email" | "role" | "createdAt";

/** The expression each sort orders by (names case-insensitively), and the value a row has for it. */
const sortKeys: Record<Sort, { expr: SQL; valueOf: (row: MemberRow) => string | number }> = {
  name: { expr: sql`${users.name} COLLATE NOCASE`, valueOf: (r) => r.name },
  email: { expr: sql`${users.email}`, valueOf: (r) => r.email },
  role: { expr: roleRank, valueOf: (r) => rankOf[r.role] },
  createdAt: { expr: sql`${memberships.createdAt}`, valueOf: (r) => r.createdAt.getTime() },
};

/**
 * Members of the organization, searched, filtered and sorted, one keyset page at a time. Members are found
 * through memberships_tenant_idx and users by primary key; the organization's members are then sorted
 * (a district's staff: thousands, not millions).
 */
export async function listUsers(control: ControlDb, tenantId: string, raw: ListUsersInput) {
  const input = listUsersInput.parse(raw);
  const key = sortKeys[input.sort];
  const rows = (await listUsersQuery(control, tenantId, input)) as MemberRow[];
  const more = rows.length > input.limit;
  const page = more ? rows.slice(0, input.limit) : rows;
  const last = page[page.length - 1];
  return {
    items: page.map(toOrganizationUser),
    nextCursor:
      more && last ? encodeCursor([input.sort, input.direction, key.valueOf(last), last.userId]) : null,
  };
}

/** The page's query (one row more than the page, to know whether another follows). */
export function listUsersQuery(control: ControlDb, tenantId: string, input: z.output<typeof listUsersInput>) {
  const key = sortKeys[input.sort];
  const where: SQL[] = [memberScope(tenantId)];
  if (input.role) where.push(eq(memberships.role, input.role));
  if (input.status) where.push(eq(memberships.status, input.status));
  if (input.search) {
    const term = likeContains(input.search);
    where.push(sql`(${users.name} LIKE ${term} ESCAPE '\\' OR ${users.email} LIKE ${term} ESCAPE '\\')`);
  }
  if (input.cursor) {
    const valueType = input.sort === "role" || input.sort === "createdAt" ? "number" : "string";
    const [sort, direction, value, userId] = decodeCursor(input.cursor, [
      "string",
      "string",
      valueType,
      "string",
    ] as const);
    // A cursor from another ordering would skip or repeat rows.
    if (sort !== input.sort || direction !== input.direction) throw invalidCursor();
    const after = input.direction === "asc" ? sql`>` : sql`<`;
    where.push(
      or(
        sql`${key.expr} ${after} ${value}`,
        and(sql`${key.expr} = ${value}`, sql`${users.id} ${after} ${userId}`),
      )!,
    );
  }
  const order = input.direction === "asc" ? asc : desc;
  return memberQuery(control)
    .where(and(...where))
    .orderBy(order(key.expr), order(users.id))
    .limit(input.limit + 1);
}
