import { deskListInput, deskListOutput } from "../../../../shared/schemas/projects";
import { rootAdminProcedure, router } from "../../../trpc/init";
import { listDesk } from "./list";

/** The root service desk: administrators of the root organization, acting in it. */
export const deskRouter = router({
  /** Shared-project issues of every organization (the control database's summary index). */
  list: rootAdminProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/projects/desk",
        tag: "Projects: Desk",
        summary: "List shared-project issues of every organization (root service desk)",
      },
    })
    .input(deskListInput)
    .output(deskListOutput)
    .query(({ ctx, input }) => listDesk(ctx.control, input)),
});
