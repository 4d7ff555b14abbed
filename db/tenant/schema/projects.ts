import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import {
  commentVisibilities,
  issueLinkKinds,
  issueTypes,
  notificationKinds,
  priorities,
} from "../../../shared/schemas/issue-model";
import { timestamp } from "../../common";

/** The organization's own projects. Shared projects of the root scope are described in the control database. */
export const projects = sqliteTable(
  "projects",
  {
    id: text().primaryKey(),
    /** Short upper-case code used in issue numbers, e.g. TECH → TECH-42. Unique in the organization. */
    key: text().notNull(),
    name: text().notNull(),
    description: text(),
    defaultAssigneeGroupId: text(),
    createdAt: timestamp().notNull(),
    updatedAt: timestamp().notNull(),
    archivedAt: timestamp(),
  },
  (t) => [uniqueIndex("projects_key_uq").on(t.key)],
);

/**
 * An issue of any subtype. It always lives in the database of the organization that filed it — also when
 * it is filed in a shared project of the root scope (`projectScope = 'shared'`, `projectId` then names the
 * shared project in the control database); see docs/decisions/0011-shared-projects.md.
 */
export const issues = sqliteTable(
  "issues",
  {
    id: text().primaryKey(),
    /** Per-organization sequence (counters.name = 'issue'); shown with the project key, e.g. TECH-42. */
    number: integer().notNull(),
    projectScope: text({ enum: ["tenant", "shared"] }).notNull(),
    projectId: text().notNull(),
    type: text({ enum: issueTypes }).notNull(),
    title: text().notNull(),
    description: text(),
    status: text().notNull(),
    priority: text({ enum: priorities }).notNull(),
    impact: text({ enum: ["high", "medium", "low"] }),
    urgency: text({ enum: ["high", "medium", "low"] }),
    requesterId: text(),
    assigneeUserId: text(),
    assigneeGroupId: text(),
    categoryId: text(),
    requestTypeId: text(),
    /** The school (building) the issue is about, when it is about one: a school of the organization. */
    schoolId: text(),
    /** Labels, as a JSON array of lower-case strings. */
    tags: text({ mode: "json" }).$type<string[]>().notNull().default([]),
    /** The subtype's own fields (change: risk, window, approval; known problem: symptom, cause, workaround; …). */
    details: text({ mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
    /** Answers to the request type's extra fields, by field key (text, select and dates as strings). */
    answers: text({ mode: "json" }).$type<Record<string, string | number>>().notNull().default({}),
    dueAt: timestamp(),
    responseDueAt: timestamp(),
    resolutionDueAt: timestamp(),
    respondedAt: timestamp(),
    resolvedAt: timestamp(),
    closedAt: timestamp(),
    /**
     * When the issue began waiting in a status that stops the service-level clock (incident on hold,
     * service request waiting on the requester, repair awaiting parts); null while the clock runs.
     */
    slaPausedAt: timestamp(),
    /** Minutes the clock was stopped in waits that ended, every minute counted (the `always` clock). */
    slaPausedMinutes: integer().notNull().default(0),
    /** The same waits in working minutes (the `business` clock, under the hours in force while waiting). */
    slaPausedBusinessMinutes: integer().notNull().default(0),
    /** Optimistic concurrency: every update must name the version it read; a stale one answers CONFLICT. */
    version: integer().notNull().default(1),
    createdById: text(),
    createdAt: timestamp().notNull(),
    updatedAt: timestamp().notNull(),
    archivedAt: timestamp(),
  },
  (t) => [
    uniqueIndex("issues_number_uq").on(t.number),
    index("issues_project_status_idx").on(t.projectScope, t.projectId, t.status, t.updatedAt),
    /** A project's issues of one priority, most recently changed first: the priority sort within a project. */
    index("issues_project_priority_idx").on(t.projectScope, t.projectId, t.priority, t.updatedAt, t.id),
    index("issues_status_priority_idx").on(t.status, t.priority, t.updatedAt),
    index("issues_assignee_idx").on(t.assigneeUserId, t.status, t.updatedAt),
    index("issues_group_idx").on(t.assigneeGroupId, t.status, t.updatedAt),
    index("issues_type_idx").on(t.type, t.status, t.updatedAt),
    index("issues_requester_idx").on(t.requesterId, t.updatedAt),
    index("issues_school_idx").on(t.schoolId, t.status, t.updatedAt),
    index("issues_updated_idx").on(t.updatedAt, t.id),
    index("issues_resolution_due_idx").on(t.resolutionDueAt).where(sql`resolved_at IS NULL`),
  ],
);

export const issueComments = sqliteTable(
  "issue_comments",
  {
    id: text().primaryKey(),
    issueId: text()
      .notNull()
      .references(() => issues.id),
    authorId: text().notNull(),
    body: text().notNull(),
    visibility: text({ enum: commentVisibilities }).notNull(),
    createdAt: timestamp().notNull(),
    editedAt: timestamp(),
    deletedAt: timestamp(),
  },
  (t) => [index("issue_comments_issue_idx").on(t.issueId, t.createdAt)],
);

/** Files attached to an issue; the bytes live in R2 under `r2Key`. */
export const issueAttachments = sqliteTable(
  "issue_attachments",
  {
    id: text().primaryKey(),
    issueId: text()
      .notNull()
      .references(() => issues.id),
    r2Key: text().notNull(),
    filename: text().notNull(),
    contentType: text().notNull(),
    size: integer().notNull(),
    sha256: text().notNull(),
    uploadedById: text().notNull(),
    createdAt: timestamp().notNull(),
    deletedAt: timestamp(),
  },
  (t) => [index("issue_attachments_issue_idx").on(t.issueId, t.createdAt)],
);

/** A directed link; "relates to" is stored once and read both ways. */
export const issueLinks = sqliteTable(
  "issue_links",
  {
    id: text().primaryKey(),
    fromIssueId: text()
      .notNull()
      .references(() => issues.id),
    toIssueId: text()
      .notNull()
      .references(() => issues.id),
    kind: text({ enum: issueLinkKinds }).notNull(),
    createdById: text(),
    createdAt: timestamp().notNull(),
  },
  (t) => [
    uniqueIndex("issue_links_uq").on(t.fromIssueId, t.toIssueId, t.kind),
    index("issue_links_to_idx").on(t.toIssueId),
  ],
);

export const issueWatchers = sqliteTable(
  "issue_watchers",
  {
    issueId: text()
      .notNull()
      .references(() => issues.id),
    userId: text().notNull(),
    createdAt: timestamp().notNull(),
  },
  (t) => [primaryKey({ columns: [t.issueId, t.userId] }), index("issue_watchers_user_idx").on(t.userId)],
);

/** Field-level history: one row per changed field per update. The activity feed reads it with comments. */
export const issueHistory = sqliteTable(
  "issue_history",
  {
    id: text().primaryKey(),
    issueId: text()
      .notNull()
      .references(() => issues.id),
    actorId: text(),
    at: timestamp().notNull(),
    field: text().notNull(),
    before: text({ mode: "json" }),
    after: text({ mode: "json" }),
    requestId: text(),
  },
  (t) => [index("issue_history_issue_idx").on(t.issueId, t.at)],
);

/** The issue catalog: categories … */
export const catalogCategories = sqliteTable(
  "catalog_categories",
  {
    id: text().primaryKey(),
    name: text().notNull(),
    description: text(),
    createdAt: timestamp().notNull(),
    updatedAt: timestamp().notNull(),
    archivedAt: timestamp(),
  },
  (t) => [uniqueIndex("catalog_categories_name_uq").on(t.name)],
);

/** … and request types, with where their issues go and the extra fields they ask for. */
export const requestTypes = sqliteTable(
  "request_types",
  {
    id: text().primaryKey(),
    categoryId: text()
      .notNull()
      .references(() => catalogCategories.id),
    name: text().notNull(),
    description: text(),
    issueType: text({ enum: issueTypes }).notNull(),
    defaultProjectScope: text({ enum: ["tenant", "shared"] }),
    defaultProjectId: text(),
    defaultAssigneeGroupId: text(),
    /** Extra fields asked when filing: [{ key, label, kind: text|number|date|select, options?, required }]. */
    fields: text({ mode: "json" }).$type<unknown[]>().notNull().default([]),
    createdAt: timestamp().notNull(),
    updatedAt: timestamp().notNull(),
    archivedAt: timestamp(),
  },
  (t) => [uniqueIndex("request_types_name_uq").on(t.categoryId, t.name)],
);

/** A user's saved list filters (per object type). */
export const savedFilters = sqliteTable(
  "saved_filters",
  {
    id: text().primaryKey(),
    userId: text().notNull(),
    objectType: text().notNull(),
    name: text().notNull(),
    filters: text({ mode: "json" }).$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp().notNull(),
    updatedAt: timestamp().notNull(),
  },
  (t) => [uniqueIndex("saved_filters_name_uq").on(t.userId, t.objectType, t.name)],
);

/** The in-app notification centre. */
export const notifications = sqliteTable(
  "notifications",
  {
    id: text().primaryKey(),
    userId: text().notNull(),
    kind: text({ enum: notificationKinds }).notNull(),
    issueId: text(),
    actorId: text(),
    summary: text().notNull(),
    createdAt: timestamp().notNull(),
    readAt: timestamp(),
  },
  (t) => [index("notifications_user_idx").on(t.userId, t.readAt, t.createdAt)],
);

/** Named sequences (e.g. issue numbers), advanced with UPDATE … RETURNING in the same batch as the insert. */
export const counters = sqliteTable("counters", {
  name: text().primaryKey(),
  value: integer().notNull(),
});
