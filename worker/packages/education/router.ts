import { listSchoolsInput, listSchoolsOutput } from "../../../shared/schemas/education";
import { requirePermission, router } from "../../trpc/init";
import { listSchools } from "./schools";

export const educationRouter = router({
  schools: router({
    /** Schools of the current organization, by name. */
    list: requirePermission("education.read")
      .meta({
        rest: {
          method: "GET",
          path: "/education/schools",
          tag: "Education: Schools",
          summary: "List schools",
        },
      })
      .input(listSchoolsInput)
      .output(listSchoolsOutput)
      .query(({ ctx, input }) => listSchools(ctx.db, input)),
  }),
});
