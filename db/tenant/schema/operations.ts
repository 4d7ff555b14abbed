import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import { auditLogTable, jobRunsTable, timestamp } from "../../common";

export const auditLog = auditLogTable();
export const jobRuns = jobRunsTable();

/**
 * The organization's settings of its packages, one JSON value per key (e.g. `projects.serviceLevels`), each
 * checked by the zod schema its package declares for the key. A missing key means the package's defaults.
 */
export const settings = sqliteTable("settings", {
  key: text().primaryKey(),
  value: text({ mode: "json" }).$type<unknown>().notNull(),
  updatedAt: timestamp().notNull(),
  updatedById: text(),
});
