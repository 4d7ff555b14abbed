import type { ControlContext, UserActor } from "../../../../db/context";
import { AppError } from "../../../../shared/errors";
import { type CreateInvitationInput, createInvitationInput } from "../../../../shared/schemas/invitations";
import { type InvitationEnv, inviteMany } from "./issue";
import { assertMayGrant, loadOrganization } from "./members";

/**
 * Invites one address. Idempotent: while an invitation to the address is pending, it is returned as it is
 * (`created: false`, no email). An address that already belongs to an active member is a CONFLICT.
 */
export async function createInvitation(
  ctx: ControlContext<UserActor>,
  params: { env: InvitationEnv; input: CreateInvitationInput; now?: Date },
) {
  const input = createInvitationInput.parse(params.input);
  const organization = await loadOrganization(ctx.control, ctx.tenant.id);
  const role = input.role ?? organization.defaultRole;
  assertMayGrant(ctx.tenant.role, role);
  const outcomes = await inviteMany(ctx, {
    organizationName: organization.name,
    env: params.env,
    entries: [{ email: input.email, role }],
    now: params.now,
  });
  const outcome = outcomes[0]!;
  switch (outcome.kind) {
    case "invited":
      return { invitation: outcome.invitation, created: true, delivery: outcome.delivery };
    case "already_invited":
      return { invitation: outcome.invitation, created: false, delivery: null };
    case "already_member":
      throw new AppError("CONFLICT", `${input.email} is already a member of this organization.`, {
        reason: "already_member",
        fieldErrors: { email: ["Already a member of this organization"] },
      });
    case "refused":
      throw outcome.error;
  }
}
