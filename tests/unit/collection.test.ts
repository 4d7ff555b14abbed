import fc from "fast-check";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  activeFilterCount,
  type CollectionSearch,
  clearedFilters,
  defineCollection,
  filterValues,
  isFiltered,
  searchSchemaOf,
  sortOf,
} from "../../client/lib/collection";
import { filtersOf, type IssueSearch, issueSearchSchema } from "../../client/lib/issues";

const people = defineCollection({
  filters: [
    { kind: "search", key: "search", label: "Search people", maxLength: 10 },
    {
      kind: "select",
      key: "status",
      label: "Status",
      options: [
        { value: "active", label: "Active" },
        { value: "deactivated", label: "Deactivated" },
      ],
    },
    { kind: "lookup", key: "group", label: "Group", pattern: /^g-\d+$/ },
    { kind: "text", key: "action", label: "Action" },
    { kind: "date", key: "from", label: "From" },
  ],
  sort: { keys: ["name", "createdAt"], initial: { key: "name", direction: "asc" } },
  inspector: true,
});
const schema = searchSchemaOf(people);
const parse = (raw: Record<string, unknown>) => schema["~standard"].validate(raw) as { value: unknown };

describe("a collection's declared filters as the URL search", () => {
  it("keeps each declared parameter that fits its declaration", () => {
    expect(
      parse({
        search: "avery",
        status: "deactivated",
        group: "g-12",
        action: "membership.",
        from: "2026-03-01",
        sort: "createdAt",
        dir: "desc",
        open: "u-1",
      }).value,
    ).toEqual({
      search: "avery",
      status: "deactivated",
      group: "g-12",
      action: "membership.",
      from: "2026-03-01",
      sort: "createdAt",
      dir: "desc",
      open: "u-1",
    });
  });

  it("reads a value that does not fit as absent instead of failing the page", () => {
    const parsed = parse({
      search: "x".repeat(11),
      status: "asleep",
      group: "h-1",
      from: "March 1st",
      sort: "email",
      dir: "sideways",
      open: "",
    }).value as Record<string, unknown>;
    expect(Object.values(parsed).filter((v) => v !== undefined)).toEqual([]);
  });

  it("coerces what the address bar parsed as a number back to text, and drops undeclared parameters", () => {
    expect(parse({ search: 12, action: 7, page: 3 }).value).toMatchObject({ search: "12", action: "7" });
    expect(parse({ page: 3 }).value).not.toHaveProperty("page");
  });

  it("never fails whatever the address holds, and keeps only declared keys", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (raw) => {
        const result = schema["~standard"].validate(raw) as { value?: object; issues?: unknown };
        expect(result.issues).toBeUndefined();
        const allowed = new Set([...people.filters.map((f) => f.key), "sort", "dir", "open"]);
        for (const key of Object.keys(result.value ?? {})) expect(allowed.has(key)).toBe(true);
      }),
    );
  });

  it("types the search from the declaration: option values, sort keys and the open record", () => {
    expectTypeOf<CollectionSearch<typeof people>["status"]>().toEqualTypeOf<
      "active" | "deactivated" | undefined
    >();
    expectTypeOf<CollectionSearch<typeof people>["sort"]>().toEqualTypeOf<"name" | "createdAt" | undefined>();
    expectTypeOf<CollectionSearch<typeof people>["open"]>().toEqualTypeOf<string | undefined>();
  });
});

describe("what a collection page reads from its search", () => {
  const search = { search: "  ", status: "active", group: "g-1", sort: "createdAt", open: "u-1" } as const;

  it("says whether filters narrow the list, counting those behind the Filters button", () => {
    expect(isFiltered(people.filters, { sort: "createdAt", open: "u-1" })).toBe(false);
    expect(isFiltered(people.filters, { search: "avery" })).toBe(true);
    expect(activeFilterCount(people.filters, search)).toBe(2);
    expect(activeFilterCount(people.filters, { search: "avery" })).toBe(0);
  });

  it("clears every filter and keeps the sort", () => {
    expect({ ...search, ...clearedFilters(people.filters) }).toEqual({
      search: undefined,
      status: undefined,
      group: undefined,
      action: undefined,
      from: undefined,
      sort: "createdAt",
      open: "u-1",
    });
    expect(filterValues(people.filters, search)).toEqual({ search: "  ", status: "active", group: "g-1" });
  });

  it("falls back to the declared sort", () => {
    expect(sortOf(people.sort, {})).toEqual({ key: "name", direction: "asc" });
    expect(sortOf(people.sort, { sort: "createdAt" })).toEqual({ key: "createdAt", direction: "asc" });
    expect(sortOf(people.sort, { dir: "desc" })).toEqual({ key: "name", direction: "desc" });
  });
});

describe("the issue list's declaration", () => {
  const parseIssues = (raw: Record<string, unknown>) =>
    (issueSearchSchema["~standard"].validate(raw) as { value: IssueSearch }).value;

  it("reads the URLs the issue list has always written", () => {
    const search = parseIssues({
      q: "printer",
      type: "incident",
      status: "in_progress",
      priority: "high",
      assignee: "me",
      project: "shared:tech",
      school: "none",
      sort: "priority.desc",
      archived: "yes",
    });
    expect(filtersOf(search, "me-1")).toEqual({
      filters: {
        search: "printer",
        type: ["incident"],
        status: ["in_progress"],
        priority: ["high"],
        assigneeUserId: "me-1",
        projectScope: "shared",
        projectId: "tech",
        schoolId: null,
        archived: true,
      },
      sort: { field: "priority", direction: "desc" },
    });
  });

  it("drops a project that is not <scope>:<id> and a sort it does not offer", () => {
    const search = parseIssues({ project: "elsewhere:tech", sort: "title.asc", status: "asleep" });
    expect(filtersOf(search, "me-1")).toEqual({
      filters: {},
      sort: { field: "updatedAt", direction: "desc" },
    });
  });
});
