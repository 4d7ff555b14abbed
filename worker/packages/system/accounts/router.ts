import { z } from "zod";
import { identifier } from "../../../../shared/schemas/text";
import { rootAdminProcedure, router } from "../../../trpc/init";
import { changeAccountStatus } from "./account-status";

const accountInput = z.object({ userId: identifier() });
const accountOutput = z.object({
  userId: z.string(),
  status: z.enum(["active", "deactivated"]),
  deleted: z.boolean(),
});

/** One procedure per lifecycle change; they differ only in the change they make. */
function lifecycle(change: Parameters<typeof changeAccountStatus>[3]) {
  return rootAdminProcedure
    .input(accountInput)
    .output(accountOutput)
    .mutation(({ ctx, input }) => changeAccountStatus(ctx.control, ctx.actor, input.userId, change));
}

/** Platform-wide account administration, for administrators of the Global organization acting in it. */
export const accountsRouter = router({
  deactivate: lifecycle("deactivate"),
  reactivate: lifecycle("reactivate"),
  delete: lifecycle("delete"),
});
