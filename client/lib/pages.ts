import { infiniteQueryOptions, type QueryKey } from "@tanstack/react-query";

/**
 * Infinite-query options for a cursor-paged list procedure whose input is strict (takes only its own
 * fields, so not the `direction` tRPC's infinite helpers add): each page asks with the previous page's
 * `nextCursor`. `queryKey` should be the procedure's own infinite key, so its path filter invalidates it.
 */
export function cursorPages<Input extends object, Page extends { nextCursor: string | null }>(
  queryKey: QueryKey,
  input: Input,
  fetchPage: (input: Input & { cursor?: string }, signal: AbortSignal) => Promise<Page>,
) {
  return infiniteQueryOptions({
    queryKey,
    queryFn: ({ pageParam, signal }) =>
      fetchPage({ ...input, ...(pageParam ? { cursor: pageParam } : {}) }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page: Page) => page.nextCursor ?? undefined,
  });
}
