import { peopleSearchInput, peopleSearchOutput } from "../../../../shared/schemas/projects";
import { requirePermission, router } from "../../../trpc/init";
import { searchPeople } from "./search";

/** Whom issues can name: the people picker (projects.people.*). */
export const peopleRouter = router({
  /** Active members and live groups matching a name or address, for assignee and requester pickers. */
  search: requirePermission("projects.read")
    .meta({
      rest: {
        method: "GET",
        path: "/projects/people",
        tag: "Projects: People",
        summary: "Find people and groups to assign",
      },
    })
    .input(peopleSearchInput)
    .output(peopleSearchOutput)
    .query(({ ctx, input }) =>
      searchPeople(ctx.db, { control: ctx.control, tenantId: ctx.tenant.id, input }),
    ),
});
