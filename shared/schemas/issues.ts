/**
 * Issues: one parent model with subtypes (service request, incident, known problem, post-incident
 * analysis, change, repair). Inputs and outputs of the Projects package's issue procedures: plain JSON,
 * ISO 8601 dates, closed enums — one definition for tRPC and for the REST/OpenAPI layer. The workflows,
 * priority matrix and service level targets are in ./workflows.ts.
 */
import { z } from "zod";
import { MAX_EXTRA_FIELDS } from "./issue-extras";
import { impactLevels, issueTypes, priorities, urgencyLevels } from "./issue-model";
import { projectRef, projectScope } from "./projects";
import { identifier, multiLineText, opaqueText, searchText, singleLineText } from "./text";
import { issueStatuses } from "./workflows";

const id = identifier();
const isoDate = z.iso.datetime();
/** Accepted in inputs: an ISO 8601 date-time, with `Z` or an offset. */
const isoInput = z.iso.datetime({ offset: true });

export const MAX_BULK_ISSUES = 200;
export const MAX_EXPORT_ROWS = 10_000;
export const MAX_TAGS = 20;

export const issueType = z.enum(issueTypes);
export const priority = z.enum(priorities);
export const impact = z.enum(impactLevels);
export const urgency = z.enum(urgencyLevels);
export const issueStatus = z.enum(issueStatuses);

export const issueTitle = singleLineText({ min: 1, minMessage: "Give the issue a title.", max: 200 });
export const issueDescription = multiLineText({ max: 20_000 });

/** A label: lower-case letters, digits, spaces, `.`, `_` and `-`, starting with a letter or digit. */
export const tag = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(40)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, "Use letters, digits, spaces, dots, dashes or underscores.");
export const tags = z.array(tag).max(MAX_TAGS, `At most ${MAX_TAGS} tags.`);

// ——— Answers to a request type's extra fields ————————————————————————————————————————————————

export const MAX_ANSWER_LENGTH = 2000;

/**
 * One answer: text (also a date, as YYYY-MM-DD, or a select's option) or a number. Null or "" leaves the
 * field unanswered.
 */
export const answerInput = z
  .union(
    [
      multiLineText({
        max: MAX_ANSWER_LENGTH,
        maxMessage: `An answer can be at most ${MAX_ANSWER_LENGTH.toLocaleString("en-US")} characters.`,
      }),
      z.number(),
    ],
    { error: "Answer with text or a number." },
  )
  .nullable();

/**
 * Answers to the extra fields of the issue's request type, by field key. The server checks them against
 * the request type's fields: no unknown keys, every required field answered, numbers as numbers, dates as
 * YYYY-MM-DD, a select's answer one of its options. Issues without a request type take none.
 */
export const answersInput = z
  .record(singleLineText({ min: 1, max: 40, trim: false }), answerInput)
  .refine((answers) => Object.keys(answers).length <= MAX_EXTRA_FIELDS, {
    message: `At most ${MAX_EXTRA_FIELDS} answers.`,
  });

/** Answers as stored and shown: only answered fields. */
export const answers = z.record(z.string(), z.union([z.string(), z.number()]));
export type IssueAnswers = z.infer<typeof answers>;

// ——— Subtype details ————————————————————————————————————————————————————————————————————————

export const changeRisk = z.enum(["low", "medium", "high"]);
export const changeApproval = z.enum(["pending", "approved", "rejected"]);

/**
 * A change: its risk, the planned window (end after start) and the approval decision. The decision is
 * recorded by moving the change to `approved` or `rejected` (project administrators only); setting it
 * directly also needs projects.admin.
 */
export const changeDetails = z
  .object({
    risk: changeRisk,
    plannedStart: isoInput,
    plannedEnd: isoInput,
    approval: changeApproval.default("pending"),
    approverId: id.nullish(),
  })
  .refine((d) => Date.parse(d.plannedEnd) > Date.parse(d.plannedStart), {
    message: "The planned end must be after the planned start.",
    path: ["plannedEnd"],
  });

