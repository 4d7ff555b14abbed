import { z } from "zod/mini";

/**
 * What a collection page declares about its object's list, beside the registry entry: the filters and
 * sorts it offers. Each filter is one URL search parameter, so a filtered list can be shared and survives a
 * reload; `searchSchemaOf` turns the declaration into the route's `validateSearch`. Pure data and zod, no
 * React: route files import it, and the filter bar reads the same declaration to draw its controls.
 */

export interface FilterOption {
  readonly value: string;
  readonly label: string;
}

interface FilterBase {
  /** The URL search parameter. */
  readonly key: string;
  readonly label: string;
}

/** Words to look for (the page's search box; `/` focuses it). */
export interface SearchFilter extends FilterBase {
  readonly kind: "search";
  readonly placeholder?: string;
  readonly maxLength?: number;
  readonly inputId?: string;
}

/** Free text with suggestions (an audit action prefix). */
export interface TextFilter extends FilterBase {
  readonly kind: "text";
  readonly placeholder?: string;
  readonly suggestions?: readonly string[];
  readonly maxLength?: number;
}

/** One of a fixed list; the URL keeps only those values. */
export interface SelectFilter extends FilterBase {
  readonly kind: "select";
  readonly options: readonly FilterOption[];
  /** The empty choice's words ("All"). */
  readonly allLabel?: string;
  /** The option the empty choice stands for (a default sort): not listed again, its label used for the empty choice. */
  readonly initial?: string;
}

/** One of a list known only when shown (projects, schools, people): the URL keeps any value that fits. */
export interface LookupFilter extends FilterBase {
  readonly kind: "lookup";
  readonly allLabel?: string;
  readonly pattern?: RegExp;
  readonly maxLength?: number;
}

/** A day, `YYYY-MM-DD`. */
export interface DateFilter extends FilterBase {
  readonly kind: "date";
}

export type FilterDecl = SearchFilter | TextFilter | SelectFilter | LookupFilter | DateFilter;

export type SortDirection = "asc" | "desc";
export interface SortState<K extends string = string> {
  key: K;
  direction: SortDirection;
}

/** Sorts the server offers by column: URL `sort` (one of `keys`) and `dir`. */
export interface SortDecl<K extends string = string> {
  readonly keys: readonly [K, ...K[]];
  readonly initial: SortState<K>;
}

export interface CollectionDecl<
  F extends readonly FilterDecl[] = readonly FilterDecl[],
  S extends string = string,
> {
  readonly filters: F;
  readonly sort?: SortDecl<S>;
  /** Records open in an inspector sheet: URL `open` holds the open record's key. */
  readonly inspector?: boolean;
}

type FilterValue<F> = F extends { kind: "select"; options: readonly { value: infer V extends string }[] }
  ? V
  : string;

/** The URL search a set of filters reads as: each filter's value, or absent. */
export type FilterSearch<F extends readonly FilterDecl[]> = {
  [D in F[number] as D["key"]]?: FilterValue<D>;
};

/** The URL search a collection declaration reads as. */
export type CollectionSearch<D extends CollectionDecl> = FilterSearch<D["filters"]> &
  (D["sort"] extends SortDecl<infer K> ? { sort?: K; dir?: SortDirection } : unknown) &
  (D["inspector"] extends true ? { open?: string } : unknown);

/** Declares a collection, keeping its literal keys and option values for the types above. */
export function defineCollection<const D extends CollectionDecl>(decl: D): D {
  return decl;
}

const isoDay = /^\d{4}-\d{2}-\d{2}$/;
const DEFAULT_MAX_LENGTH = 100;
const absent = <T extends z.ZodMiniType>(schema: T) => z.catch(z.optional(schema), undefined);

/**
 * The schema of one filter's value. A value typed into the address bar may parse as a number (`?search=12`),
 * so text is coerced; a value that does not fit reads as absent.
 */
export function filterValueSchema(filter: FilterDecl): z.ZodMiniType<string> {
  switch (filter.kind) {
    case "search":
    case "text":
      return z.coerce.string().check(z.maxLength(filter.maxLength ?? DEFAULT_MAX_LENGTH));
    case "select": {
      const values = filter.options.map((o) => o.value);
      // An empty list admits nothing: a value that is not offered is absent.
      return values.length > 0 ? z.enum(values as [string, ...string[]]) : z.never();
    }
    case "lookup":
      return z.coerce
        .string()
        .check(
          z.minLength(1),
          z.maxLength(filter.maxLength ?? 64),
          ...(filter.pattern ? [z.regex(filter.pattern)] : []),
        );
    case "date":
      return z.string().check(z.regex(isoDay));
  }
}

/** The route's `validateSearch`: declared parameters only, each valid or absent (never an error page). */
export function searchSchemaOf<D extends CollectionDecl>(
  decl: D,
): z.ZodMiniType<CollectionSearch<D>, CollectionSearch<D>> {
  const shape: Record<string, z.ZodMiniType> = {};
  for (const filter of decl.filters) shape[filter.key] = absent(filterValueSchema(filter));
  if (decl.sort) {
    shape.sort = absent(z.enum(decl.sort.keys as unknown as [string, ...string[]]));
    shape.dir = absent(z.enum(["asc", "desc"]));
  }
  if (decl.inspector) shape.open = absent(z.string().check(z.minLength(1), z.maxLength(64)));
  return z.object(shape) as unknown as z.ZodMiniType<CollectionSearch<D>, CollectionSearch<D>>;
}

type Values = Readonly<Record<string, unknown>>;

const hasValue = (value: unknown) => value !== undefined && value !== null && value !== "";

/** Whether any declared filter narrows the list (a sort or an open record does not). */
export function isFiltered(filters: readonly FilterDecl[], values: Values): boolean {
  return filters.some((f) => hasValue(values[f.key]));
}

/** How many filters beside the search box are set: the count on the narrow screen's "Filters" button. */
export function activeFilterCount(filters: readonly FilterDecl[], values: Values): number {
  return filters.filter((f) => f.kind !== "search" && hasValue(values[f.key])).length;
}

/** The search patch that clears every declared filter (and keeps the sort). */
export function clearedFilters(filters: readonly FilterDecl[]): Record<string, undefined> {
  return Object.fromEntries(filters.map((f) => [f.key, undefined]));
}

/** Only the declared filters' values of a search: what the list's query depends on besides the sort. */
export function filterValues<F extends readonly FilterDecl[]>(filters: F, values: Values): FilterSearch<F> {
  const out: Record<string, unknown> = {};
  for (const f of filters) if (hasValue(values[f.key])) out[f.key] = values[f.key];
  return out as FilterSearch<F>;
}

/** The sort a search asks for, or the declared initial one. */
export function sortOf<K extends string>(
  sort: SortDecl<K>,
  values: { sort?: K | undefined; dir?: SortDirection | undefined },
): SortState<K> {
  return { key: values.sort ?? sort.initial.key, direction: values.dir ?? sort.initial.direction };
}
