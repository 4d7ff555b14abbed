import { and, eq, inArray, type SQL } from "drizzle-orm";
import type { ControlDb } from "../../../../db/client";
import { invitations, users } from "../../../../db/control/schema";
import type { Invitation, InvitationStatus } from "../../../../shared/schemas/invitations";

export type InvitationRow = typeof invitations.$inferSelect;

/** The columns an invitation is shown with: never its token hash. */
export const invitationColumns = {
  id: invitations.id,
  tenantId: invitations.tenantId,
  email: invitations.email,
  role: invitations.role,
  status: invitations.status,
  expiresAt: invitations.expiresAt,
  sendCount: invitations.sendCount,
  lastSentAt: invitations.lastSentAt,
  acceptedAt: invitations.acceptedAt,
  createdAt: invitations.createdAt,
  inviterId: users.id,
  inviterName: users.name,
  inviterEmail: users.email,
};

type ViewRow = {
  [K in keyof typeof invitationColumns]: K extends `inviter${string}`
    ? string | null
    : InvitationRow[K & keyof InvitationRow];
};

/** A pending invitation past its expiry is expired, whether or not a sweep has marked it yet. */
export function effectiveStatus(
  row: Pick<InvitationRow, "status" | "expiresAt">,
  now = new Date(),
): InvitationStatus {
  return row.status === "pending" && row.expiresAt.getTime() <= now.getTime() ? "expired" : row.status;
}

export function toInvitation(row: ViewRow, now = new Date()): Invitation {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    status: effectiveStatus(row, now),
    expiresAt: row.expiresAt.toISOString(),
    sendCount: row.sendCount,
    lastSentAt: row.lastSentAt?.toISOString() ?? null,
    acceptedAt: row.acceptedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    invitedBy:
      row.inviterId && row.inviterName !== null && row.inviterEmail !== null
        ? { id: row.inviterId, name: row.inviterName, email: row.inviterEmail }
        : null,
  };
}

/** The organization's invitations matching `where`, with who sent them. */
export function selectInvitations(control: ControlDb, tenantId: string, where?: SQL) {
  return control
    .select(invitationColumns)
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.invitedById))
    .where(and(eq(invitations.tenantId, tenantId), where));
}

export async function loadInvitations(
  control: ControlDb,
  tenantId: string,
  ids: string[],
  now = new Date(),
): Promise<Map<string, Invitation>> {
  if (ids.length === 0) return new Map();
  const rows = await selectInvitations(control, tenantId, inArray(invitations.id, ids));
  return new Map(rows.map((row) => [row.id, toInvitation(row, now)]));
}
