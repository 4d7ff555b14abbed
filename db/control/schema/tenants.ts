import { index, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { timestamp } from "../../common";

export const tenantStatuses = ["provisioning", "ready", "failed", "deleted"] as const;
export type TenantStatus = (typeof tenantStatuses)[number];

/**
 * The tenant registry. A tenant serves requests only while `ready`; provisioning and failed tenants are
 * visible to operators and retried, never half-served.
 */
export const tenants = sqliteTable(
  "tenants",
  {
    id: text().primaryKey(),
    slug: text().notNull(),
    name: text().notNull(),
    kind: text({ enum: ["district", "root"] })
      .notNull()
      .default("district"),
    status: text({ enum: tenantStatuses }).notNull(),
    /** sqld namespace locally, Turso database name in production. */
    databaseName: text().notNull(),
    /** Turso: libsql://… of the tenant's database. Local: null (the shared sqld URL is used). */
    databaseUrl: text(),
    lastError: text(),
    createdAt: timestamp().notNull(),
    updatedAt: timestamp().notNull(),
  },
  (t) => [
    uniqueIndex("tenants_slug_uq").on(t.slug),
    uniqueIndex("tenants_database_name_uq").on(t.databaseName),
    index("tenants_status_idx").on(t.status),
  ],
);
