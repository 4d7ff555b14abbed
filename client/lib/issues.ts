import { z } from "zod/mini";
import {
  type IssueType,
  type issueLinkKinds,
  issueTypes,
  priorities,
} from "../../shared/schemas/issue-model";
import type { IssueFilters, IssueSort } from "../../shared/schemas/issues";
import { issueStatuses, issueTypeLabels, statusDef, workflows } from "../../shared/schemas/workflows";
import type { Tone } from "../components/ui";
import { type CollectionSearch, defineCollection, type FilterDecl, searchSchemaOf } from "./collection";
import { cursorPages } from "./pages";
import type { TenantApi } from "./trpc";

export { issueTypeLabels };

/** Tags as typed in a form ("a, b ,c") → ["a", "b", "c"]. */
export function splitTags(typed: string): string[] {
  return typed
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
}

export const priorityLabels: Record<(typeof priorities)[number], string> = {
  critical: "Critical",
  high: "High",
  medium: "Medium",
  low: "Low",
};

export const priorityTones: Record<(typeof priorities)[number], Tone> = {
  critical: "danger",
  high: "warning",
  medium: "accent",
  low: "neutral",
};

export function statusLabel(type: IssueType, status: string): string {
  return statusDef(type, status)?.label ?? status;
}

/** Any subtype's label for a status key (filters span subtypes). */
export function anyStatusLabel(status: string): string {
  for (const w of Object.values(workflows)) {
    const found = w.statuses.find((s) => s.key === status);
    if (found) return found.label;
  }
  return status;
}

export function statusTone(type: IssueType, status: string): Tone {
  const category = statusDef(type, status)?.category;
  if (category === "closed") return "neutral";
  if (category === "resolved") return "success";
  return status === workflows[type].initial ? "accent" : "warning";
}

export const slaTones = { met: "success", due: "neutral", breached: "danger", paused: "neutral" } as const;
export const slaLabels = { met: "Met", due: "Due", breached: "Breached", paused: "Paused" } as const;

export const linkKindLabels: Record<(typeof issueLinkKinds)[number], { outgoing: string; incoming: string }> =
  {
    relates_to: { outgoing: "Relates to", incoming: "Relates to" },
    duplicates: { outgoing: "Duplicates", incoming: "Is duplicated by" },
    blocks: { outgoing: "Blocks", incoming: "Is blocked by" },
    caused_by: { outgoing: "Caused by", incoming: "Caused" },
  };

export const sortOptions = [
  { value: "updatedAt.desc", label: "Recently updated" },
  { value: "createdAt.desc", label: "Newest first" },
  { value: "createdAt.asc", label: "Oldest first" },
  { value: "priority.desc", label: "Most urgent first" },
  { value: "resolutionDueAt.asc", label: "Due soonest (open only)" },
] as const;

/** A URL search parameter that is one of `values`, or absent (anything else reads as absent). */
export const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.catch(z.optional(z.enum(values)), undefined);

/** The type, status and priority filters every issue list offers (URL keys `type`, `status`, `priority`). */
export const issueFacetFilters = [
  {
    kind: "select",
    key: "type",
    label: "Type",
    allLabel: "All types",
    options: issueTypes.map((t) => ({ value: t, label: issueTypeLabels[t] })),
  },
  {
    kind: "select",
    key: "status",
    label: "Status",
    allLabel: "Any status",
    options: issueStatuses.map((s) => ({ value: s, label: anyStatusLabel(s) })),
  },
  {
    kind: "select",
    key: "priority",
    label: "Priority",
    allLabel: "Any priority",
    options: priorities.map((p) => ({ value: p, label: priorityLabels[p] })),
  },
] as const satisfies readonly FilterDecl[];

/** The issue list's search box (`/` focuses it). */
export const SEARCH_INPUT_ID = "issue-search";

/** The issue list's filters and sort in the URL: shareable, and kept when an issue is opened. */
export const issueCollection = defineCollection({
  filters: [
    {
      kind: "search",
      key: "q",
      label: "Search issues",
      placeholder: "Search issues ( / )",
      inputId: SEARCH_INPUT_ID,
      maxLength: 200,
    },
    ...issueFacetFilters,
    {
      kind: "select",
      key: "assignee",
      label: "Assignee",
      allLabel: "Anyone",
      options: [
        { value: "me", label: "Assigned to me" },
        { value: "unassigned", label: "Unassigned" },
      ],
    },
    /** "<scope>:<id>" */
    {
      kind: "lookup",
      key: "project",
      label: "Project",
      allLabel: "All projects",
      pattern: /^(tenant|shared):[^:]{1,64}$/,
      maxLength: 72,
    },
    /** A school's id, or "none": about no particular school. */
    { kind: "lookup", key: "school", label: "School", allLabel: "All schools" },
    { kind: "select", key: "sort", label: "Sort", options: sortOptions, initial: "updatedAt.desc" },
    {
      kind: "select",
      key: "archived",
      label: "Show",
      allLabel: "Live issues",
      options: [{ value: "yes", label: "Archived only" }],
    },
  ],
});
export const issueSearchSchema = searchSchemaOf(issueCollection);
export type IssueSearch = CollectionSearch<typeof issueCollection>;

export const PAGE_SIZE = 50;

/** The list input the URL's search means. */
export function filtersOf(search: IssueSearch, meId: string): { filters: IssueFilters; sort: IssueSort } {
  const filters: IssueFilters = {};
  if (search.q?.trim()) filters.search = search.q.trim();
  if (search.status) filters.status = [search.status];
  if (search.type) filters.type = [search.type];
  if (search.priority) filters.priority = [search.priority];
  if (search.assignee === "me") filters.assigneeUserId = meId;
  if (search.assignee === "unassigned") filters.assigneeUserId = null;
  if (search.project) {
    const [scope, id] = search.project.split(":") as ["tenant" | "shared", string];
    filters.projectScope = scope;
    filters.projectId = id;
  }
  if (search.school) filters.schoolId = search.school === "none" ? null : search.school;
  if (search.archived === "yes") filters.archived = true;
  const [field, direction] = (search.sort ?? "updatedAt.desc").split(".") as [
    IssueSort["field"],
    IssueSort["direction"],
  ];
  return { filters, sort: { field, direction } };
}

/** The URL search a saved filter stands for (the parts the filter bar can show). */
export function searchOf(filters: IssueFilters, sort: IssueSort | null, meId: string): IssueSearch {
  return {
    q: filters.search,
    status: filters.status?.[0],
    type: filters.type?.[0],
    priority: filters.priority?.[0],
    assignee:
      filters.assigneeUserId === null ? "unassigned" : filters.assigneeUserId === meId ? "me" : undefined,
    project:
      filters.projectId && filters.projectScope ? `${filters.projectScope}:${filters.projectId}` : undefined,
    school: filters.schoolId === null ? "none" : (filters.schoolId ?? undefined),
    archived: filters.archived ? "yes" : undefined,
    sort: sort ? (`${sort.field}.${sort.direction}` as IssueSearch["sort"]) : undefined,
  };
}

/**
 * The issue list, one keyset page at a time. The query function calls the client itself: tRPC's own infinite
 * options add a `direction` key to the input, which the list's strict input schema refuses. The key is the
 * proxy's, so `trpc.projects.issues.pathFilter()` still invalidates it.
 */
export function issueListOptions(api: TenantApi, search: IssueSearch, meId: string) {
  const input = { ...filtersOf(search, meId), limit: PAGE_SIZE };
  return cursorPages(api.trpc.projects.issues.list.infiniteQueryKey(input), input, (page, signal) =>
    api.client.projects.issues.list.query(page, { signal }),
  );
}
