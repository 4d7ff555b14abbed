import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { ControlDb, TenantDb } from "../../../../db/client";
import { memberships, users } from "../../../../db/control/schema";
import { containsAny } from "../../../../db/lists";
import { groups } from "../../../../db/tenant/schema";
import {
  type PeopleSearchInput,
  type PeopleSearchOutput,
  peopleSearchInput,
} from "../../../../shared/schemas/projects";

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
  const q = input.q;
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
          q ? containsAny([users.name, users.email], q) : undefined,
        ),
      )
      .orderBy(asc(sql`${users.name} COLLATE NOCASE`), asc(users.id))
      .limit(input.limit),
    db
      .select({ id: groups.id, name: groups.name })
      .from(groups)
      .where(and(isNull(groups.archivedAt), q ? containsAny([groups.name], q) : undefined))
      .orderBy(asc(sql`${groups.name} COLLATE NOCASE`), asc(groups.id))
      .limit(input.limit),
  ]);
  return { users: people, groups: teams };
}
