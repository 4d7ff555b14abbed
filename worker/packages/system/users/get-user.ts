import { and, eq } from "drizzle-orm";
import type { ControlDb } from "../../../../db/client";
import { memberships } from "../../../../db/control/schema";
import { AppError } from "../../../../shared/errors";
import type { OrganizationUser } from "../../../../shared/schemas/organizations";
import { type MemberRow, memberQuery, memberScope, toOrganizationUser } from "./members";

export function memberNotFound(): AppError {
  return new AppError("NOT_FOUND", "There is no such user in this organization.");
}

/** One member of the organization; anyone else (another organization's user, a removed member) is NOT_FOUND. */
export async function getUser(
  control: ControlDb,
  tenantId: string,
  userId: string,
): Promise<OrganizationUser> {
  const [row] = (await memberQuery(control)
    .where(and(memberScope(tenantId), eq(memberships.userId, userId)))
    .limit(1)) as MemberRow[];
  if (!row) throw memberNotFound();
  return toOrganizationUser(row);
}
