import { and, eq, inArray } from "drizzle-orm";
import { auditBy, auditIfChanged } from "../../../../db/audit";
import type { ControlContext, UserActor } from "../../../../db/context";
import { invitations } from "../../../../db/control/schema";
import { isUniqueViolation } from "../../../../db/errors";
import { AppError } from "../../../../shared/errors";
import { consumeRateLimit, limits } from "../../../auth/rate-limit";
import { sendEmail } from "../../../email";
import { invitationEmail } from "./email";
import type { InvitationEnv } from "./issue";
import { activeMemberEmails, loadOrganization, mayGrant } from "./members";
import {
  generateInvitationToken,
  INVITATION_TTL_MS,
  invitationLink,
  invitationTokenHash,
  publicUrlOf,
} from "./tokens";
import { effectiveStatus, loadInvitations } from "./views";

const notFound = () => new AppError("NOT_FOUND", "There is no such invitation in this organization.");

/**
 * Sends a pending (or expired) invitation again with a new token and a new 7-day expiry: the link in any
 * earlier email stops working. Accepted and revoked invitations cannot be resent.
 */
export async function resendInvitation(
  ctx: ControlContext<UserActor>,
  params: { env: InvitationEnv; id: string; now?: Date },
) {
  const { control, actor } = ctx;
  const tenantId = ctx.tenant.id;
  const { env } = params;
  const now = params.now ?? new Date();
  const organization = await loadOrganization(control, tenantId);
  const current = await control.query.invitations.findFirst({
    where: and(eq(invitations.id, params.id), eq(invitations.tenantId, tenantId)),
  });
  if (!current) throw notFound();
  const status = effectiveStatus(current, now);
  if (status === "accepted" || status === "revoked") {
    throw new AppError("CONFLICT", `This invitation was ${status}, so it cannot be sent again.`, {
      reason: `invitation_${status}`,
    });
  }
  if (!mayGrant(ctx.tenant.role, current.role)) {
    throw new AppError("FORBIDDEN", "Only an owner can send an invitation to become an owner.");
  }
  if ((await activeMemberEmails(control, tenantId, [current.email])).has(current.email)) {
    throw new AppError("CONFLICT", `${current.email} is already a member of this organization.`, {
      reason: "already_member",
    });
  }
  const token = generateInvitationToken();
  const link = invitationLink(publicUrlOf(env), token);
  await consumeRateLimit(control, limits.invitationsPerTenant, tenantId);
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
  const sendCount = current.sendCount + 1;
  try {
    const [updated] = await control.batch([
      control
        .update(invitations)
        .set({
          tokenHash: invitationTokenHash(token),
          status: "pending",
          expiresAt,
          sendCount,
          lastSentAt: now,
          updatedAt: now,
        })
        // Unchanged since it was read: a concurrent resend, revoke or acceptance wins.
        .where(
          and(
            eq(invitations.id, current.id),
            eq(invitations.tokenHash, current.tokenHash),
            inArray(invitations.status, ["pending", "expired"]),
          ),
        )
        .returning({ id: invitations.id }),
      auditIfChanged(
        control,
        auditBy(ctx, "invitation", current.id, {
          action: "invitation.resent",
          before: { status, expiresAt: current.expiresAt.toISOString(), sendCount: current.sendCount },
          after: { status: "pending", expiresAt: expiresAt.toISOString(), sendCount },
        }),
        now,
      ),
    ]);
    if (updated.length === 0) {
      throw new AppError("CONFLICT", "This invitation changed meanwhile. Reload it and try again.");
    }
  } catch (error) {
    if (isUniqueViolation(error, "invitations.tenant_id, invitations.email")) {
      throw new AppError("CONFLICT", `A newer invitation to ${current.email} is already pending.`, {
        reason: "already_invited",
      });
    }
    throw error;
  }
  const views = await loadInvitations(control, tenantId, [current.id], now);
  const delivery = await sendEmail(
    env,
    control,
    invitationEmail({
      tenantId,
      organizationName: organization.name,
      inviterName: actor.name,
      to: current.email,
      role: current.role,
      link,
      token,
      expiresAt,
    }),
    { now },
  );
  return { invitation: views.get(current.id)!, delivery };
}