export const knownProblemDetails = z.object({
  symptom: multiLineText({ min: 1, minMessage: "Describe the symptom.", max: 5000 }),
  cause: multiLineText({ max: 5000 }).nullish(),
  workaround: multiLineText({ max: 5000 }).nullish(),
});

/** A post-incident analysis: the incident it analyses (an incident of this organization), what happened, what follows. */
export const postIncidentAnalysisDetails = z.object({
  incidentId: id,
  timeline: z
    .array(z.object({ at: isoInput, note: multiLineText({ min: 1, max: 2000 }) }))
    .max(200)
    .default([]),
  actions: z
    .array(
      z.object({
        description: multiLineText({ min: 1, max: 2000 }),
        ownerId: id.nullish(),
        done: z.boolean().default(false),
      }),
    )
    .max(100)
    .default([]),
});

/** A repair: the asset (once the Assets package exists; any reference until then) and the fault. */
export const repairDetails = z.object({
  assetId: id.nullish(),
  fault: multiLineText({ max: 5000 }).nullish(),
});

export const serviceRequestDetails = z.object({});
export const incidentDetails = z.object({});

/** Each subtype's details schema, for validating `details` against the issue's type on update. */
export const detailsSchemas = {
  change: changeDetails,
  known_problem: knownProblemDetails,
  post_incident_analysis: postIncidentAnalysisDetails,
  repair: repairDetails,
  service_request: serviceRequestDetails,
  incident: incidentDetails,
} as const;
export type IssueDetails = { [K in keyof typeof detailsSchemas]: z.infer<(typeof detailsSchemas)[K]> };

// ——— projects.issues.create ——————————————————————————————————————————————————————————————————

const createCommon = {
  projectScope,
  /** The organization's own project (scope tenant) or a shared project of the root scope (scope shared). */
  projectId: id,
  title: issueTitle,
  description: issueDescription.nullish(),
  /** An active member of the organization. */
  assigneeUserId: id.nullish(),
  /** A group of the organization; left out, the request type's default group, else the project's. */
  assigneeGroupId: id.nullish(),
  /** An active member of the organization; left out, the caller. */
  requesterId: id.nullish(),
  /** Left out, the request type's category. */
  categoryId: id.nullish(),
  /** A live request type of the catalog whose issue type is this issue's `type`. */
  requestTypeId: id.nullish(),
  /** The school (building) the issue is about: an open school of the organization. */
  schoolId: id.nullish(),
  /** Answers to the request type's extra fields (see answersInput). */
  answers: answersInput.optional(),
  tags: tags.optional(),
  dueAt: isoInput.nullish(),
};
/** Subtypes other than incidents take a priority (default medium). */
const withPriority = { ...createCommon, priority: priority.optional() };

/**
 * A new issue. Incidents take impact and urgency and their priority follows the matrix in workflows.ts;
 * every other subtype takes a priority (default medium). `details` is checked against the subtype.
 */
export const createIssueInput = z.discriminatedUnion("type", [
  z.object({
    ...createCommon,
    type: z.literal("incident"),
    impact,
    urgency,
    details: incidentDetails.prefault({}),
  }),
  z.object({
    ...withPriority,
    type: z.literal("service_request"),
    details: serviceRequestDetails.prefault({}),
  }),
  z.object({ ...withPriority, type: z.literal("change"), details: changeDetails }),
  z.object({ ...withPriority, type: z.literal("known_problem"), details: knownProblemDetails }),
  z.object({
    ...withPriority,
    type: z.literal("post_incident_analysis"),
    details: postIncidentAnalysisDetails,
  }),
  z.object({ ...withPriority, type: z.literal("repair"), details: repairDetails.prefault({}) }),
]);
export type CreateIssueInput = z.input<typeof createIssueInput>;

// ——— Issues as answered ——————————————————————————————————————————————————————————————————————

/**
 * `met`, `due`, `breached`, or `paused`: not met while the issue waits in a status that stops the clock
 * (its due date moves later when the wait ends). See slaStateOf in ./workflows.ts.
 */
