import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Milliseconds since the epoch; every timestamp column in Nexus uses it. */
export const timestamp = (name?: string) =>
  name ? integer(name, { mode: "timestamp_ms" }) : integer({ mode: "timestamp_ms" });

/**
 * The append-only audit trail. Both the control database (identity, tenants) and every tenant database
 * (everything the tenant owns) carry one, with the same columns.
 */
export const auditLogTable = () =>
  sqliteTable(
    "audit_log",
    {
      id: text().primaryKey(),
      at: timestamp().notNull(),
      actorKind: text({ enum: ["user", "system", "token"] }).notNull(),
      actorId: text(),
      tenantId: text(),
      action: text().notNull(),
      targetType: text().notNull(),
      targetId: text(),
      before: text({ mode: "json" }),
      after: text({ mode: "json" }),
      ip: text(),
      requestId: text(),
    },
    (t) => [
      index("audit_log_at_idx").on(t.at),
      index("audit_log_target_idx").on(t.targetType, t.targetId, t.at),
      index("audit_log_actor_idx").on(t.actorId, t.at),
      index("audit_log_tenant_idx").on(t.tenantId, t.at),
    ],
  );

/** A record of every job run: who or what started it, what it did, what went wrong. */
export const jobRunsTable = () =>
  sqliteTable(
    "job_runs",
    {
      id: text().primaryKey(),
      kind: text().notNull(),
      /** The organization the run concerns: its own job, or a platform run about it (e.g. tenant.migrate). */
      tenantId: text(),
      trigger: text({ enum: ["cron", "queue", "cli", "user"] }).notNull(),
      actor: text(),
      messageId: text(),
      attempt: integer().notNull().default(1),
      status: text({ enum: ["running", "succeeded", "failed"] }).notNull(),
      counts: text({ mode: "json" }).$type<Record<string, number>>(),
      error: text(),
      startedAt: timestamp().notNull(),
      finishedAt: timestamp(),
    },
    (t) => [
      index("job_runs_started_idx").on(t.startedAt),
      index("job_runs_kind_idx").on(t.kind, t.startedAt),
    ],
  );
