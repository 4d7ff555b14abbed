import { z } from "zod";
import { serviceLevels, updateServiceLevelsInput } from "../../../../shared/schemas/service-levels";
import { requirePermission, router } from "../../../trpc/init";
import { loadServiceLevels } from "./load";
import { updateServiceLevels } from "./update";

const tag = "Projects: Service levels";

/**
 * The organization's service levels (projects.serviceLevels.*): working hours, holidays and the response
 * and resolution targets by priority that issues' due dates are computed with. Read by all, set by
 * project administrators.
 */
export const serviceLevelsRouter = router({
  /** The policy in force (the defaults when the organization never set one). */
  get: requirePermission("projects.read")
    .meta({
      rest: { method: "GET", path: "/projects/service-levels", tag, summary: "Get the service levels" },
    })
    .input(z.void())
    .output(serviceLevels)
    .query(({ ctx }) => loadServiceLevels(ctx.db, ctx.log)),

  /** Replaces the whole policy; applies to issues filed (or re-prioritised) from now on. */
  update: requirePermission("projects.admin")
    .meta({
      rest: {
        method: "PATCH",
        path: "/projects/service-levels",
        tag,
        summary: "Replace the service levels",
      },
    })
    .input(updateServiceLevelsInput)
    .output(serviceLevels)
    .mutation(({ ctx, input }) => updateServiceLevels(ctx, input)),
});
