/** The global search (system.search.query): one box that finds objects of every package. */
import { z } from "zod";
import { searchText, singleLineText } from "./text";

export const searchQueryInput = z
  .object({
    /** What the person typed. Words are matched stemmed; the last one may be the start of a word. */
    q: searchText({ min: 1, minMessage: "Type something to search for.", max: 200 }),
    /** At most this many results in all. */
    limit: z.number().int().min(1).max(50).default(20),
    /** Only these object types (e.g. ["issue"]); left out, every type the caller may read. */
    types: z
      .array(singleLineText({ min: 1, max: 40 }))
      .min(1)
      .max(20)
      .optional(),
  })
  .strict();
export type SearchQueryInput = z.input<typeof searchQueryInput>;

/** Where in `snippet` the matched words are: [start, end) offsets in UTF-16 code units. */
export const highlight = z.object({ start: z.number().int(), end: z.number().int() });

export const searchHit = z.object({
  objectId: z.string(),
  title: z.string(),
  /** A second line, e.g. "TECH-42 · Incident · In progress". */
  subtitle: z.string().nullable(),
  /** Where the object opens in the client, under the organization: e.g. /projects/issues/<id>. */
  path: z.string(),
  /** Plain text around the best match. */
  snippet: z.string(),
  highlights: z.array(highlight),
  /** Relevance (higher is better). */
  score: z.number(),
});
export type SearchHit = z.infer<typeof searchHit>;

/** Results grouped by object type, best group (by its best hit) first; within a group best first. */
export const searchQueryOutput = z.object({
  groups: z.array(
    z.object({
      objectType: z.string(),
      /** e.g. "Issues" */
      label: z.string(),
      items: z.array(searchHit),
    }),
  ),
});
export type SearchQueryOutput = z.infer<typeof searchQueryOutput>;
