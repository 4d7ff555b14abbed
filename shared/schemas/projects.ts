/**
 * Projects (the organization's own, and the shared projects of the root scope) and the root service desk.
 * Inputs and outputs of the Projects package's procedures: plain JSON, ISO 8601 dates, closed enums — one
 * definition for tRPC and for the REST/OpenAPI layer.
 */
import { z } from "zod";
import { issueTypes, priorities } from "./issue-model";
import { identifier, multiLineText, opaqueText, searchText, singleLineText } from "./text";
import { issueStatuses } from "./workflows";

const id = identifier();
const isoDate = z.iso.datetime();

/** `tenant`: the organization's own project; `shared`: a project of the root scope every organization files in. */
export const projectScope = z.enum(["tenant", "shared"]);
export type ProjectScope = z.infer<typeof projectScope>;

/** 2–10 upper-case letters and digits, starting with a letter (typed lower-case, it is upper-cased). */
export const projectKey = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z][A-Z0-9]{1,9}$/, "Use 2 to 10 letters and digits, starting with a letter (e.g. HELP).");

export const projectName = singleLineText({ min: 1, minMessage: "Give the project a name.", max: 100 });
export const projectDescription = multiLineText({ max: 2000 });

/** Enough of a project to show beside an issue. */
export const projectRef = z.object({
  scope: projectScope,
  id: z.string(),
  key: z.string(),
  name: z.string(),
});
export type ProjectRef = z.infer<typeof projectRef>;

/** A project as lists and the detail view show it. Shared projects are read-only here. */
export const project = projectRef.extend({
  description: z.string().nullable(),
  /** New issues without an assignee go to this group (tenant projects only). */
  defaultAssigneeGroupId: z.string().nullable(),
  /** That group with its name (`name` null when the group has since gone). */
  defaultAssigneeGroup: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  archived: z.boolean(),
  archivedAt: isoDate.nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type Project = z.infer<typeof project>;

// projects.projects.list
export const listProjectsInput = z
  .object({ includeArchived: z.boolean().default(false) })
  .strict()
  .prefault({});
export type ListProjectsInput = z.input<typeof listProjectsInput>;
/** The organization's projects by name, then the shared projects of the root scope by name. */
export const listProjectsOutput = z.object({ items: z.array(project) });

// projects.projects.get
export const projectRefInput = z.object({ scope: projectScope, id }).strict();

// projects.projects.create / update / archive / restore (the organization's own projects only)
export const createProjectInput = z
  .object({
    /** Unique in the organization and different from every shared project's key; it cannot change later. */
    key: projectKey,
    name: projectName,
    description: projectDescription.nullish(),
    defaultAssigneeGroupId: id.nullish(),
  })
  .strict();
export type CreateProjectInput = z.input<typeof createProjectInput>;

export const updateProjectInput = z
  .object({
    id,
    name: projectName.optional(),
    /** null clears it. */
    description: projectDescription.nullish(),
    /** null clears it. */
    defaultAssigneeGroupId: id.nullish(),
  })
  .strict()
  .refine(
    (v) => v.name !== undefined || v.description !== undefined || v.defaultAssigneeGroupId !== undefined,
    {
      message: "Change the name, the description or the default group.",
      path: ["name"],
    },
  );
export type UpdateProjectInput = z.input<typeof updateProjectInput>;

export const projectIdInput = z.object({ id }).strict();

// ——— The root service desk: projects.desk.list ——————————————————————————————————————————————————

export const deskListInput = z
  .object({
    /** A shared project's id. */
    projectId: id.optional(),
    status: z.array(z.enum(issueStatuses)).min(1).max(30).optional(),
    type: z.array(z.enum(issueTypes)).min(1).max(issueTypes.length).optional(),
    priority: z.array(z.enum(priorities)).min(1).max(priorities.length).optional(),
    /** Only the issues of this organization. */
    tenantId: id.optional(),
    limit: z.number().int().min(1).max(100).default(50),
    cursor: opaqueText(500).optional(),
  })
  .strict()
  .prefault({});
export type DeskListInput = z.input<typeof deskListInput>;

/** A shared-project issue as the desk's index summarises it; open it in the filing organization. */
export const deskItem = z.object({
  tenant: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
  issueId: z.string(),
  projectId: z.string(),
  /** e.g. TECH-42 */
  number: z.string(),
  title: z.string(),
  type: z.enum(issueTypes),
  status: z.string(),
  priority: z.enum(priorities),
  updatedAt: isoDate,
});
export type DeskItem = z.infer<typeof deskItem>;
/** Most recently changed first. */
export const deskListOutput = z.object({ items: z.array(deskItem), nextCursor: z.string().nullable() });

/** The people picker: active members (by name or address) and live groups (by name) matching `q`. */
export const peopleSearchInput = z
  .object({
    /** Words of a name or an e-mail address (matched anywhere); empty or left out: the first by name. */
    q: searchText({ max: 100 }).optional(),
    limit: z.number().int().min(1).max(25).default(10),
  })
  .strict()
  .prefault({});
export type PeopleSearchInput = z.input<typeof peopleSearchInput>;

export const peopleSearchOutput = z.object({
  users: z.array(z.object({ id: z.string(), name: z.string(), email: z.string() })),
  groups: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type PeopleSearchOutput = z.infer<typeof peopleSearchOutput>;

/** Counts of live issues for the landing page: of one project, or of every project the organization sees. */
export const issueCountsInput = z
  .object({ projectScope: projectScope.optional(), projectId: id.optional() })
  .strict()
  .refine((f) => f.projectId === undefined || f.projectScope !== undefined, {
    message: "Say whether the project is the organization's own (tenant) or shared.",
    path: ["projectScope"],
  })
  .prefault({});
export type IssueCountsInput = z.input<typeof issueCountsInput>;

const countsOf = <const K extends readonly string[]>(keys: K) =>
  z.object(Object.fromEntries(keys.map((k) => [k, z.number().int()])) as { [P in K[number]]: z.ZodNumber });

/** `byPriority` and `byType` count open issues only; `total` counts every live issue. */
export const issueCountsOutput = z.object({
  byStatusCategory: countsOf(["open", "resolved", "closed"] as const),
  byPriority: countsOf(priorities),
  byType: countsOf(issueTypes),
  total: z.number().int(),
});
export type IssueCounts = z.infer<typeof issueCountsOutput>;
