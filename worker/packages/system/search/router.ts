import { allows } from "../../../../db/context";
import { searchQueryInput, searchQueryOutput } from "../../../../shared/schemas/search";
import { searchRegistry } from "../../../searchable";
import { router, tenantProcedure } from "../../../trpc/init";
import { runGlobalSearch } from "./query";

/** The global search across packages (the top bar's box). */
export const searchRouter = router({
  /**
   * Objects of the organization matching what was typed, grouped by type; only types the caller's role
   * (and token scopes) may read. Hostile input is searched for as words, never run as query syntax.
   */
  query: tenantProcedure
    .input(searchQueryInput)
    .output(searchQueryOutput)
    .query(({ ctx, input }) =>
      runGlobalSearch(ctx.db, {
        control: ctx.control,
        registry: searchRegistry,
        may: (p) => allows(ctx, p),
        q: input.q,
        limit: input.limit,
        ...(input.types ? { types: input.types } : {}),
      }),
    ),
});
