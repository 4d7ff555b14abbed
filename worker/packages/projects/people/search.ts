import { and, asc, eq, isNull, or, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { ControlDb, TenantDb } from "../../../../db/client";
import { memberships, users } from "../../../../db/control/schema";
import { groups } from "../../../../db/tenant/schema";
import {
  type PeopleSearchInput,
  type PeopleSearchOutput,
  peopleSearchInput,
} from "../../../../shared/schemas/projects";

/** `q` as a LIKE pattern matching it anywhere, its wildcards (and the escape character) taken literally. */
export const containsPattern = (q: string) => `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/**
 * Whom an issue can be assigned to: the organization's active members (active account and membership, not
 * deleted) whose name or address contains `q` — found through the memberships' tenant index, in the
 * control database — and its groups not archived whose name contains `q`, each ordered by name.
 */
export async function searchPeople(
  db: TenantDb,
  params: { control: ControlDb; tenantId: string; input: PeopleSearchInput },
): Promise<PeopleSearchOutput> {
  const input = peopleSearchInput.parse(params.input);
  const pattern = input.q ? containsPattern(input.q) : null;
  const matches = (column: SQLiteColumn) => sql`${column} LIKE ${pattern} ESCAPE '\\'`;
  const [people, teams] = await Promise.all([
    params.control
      .select({ id: users.id, name: users.name, email: users.email })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(
        and(
          eq(memberships.tenantId, params.tenantId),
          eq(memberships.status, "active"),
          isNull(memberships.deletedAt),
          eq(users.status, "active"),
          isNull(users.deletedAt),
          pattern ? or(matches(users.name), matches(users.email)) : undefined,
        ),
      )
      .orderBy(asc(sql`${users.name} COLLATE NOCASE`), asc(users.id))
      .limit(input.limit),
    db
      .select({ id: groups.id, name: groups.name })
      .from(groups)
      .where(and(isNull(groups.archivedAt), pattern ? matches(groups.name) : undefined))
      .orderBy(asc(sql`${groups.name} COLLATE NOCASE`), asc(groups.id))
      .limit(input.limit),
  ]);
  return { users: people, groups: teams };
}
