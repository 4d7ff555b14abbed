import { and, eq, inArray } from "drizzle-orm";
import type { ControlDb, TenantDb } from "../../../../db/client";
import { memberships, users } from "../../../../db/control/schema";
import { groupMembers } from "../../../../db/tenant/schema";
import type { GroupDetail, GroupMember } from "../../../../shared/schemas/groups";
import { loadGroup } from "./views";

/** Control-database lookups per query: well under SQLite's parameter limit. */
const LOOKUP_CHUNK = 1000;

/**
 * A group and its members. Members live in the tenant database as user ids; their names, addresses and
 * current membership come from the control database in one query (per thousand members).
 */
export async function getGroup(
  db: TenantDb,
  params: { control: ControlDb; tenantId: string; id: string },
): Promise<GroupDetail> {
  const group = await loadGroup(db, params.id);
  const rows = await db
    .select({ userId: groupMembers.userId, addedAt: groupMembers.addedAt })
    .from(groupMembers)
    .where(eq(groupMembers.groupId, group.id));
  const people = new Map<string, { name: string; email: string; membership: GroupMember["membership"] }>();
  for (let i = 0; i < rows.length; i += LOOKUP_CHUNK) {
    const found = await params.control
      .select({
        id: users.id,
        name: users.name,
        email: users.email,
        userDeletedAt: users.deletedAt,
        status: memberships.status,
        membershipDeletedAt: memberships.deletedAt,
      })
      .from(users)
      .leftJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.tenantId, params.tenantId)))
      .where(
        inArray(
          users.id,
          rows.slice(i, i + LOOKUP_CHUNK).map((r) => r.userId),
        ),
      );
    for (const person of found) {
      const removed = person.userDeletedAt || person.membershipDeletedAt || !person.status;
      people.set(person.id, {
        name: person.name,
        email: person.email,
        membership: removed ? "removed" : person.status!,
      });
    }
  }
  const members: GroupMember[] = rows.map((row) => {
    const person = people.get(row.userId);
    return {
      userId: row.userId,
      name: person?.name ?? "Unknown user",
      email: person?.email ?? "",
      membership: person?.membership ?? "removed",
      addedAt: row.addedAt.toISOString(),
    };
  });
  members.sort((a, b) => a.name.localeCompare(b.name) || a.email.localeCompare(b.email));
  return { ...group, members };
}
