import { and, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { ControlDb } from "../../../../db/client";
import { memberships, users } from "../../../../db/control/schema";
import type { PersonRef } from "../../../../shared/schemas/issue-extras";

/** Control-database lookups per query: well under SQLite's parameter limit. */
const LOOKUP_CHUNK = 500;

export const UNKNOWN_USER = "Unknown user";

/** Names and addresses of users by id, in one control-database query (per 500 ids). */
export async function peopleById(
  control: ControlDb,
  ids: Iterable<string | null | undefined>,
): Promise<Map<string, { name: string; email: string }>> {
  const unique = [...new Set([...ids].filter((id): id is string => Boolean(id)))];
  const found = new Map<string, { name: string; email: string }>();
  for (let i = 0; i < unique.length; i += LOOKUP_CHUNK) {
    const rows = await control
      .select({ id: users.id, name: users.name, email: users.email })
      .from(users)
      .where(inArray(users.id, unique.slice(i, i + LOOKUP_CHUNK)));
    for (const row of rows) found.set(row.id, { name: row.name, email: row.email });
  }
  return found;
}

export function personRefOf(people: Map<string, { name: string }>, id: string): PersonRef {
  return { id, name: people.get(id)?.name ?? UNKNOWN_USER };
}

/**
 * Of the people named by id or by email address, those who are active members of the organization (active
 * account, active membership), as user ids. One control-database query.
 */
export async function activeMemberIds(
  control: ControlDb,
  tenantId: string,
  named: { ids?: string[]; emails?: string[] },
): Promise<Set<string>> {
  const ids = [...new Set(named.ids ?? [])];
  const emails = [...new Set((named.emails ?? []).map((e) => e.toLowerCase()))];
  if (ids.length === 0 && emails.length === 0) return new Set();
  const rows = await control
    .select({ id: users.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.tenantId, tenantId),
        eq(memberships.status, "active"),
        isNull(memberships.deletedAt),
        eq(users.status, "active"),
        isNull(users.deletedAt),
        or(
          ids.length > 0 ? inArray(users.id, ids) : undefined,
          emails.length > 0 ? inArray(sql`lower(${users.email})`, emails) : undefined,
        ),
      ),
    );
  return new Set(rows.map((r) => r.id));
}
