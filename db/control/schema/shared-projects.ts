import { index, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { timestamp } from "../../common";

/**
 * Projects of the root scope in which every organization may file issues (e.g. "Technology Service").
 * Their issues live in each filing organization's own database; the root service desk reads them through
 * `shared_issue_index`. See docs/decisions/0011-shared-projects.md.
 */
export const sharedProjects = sqliteTable(
  "shared_projects",
  {
    id: text().primaryKey(),
    key: text().notNull(),
    name: text().notNull(),
    description: text(),
    createdAt: timestamp().notNull(),
    updatedAt: timestamp().notNull(),
    archivedAt: timestamp(),
  },
  (t) => [uniqueIndex("shared_projects_key_uq").on(t.key)],
);

/**
 * The root service desk's index of shared-project issues across organizations: a summary row per issue,
 * written after each change of the authoritative row in the organization's database (and repaired by a job
 * when that second write fails). Only the root scope reads it.
 */
export const sharedIssueIndex = sqliteTable(
  "shared_issue_index",
  {
    tenantId: text().notNull(),
    issueId: text().notNull(),
    projectId: text().notNull(),
    number: text().notNull(),
    title: text().notNull(),
    type: text().notNull(),
    status: text().notNull(),
    priority: text().notNull(),
    updatedAt: timestamp().notNull(),
  },
  (t) => [
    uniqueIndex("shared_issue_index_pk").on(t.tenantId, t.issueId),
    index("shared_issue_index_project_idx").on(t.projectId, t.status, t.updatedAt, t.tenantId, t.issueId),
  ],
);