export const slaState = z.enum(["met", "due", "breached", "paused"]);
/** Response target: first move out of the initial status; resolution target: resolved (or otherwise ended). */
export const sla = z.object({ response: slaState, resolution: slaState });

const issueCommon = {
  id: z.string(),
  /** The organization's issue number… */
  number: z.number().int(),
  /** …shown with the project key, e.g. TECH-42. */
  key: z.string(),
  project: projectRef,
  title: z.string(),
  status: z.string(),
  priority,
  impact: impact.nullable(),
  urgency: urgency.nullable(),
  requesterId: z.string().nullable(),
  assigneeUserId: z.string().nullable(),
  assigneeGroupId: z.string().nullable(),
  categoryId: z.string().nullable(),
  requestTypeId: z.string().nullable(),
  /** The school (building) the issue is about, if any. */
  schoolId: z.string().nullable(),
  tags: z.array(z.string()),
  dueAt: isoDate.nullable(),
  responseDueAt: isoDate.nullable(),
  resolutionDueAt: isoDate.nullable(),
  respondedAt: isoDate.nullable(),
  resolvedAt: isoDate.nullable(),
  closedAt: isoDate.nullable(),
  sla,
  /** Name it in update and transition: a stale version answers CONFLICT. */
  version: z.number().int(),
  createdById: z.string().nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
  archived: z.boolean(),
  archivedAt: isoDate.nullable(),
};

/** A school as an issue names it ("Unknown school" when it is gone). */
export const schoolRef = z.object({ id: z.string(), name: z.string() });
export type SchoolRef = z.infer<typeof schoolRef>;

/** An issue in a list (no description, no details), with the name of its school. */
export const issueListItem = z.object({ ...issueCommon, type: issueType, school: schoolRef.nullable() });
export type IssueListItem = z.infer<typeof issueListItem>;

const full = {
  ...issueCommon,
  description: z.string().nullable(),
  /** Answers to the request type's extra fields, by field key (empty without a request type). */
  answers,
  /** The statuses the workflow allows next (the server enforces the same). */
  allowedTransitions: z.array(z.string()),
  /** Names of the people and group the ids above name (null when unset; "Unknown user" when gone). */
  names: z.object({
    requester: z.object({ id: z.string(), name: z.string() }).nullable(),
    assignee: z.object({ id: z.string(), name: z.string() }).nullable(),
    assigneeGroup: z.object({ id: z.string(), name: z.string() }).nullable(),
    /** The school the issue is about (also when it has closed since). */
    school: schoolRef.nullable(),
    /** Other people the details name: a change's approver, the owners of an analysis's actions. */
    others: z.array(z.object({ id: z.string(), name: z.string() })),
  }),
};
/** One issue with its subtype's details. */
export const issue = z.discriminatedUnion("type", [
  z.object({ ...full, type: z.literal("incident"), details: incidentDetails }),
  z.object({ ...full, type: z.literal("service_request"), details: serviceRequestDetails }),
  z.object({ ...full, type: z.literal("change"), details: changeDetails }),
  z.object({ ...full, type: z.literal("known_problem"), details: knownProblemDetails }),
  z.object({ ...full, type: z.literal("post_incident_analysis"), details: postIncidentAnalysisDetails }),
  z.object({ ...full, type: z.literal("repair"), details: repairDetails }),
]);
export type Issue = z.infer<typeof issue>;

// ——— projects.issues.get / update / transition / archive / restore ——————————————————————————————

export const issueIdInput = z.object({ id }).strict();

/**
 * Changes fields of an issue read at `version`. Left out: unchanged; null clears. `details` replaces the
 * subtype's details and is checked against the issue's subtype. Incidents change impact/urgency (their
 * priority follows); other subtypes change priority. A new priority moves the response/resolution targets.
 * `answers` replaces the answers whole; they are checked against the request type — the new one when
 * `requestTypeId` changes too (a request type must be for the issue's subtype; without one, no answers).
 * `schoolId` must name a school of the organization, open when newly set (an issue already at a school that
 * closed since keeps it).
 */
