import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { auditLogTable, jobRunsTable, timestamp } from "../../common";

export const auditLog = auditLogTable();
export const jobRuns = jobRunsTable();

/** Queue messages that could not be processed: invalid, or out of retries. Kept for an operator to read. */
export const deadLetters = sqliteTable(
  "dead_letters",
  {
    id: text().primaryKey(),
    queue: text().notNull(),
    messageId: text(),
    body: text({ mode: "json" }),
    reason: text().notNull(),
    attempts: integer().notNull(),
    receivedAt: timestamp().notNull(),
  },
  (t) => [index("dead_letters_received_idx").on(t.receivedAt)],
);
