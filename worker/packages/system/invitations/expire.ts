import { and, eq, inArray, lte, type SQL } from "drizzle-orm";
import { auditBy, auditRow } from "../../../../db/audit";
import type { ControlDb } from "../../../../db/client";
import { systemActor } from "../../../../db/context";
import { auditLog, invitations } from "../../../../db/control/schema";

/** Invitations run out by themselves: the system records it, whoever's request or job noticed. */
const expiry = systemActor("invitations.expire");

/**
 * Marks pending invitations whose time has run out as `expired`, each with an audit row, and returns how
 * many. With no scope it sweeps every organization (what a scheduled job calls); reads scope it to the
 * organization, or the rows, they are about to show, so what they show is already marked.
 */
export async function expireInvitations(
  control: ControlDb,
  now = new Date(),
  scope: { tenantId?: string; emails?: string[]; ids?: string[] } = {},
): Promise<number> {
  const where: SQL[] = [eq(invitations.status, "pending"), lte(invitations.expiresAt, now)];
  if (scope.tenantId) where.push(eq(invitations.tenantId, scope.tenantId));
  if (scope.emails) {
    if (scope.emails.length === 0) return 0;
    where.push(inArray(invitations.email, scope.emails));
  }
  if (scope.ids) {
    if (scope.ids.length === 0) return 0;
    where.push(inArray(invitations.id, scope.ids));
  }
  // RETURNING names exactly the rows this statement changed, so concurrent sweeps never audit one twice.
  const expired = await control
    .update(invitations)
    .set({ status: "expired", updatedAt: now })
    .where(and(...where))
    .returning({ id: invitations.id, tenantId: invitations.tenantId, expiresAt: invitations.expiresAt });
  for (let i = 0; i < expired.length; i += 100) {
    await control.insert(auditLog).values(
      expired.slice(i, i + 100).map((row) =>
        auditRow(
          auditBy({ actor: expiry, tenant: { id: row.tenantId } }, "invitation", row.id, {
            action: "invitation.expired",
            before: { status: "pending", expiresAt: row.expiresAt.toISOString() },
            after: { status: "expired" },
          }),
          now,
        ),
      ),
    );
  }
  return expired.length;
}
