import { and, eq, isNull, ne } from "drizzle-orm";
import type { ControlDb } from "../../../db/client";
import { memberships, tenants } from "../../../db/control/schema";

/**
 * False when the user is an active member of a live organization that requires single sign-on
 * (`ssoOnly`): such a user must sign in with Google or Microsoft, never with a password. Password sign-in
 * (and the password grant of the token endpoint) must call this after verifying the password and before
 * creating a session. Since the password was right, the refusal may say why ("use your organization's
 * sign-in") without revealing anything.
 */
export async function passwordSignInAllowed(control: ControlDb, userId: string): Promise<boolean> {
  const rows = await control
    .select({ id: tenants.id })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(
      and(
        eq(memberships.userId, userId),
        eq(memberships.status, "active"),
        isNull(memberships.deletedAt),
        eq(tenants.ssoOnly, true),
        isNull(tenants.deletedAt),
        ne(tenants.status, "deleted"),
      ),
    )
    .limit(1);
  return rows.length === 0;
}
