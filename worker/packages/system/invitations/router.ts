import {
  bulkCreateInvitationsInput,
  bulkCreateInvitationsOutput,
  createInvitationInput,
  createInvitationOutput,
  invitationIdInput,
  listInvitationsInput,
  listInvitationsOutput,
  resendInvitationOutput,
  revokeInvitationOutput,
} from "../../../../shared/schemas/invitations";
import { requirePermission, router } from "../../../trpc/init";
import { bulkCreateInvitations } from "./bulk-create";
import { createInvitation } from "./create";
import { listInvitations } from "./list";
import { resendInvitation } from "./resend";
import { revokeInvitation } from "./revoke";

const admin = requirePermission("system.admin");

/** Invitations to join the organization. */
export const invitationsRouter = router({
  /** The organization's invitations, newest first; filter by status or address. */
  list: admin
    .meta({
      rest: {
        method: "GET",
        path: "/system/invitations",
        tag: "System: Invitations",
        summary: "List invitations",
      },
    })
    .input(listInvitationsInput)
    .output(listInvitationsOutput)
    .query(({ ctx, input }) => listInvitations(ctx.control, { tenantId: ctx.tenant.id, input })),

  /** Invites one address (idempotent while an invitation to it is pending) and emails the link. */
  create: admin
    .meta({
      rest: {
        method: "POST",
        path: "/system/invitations",
        tag: "System: Invitations",
        summary: "Invite someone to the organization",
      },
    })
    .input(createInvitationInput)
    .output(createInvitationOutput)
    .mutation(({ ctx, input }) => createInvitation(ctx, { env: ctx.env, input })),

  /** Invites every address of a CSV (`email,role`), with a result per row. */
  bulkCreate: admin
    .meta({
      rest: {
        method: "POST",
        path: "/system/invitations/bulk",
        tag: "System: Invitations",
        summary: "Invite the addresses of a CSV",
      },
    })
    .input(bulkCreateInvitationsInput)
    .output(bulkCreateInvitationsOutput)
    .mutation(({ ctx, input }) => bulkCreateInvitations(ctx, { env: ctx.env, input })),

  /** Sends the invitation again with a new link and expiry; the old link stops working. */
  resend: admin
    .meta({
      rest: {
        method: "POST",
        path: "/system/invitations/{id}/resend",
        tag: "System: Invitations",
        summary: "Send an invitation again",
      },
    })
    .input(invitationIdInput)
    .output(resendInvitationOutput)
    .mutation(({ ctx, input }) => resendInvitation(ctx, { env: ctx.env, id: input.id })),

  /** Revokes a pending invitation; its link stops working. */
  revoke: admin
    .meta({
      rest: {
        method: "POST",
        path: "/system/invitations/{id}/revoke",
        tag: "System: Invitations",
        summary: "Revoke an invitation",
      },
    })
    .input(invitationIdInput)
    .output(revokeInvitationOutput)
    .mutation(({ ctx, input }) => revokeInvitation(ctx, { id: input.id })),
});
