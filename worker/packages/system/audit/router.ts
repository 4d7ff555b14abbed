import { listAuditInput, listAuditOutput } from "../../../../shared/schemas/organizations";
import { requirePermission, router } from "../../../trpc/init";
import { listAudit } from "./list-audit";

/** The organization's audit trail. */
export const auditRouter = router({
  /**
   * Entries recorded for the organization plus its members' sign-in events, newest first, filtered by
   * action prefix, actor, target type, dates and text in the action (administrators).
   */
  list: requirePermission("system.admin")
    .meta({
      rest: {
        method: "GET",
        path: "/system/audit",
        tag: "System: Audit log",
        summary: "List the organization's audit log",
      },
    })
    .input(listAuditInput)
    .output(listAuditOutput)
    .query(({ ctx, input }) => listAudit(ctx.control, ctx.tenant.id, input)),
});