export const updateIssueInput = z
  .object({
    id,
    version: z.number().int().min(1),
    title: issueTitle.optional(),
    description: issueDescription.nullish(),
    priority: priority.optional(),
    impact: impact.optional(),
    urgency: urgency.optional(),
    assigneeUserId: id.nullish(),
    assigneeGroupId: id.nullish(),
    requesterId: id.nullish(),
    categoryId: id.nullish(),
    requestTypeId: id.nullish(),
    schoolId: id.nullish(),
    answers: answersInput.optional(),
    tags: tags.optional(),
    dueAt: isoInput.nullish(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).some((k) => k !== "id" && k !== "version"), {
    message: "Change at least one field.",
    path: ["title"],
  });
export type UpdateIssueInput = z.input<typeof updateIssueInput>;

/** Moves an issue read at `version` to `to`, if its subtype's workflow allows it. */
export const transitionIssueInput = z
  .object({ id, version: z.number().int().min(1), to: issueStatus })
  .strict();
export type TransitionIssueInput = z.input<typeof transitionIssueInput>;

// ——— projects.issues.list / export ———————————————————————————————————————————————————————————

/**
 * List filters (all optional, combined with AND). `assigneeUserId: null` means unassigned; `schoolId: null`
 * means about no school. `breached`: not yet resolved and past the resolution target; an issue waiting with
 * its clock stopped only when the target was missed before the wait began (false: everything else).
 * `archived`: false (default) lists live issues, true only archived ones. `search`: words of the title,
 * description, tags, details and school name (stemmed; the last word may be a prefix).
 */
export const issueFilters = z
  .object({
    projectScope: projectScope.optional(),
    projectId: id.optional(),
    status: z.array(issueStatus).min(1).max(30).optional(),
    type: z.array(issueType).min(1).max(issueTypes.length).optional(),
    priority: z.array(priority).min(1).max(priorities.length).optional(),
    assigneeUserId: id.nullable().optional(),
    assigneeGroupId: id.nullable().optional(),
    requesterId: id.optional(),
    schoolId: id.nullable().optional(),
    tag: tag.optional(),
    breached: z.boolean().optional(),
    archived: z.boolean().optional(),
    search: searchText({ min: 1, max: 200 }).optional(),
  })
  .strict()
  .refine((f) => f.projectId === undefined || f.projectScope !== undefined, {
    message: "Say whether the project is the organization's own (tenant) or shared.",
    path: ["projectScope"],
  });
export type IssueFilters = z.infer<typeof issueFilters>;

/**
 * `updatedAt` and `createdAt` (filing order, i.e. the issue number), `number`, `priority` (desc: critical
 * first; within a priority most recently changed first), `resolutionDueAt` (lists only issues not yet
 * resolved; asc: soonest due first).
 */
export const issueSortField = z.enum(["updatedAt", "createdAt", "priority", "number", "resolutionDueAt"]);
export const issueSort = z
  .object({ field: issueSortField.default("updatedAt"), direction: z.enum(["asc", "desc"]).default("desc") })
  .strict();
export type IssueSort = z.infer<typeof issueSort>;

export const listIssuesInput = z
  .object({
    filters: issueFilters.prefault({}),
    sort: issueSort.prefault({}),
    /** Opaque: `nextCursor` of the previous page, with the same filters and sort. */
    cursor: opaqueText(500).optional(),
    limit: z.number().int().min(1).max(100).default(50),
  })
  .strict()
  .prefault({});
export type ListIssuesInput = z.input<typeof listIssuesInput>;
export const listIssuesOutput = z.object({
  items: z.array(issueListItem),
  nextCursor: z.string().nullable(),
});

/**
 * The caller's remembered project and school (from /me context; each only while it is live: a project not
 * archived, a school open), for the client to prefill the list's filters.
 */
export const listDefaultsOutput = z.object({
  project: projectRef.nullable(),
  school: schoolRef.nullable(),
  filters: z.object({
    projectScope: projectScope.optional(),
    projectId: z.string().optional(),
    schoolId: z.string().optional(),
  }),
});

export const exportIssuesInput = z
  .object({ filters: issueFilters.prefault({}), sort: issueSort.prefault({}) })
  .strict()
  .prefault({});
export type ExportIssuesInput = z.input<typeof exportIssuesInput>;
export const exportIssuesOutput = z.object({
  filename: z.string(),
  contentType: z.string(),
  /** CSV (RFC 4180, header row; cells that look like formulas are prefixed with '). */
  content: z.string(),
  rows: z.number().int(),
  /** More than MAX_EXPORT_ROWS issues matched: the file holds the first ones. */
  truncated: z.boolean(),
});

// ——— Bulk actions ————————————————————————————————————————————————————————————————————————————

const bulkIds = z.array(id).min(1).max(MAX_BULK_ISSUES);

/** Assigns up to 200 issues to a person and/or a group (null unassigns). */
export const bulkAssignInput = z
  .object({ ids: bulkIds, assigneeUserId: id.nullish(), assigneeGroupId: id.nullish() })
  .strict()
  .refine((v) => v.assigneeUserId !== undefined || v.assigneeGroupId !== undefined, {
    message: "Choose a person or a group.",
    path: ["assigneeUserId"],
  });
export type BulkAssignInput = z.input<typeof bulkAssignInput>;
export const bulkTransitionInput = z.object({ ids: bulkIds, to: issueStatus }).strict();
export type BulkTransitionInput = z.input<typeof bulkTransitionInput>;
/** Moves each issue to its workflow's final status, where the workflow allows it from where it is. */
export const bulkCloseInput = z.object({ ids: bulkIds }).strict();

/** The outcome for the id at `index` of the request (results never echo ids: they may not exist here). */
export const bulkItemResult = z.discriminatedUnion("ok", [
  z.object({ index: z.number().int(), ok: z.literal(true), changed: z.boolean(), version: z.number().int() }),
  z.object({
    index: z.number().int(),
    ok: z.literal(false),
    /** INTERNAL: an unexpected failure of this one change (nothing of it was written). */
    code: z.enum(["NOT_FOUND", "CONFLICT", "BAD_REQUEST", "FORBIDDEN", "INTERNAL"]),
    /** e.g. invalid_transition, stale_version, issue_archived */
    reason: z.string().nullable(),
    error: z.string(),
  }),
]);
export type BulkItemResult = z.infer<typeof bulkItemResult>;
/**
 * One result per id, in the order given (an id given twice is changed once: its later places say
 * `changed: false`). Each change is written whole — with its history and audit entry — or not at all.
 */
export const bulkOutput = z.object({ results: z.array(bulkItemResult), changed: z.number().int() });

// ——— Saved filter presets: projects.savedFilters.* ————————————————————————————————————————————

export const savedFilterName = singleLineText({ min: 1, minMessage: "Name the filter.", max: 100 });
/** A user's own named filter for the issue list; nobody else sees it. */
export const savedFilter = z.object({
  id: z.string(),
  name: z.string(),
  filters: issueFilters,
  sort: issueSort.nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type SavedFilter = z.infer<typeof savedFilter>;
export const listSavedFiltersOutput = z.object({ items: z.array(savedFilter) });
export const createSavedFilterInput = z
  .object({ name: savedFilterName, filters: issueFilters, sort: issueSort.nullish() })
  .strict();
export const updateSavedFilterInput = z
  .object({
    id,
    name: savedFilterName.optional(),
    filters: issueFilters.optional(),
    sort: issueSort.nullish(),
  })
  .strict()
  .refine((v) => v.name !== undefined || v.filters !== undefined || v.sort !== undefined, {
    message: "Change the name, the filters or the sort.",
    path: ["name"],
  });
export const savedFilterIdInput = z.object({ id }).strict();
