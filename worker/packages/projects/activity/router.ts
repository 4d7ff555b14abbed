import { listActivityInput, listActivityOutput } from "../../../../shared/schemas/issue-extras";
import { requirePermission, router } from "../../../trpc/init";
import { listActivity } from "./list";

const reader = requirePermission("projects.read");

/** An issue's activity feed (projects.activity.*). History rows are written by each change: ./history.ts. */
export const activityRouter = router({
  /** Field history and comments of an issue, in one time-ordered feed with the actors' names. */
  list: reader
    .meta({
      rest: {
        method: "GET",
        path: "/projects/issues/{issueId}/activity",
        tag: "Projects: Activity",
        summary: "An issue's activity feed",
      },
    })
    .input(listActivityInput)
    .output(listActivityOutput)
    .query(({ ctx, input }) => listActivity(ctx.db, { control: ctx.control, input })),
});
