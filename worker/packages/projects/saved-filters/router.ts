import { z } from "zod";
import {
  createSavedFilterInput,
  listSavedFiltersOutput,
  savedFilter,
  savedFilterIdInput,
  updateSavedFilterInput,
} from "../../../../shared/schemas/issues";
import { requirePermission, router } from "../../../trpc/init";
import { projectsContextOf } from "../actor";
import { createSavedFilter, deleteSavedFilter, listSavedFilters, updateSavedFilter } from "./service";

// Saved filters are the caller's own: anyone who may read issues may keep presets of the list.
const reader = requirePermission("projects.read");

/** The caller's saved filter presets of the issue list (nobody else sees them). */
export const savedFiltersRouter = router({
  list: reader
    .input(z.void())
    .output(listSavedFiltersOutput)
    .query(({ ctx }) => listSavedFilters(projectsContextOf(ctx))),

  create: reader
    .input(createSavedFilterInput)
    .output(savedFilter)
    .mutation(({ ctx, input }) => createSavedFilter(projectsContextOf(ctx), input)),

  update: reader
    .input(updateSavedFilterInput)
    .output(savedFilter)
    .mutation(({ ctx, input }) => updateSavedFilter(projectsContextOf(ctx), input)),

  delete: reader
    .input(savedFilterIdInput)
    .output(z.object({ deleted: z.literal(true) }))
    .mutation(({ ctx, input }) => deleteSavedFilter(projectsContextOf(ctx), input.id)),
});
