import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { roles } from "../../../shared/permissions";
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
    // Organization settings
    logoUrl: text(),
    /** #rrggbb */
    brandColor: text(),
    /** Role given to people who join through an allowed email domain. */
    defaultRole: text({ enum: roles }).notNull().default("member"),
    // Security settings
    /** Lower-case domains whose users may join by SSO (JSON array). */
    allowedDomains: text({ mode: "json" }).$type<string[]>().notNull().default([]),
    ssoOnly: integer({ mode: "boolean" }).notNull().default(false),
    twoFactorRequired: integer({ mode: "boolean" }).notNull().default(false),
    /** Inactivity lifetime of its members' sessions, in minutes. */
    sessionLifetimeMinutes: integer().notNull().default(480),
    /** Longest lifetime, in days, a personal access token for this organization may be given. */
    patMaxLifetimeDays: integer().notNull().default(365),
    /** Whether a personal access token for this organization may be made to never expire. */
    patAllowNoExpiry: integer({ mode: "boolean" }).notNull().default(false),
    createdAt: timestamp().notNull(),
    updatedAt: timestamp().notNull(),
    /** Soft delete: blocks sign-in to the organization, keeps its history. */
    deletedAt: timestamp(),
  },
  (t) => [
    uniqueIndex("tenants_slug_uq").on(t.slug),
    uniqueIndex("tenants_database_name_uq").on(t.databaseName),
    index("tenants_status_idx").on(t.status),
  ],
);
