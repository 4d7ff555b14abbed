import { and, eq, inArray } from "drizzle-orm";
import { auditBy, auditIfChanged } from "../../../../db/audit";
import type { ControlContext } from "../../../../db/context";
import { invitations } from "../../../../db/control/schema";
import { AppError } from "../../../../shared/errors";
import { effectiveStatus, loadInvitations } from "./views";

/**
 * Revokes a pending (or expired) invitation: its link stops working at once. Revoking a revoked one changes
 * nothing; an accepted one cannot be revoked (remove the member instead).
 */
export async function revokeInvitation(ctx: ControlContext, params: { id: string; now?: Date }) {
  const { control } = ctx;
  const tenantId = ctx.tenant.id;
  const now = params.now ?? new Date();
  const current = await control.query.invitations.findFirst({
    where: and(eq(invitations.id, params.id), eq(invitations.tenantId, tenantId)),
  });
  if (!current) throw new AppError("NOT_FOUND", "There is no such invitation in this organization.");
  const status = effectiveStatus(current, now);
  if (status === "accepted") {
    throw new AppError("CONFLICT", "This invitation was already accepted. Remove the member instead.", {
      reason: "invitation_accepted",
    });
  }
  if (status !== "revoked") {
    const [updated] = await control.batch([
      control
        .update(invitations)
        .set({ status: "revoked", updatedAt: now })
        .where(and(eq(invitations.id, current.id), inArray(invitations.status, ["pending", "expired"])))
        .returning({ id: invitations.id }),
      auditIfChanged(
        control,
        auditBy(ctx, "invitation", current.id, {
          action: "invitation.revoked",
          before: { status, email: current.email, role: current.role },
          after: { status: "revoked" },
        }),
        now,
      ),
    ]);
    if (updated.length === 0) {
      const latest = await control.query.invitations.findFirst({ where: eq(invitations.id, current.id) });
      if (latest?.status === "accepted") {
        throw new AppError("CONFLICT", "This invitation was accepted meanwhile. Remove the member instead.", {
          reason: "invitation_accepted",
        });
      }
    }
  }
  const views = await loadInvitations(control, tenantId, [current.id], now);
  return { invitation: views.get(current.id)! };
}
