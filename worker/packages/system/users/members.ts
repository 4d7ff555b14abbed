import { and, eq, isNull, type SQL, sql } from "drizzle-orm";
import type { ControlDb } from "../../../../db/client";
import { memberships, users } from "../../../../db/control/schema";
import type { OrganizationUser } from "../../../../shared/schemas/organizations";

/** The columns of a member row: the membership joined to its user. */
export const memberColumns = {
  userId: users.id,
  name: users.name,
  email: users.email,
  role: memberships.role,
  status: memberships.status,
  totpEnabledAt: users.totpEnabledAt,
  createdAt: memberships.createdAt,
};

export type MemberRow = {
  userId: string;
  name: string;
  email: string;
  role: OrganizationUser["role"];
  status: OrganizationUser["status"];
  totpEnabledAt: Date | null;
  createdAt: Date;
};

/** Members of a tenant: memberships not removed, of accounts not deleted (memberships_tenant_idx). */
export function memberScope(tenantId: string): SQL {
  return and(eq(memberships.tenantId, tenantId), isNull(memberships.deletedAt), isNull(users.deletedAt))!;
}

/** owner 0, admin 1, member 2, viewer 3: what sorting by role means. */
export const roleRank = sql<number>`(CASE ${memberships.role}
  WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 WHEN 'member' THEN 2 ELSE 3 END)`;
export const rankOf = { owner: 0, admin: 1, member: 2, viewer: 3 } as const;

export function memberQuery(control: ControlDb) {
  return control.select(memberColumns).from(memberships).innerJoin(users, eq(users.id, memberships.userId));
}

export function toOrganizationUser(row: MemberRow): OrganizationUser {
  return {
    userId: row.userId,
    name: row.name,
    email: row.email,
    role: row.role,
    status: row.status,
    twoFactorEnabled: row.totpEnabledAt !== null,
    createdAt: row.createdAt.toISOString(),
  };
}
