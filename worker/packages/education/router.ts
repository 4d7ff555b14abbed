import {
  listSchoolsInput,
  listSchoolsOutput,
  openSchoolInput,
  school,
  schoolLifecycleInput,
} from "../../../shared/schemas/education";
import { requirePermission, router } from "../../trpc/init";
import { closeSchool, listSchools, openSchool, reopenSchool } from "./schools";

const reader = requirePermission("education.read");
/** Opening, closing and reopening the district's schools is its administrators' business. */
const admin = requirePermission("education.admin");

export const educationRouter = router({
  schools: router({
    /** Schools of the current organization, by name; search by name, building code, principal or city. */
    list: reader
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
      .query(({ ctx, input }) => listSchools(ctx, input)),

    /** Opens a new school on a day (its building code unique in the organization); audited. */
    open: admin
      .meta({
        rest: {
          method: "POST",
          path: "/education/schools",
          tag: "Education: Schools",
          summary: "Open a school",
        },
      })
      .input(openSchoolInput)
      .output(school)
      .mutation(({ ctx, input }) => openSchool(ctx, input)),

    /** Closes an open school from a day, for a reason (audited): it takes no new issues from then on. */
    close: admin
      .meta({
        rest: {
          method: "POST",
          path: "/education/schools/{id}/close",
          tag: "Education: Schools",
          summary: "Close a school",
        },
      })
      .input(schoolLifecycleInput)
      .output(school)
      .mutation(({ ctx, input }) => closeSchool(ctx, input)),

    /** Reopens a closed school from a day, for a reason (audited). */
    reopen: admin
      .meta({
        rest: {
          method: "POST",
          path: "/education/schools/{id}/reopen",
          tag: "Education: Schools",
          summary: "Reopen a school",
        },
      })
      .input(schoolLifecycleInput)
      .output(school)
      .mutation(({ ctx, input }) => reopenSchool(ctx, input)),
  }),
});
