import { z } from "zod";
import {
  createSavedFilterInput,
  listSavedFiltersOutput,
  savedFilter,
  savedFilterIdInput,
  updateSavedFilterInput,
} from "../../../../shared/schemas/issues";
import { requirePermission, router } from "../../../trpc/init";
import { createSavedFilter, deleteSavedFilter, listSavedFilters, updateSavedFilter } from "./service";

// Saved filters are the caller's own: anyone who may read issues may keep presets of the list.
const reader = requirePermission("projects.read");

/** The caller's saved filter presets of the issue list (nobody else sees them). */
export const savedFiltersRouter = router({
  list: reader
    .meta({
      rest: {
        method: "GET",
        path: "/projects/saved-filters",
        tag: "Projects: Saved filters",
        summary: "List the caller's saved filters",
      },
    })
    .input(z.void())
    .output(listSavedFiltersOutput)
    .query(({ ctx }) => listSavedFilters(ctx)),

  create: reader
    .meta({
      rest: {
        method: "POST",
        path: "/projects/saved-filters",
        tag: "Projects: Saved filters",
        summary: "Save a filter",
      },
    })
    .input(createSavedFilterInput)
    .output(savedFilter)
    .mutation(({ ctx, input }) => createSavedFilter(ctx, input)),

  update: reader
    .meta({
      rest: {
        method: "PATCH",
        path: "/projects/saved-filters/{id}",
        tag: "Projects: Saved filters",
        summary: "Update a saved filter",
      },
    })
    .input(updateSavedFilterInput)
    .output(savedFilter)
    .mutation(({ ctx, input }) => updateSavedFilter(ctx, input)),

  delete: reader
    .meta({
      rest: {
        method: "DELETE",
        path: "/projects/saved-filters/{id}",
        tag: "Projects: Saved filters",
        summary: "Delete a saved filter",
      },
    })
    .input(savedFilterIdInput)
    .output(z.object({ deleted: z.literal(true) }))
    .mutation(({ ctx, input }) => deleteSavedFilter(ctx, input.id)),
});
