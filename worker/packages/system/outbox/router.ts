import { listOutboxInput, listOutboxOutput } from "../../../../shared/schemas/invitations";
import { requirePermission, router } from "../../../trpc/init";
import { listOutbox } from "./list";

/** Email Nexus captured or sent for the organization. */
export const outboxRouter = router({
  /** The organization's email, newest first: subject, recipient, status and the text body. */
  list: requirePermission("system.admin")
    .input(listOutboxInput)
    .output(listOutboxOutput)
    .query(({ ctx, input }) => listOutbox(ctx.control, { tenantId: ctx.tenant.id, input })),
});
