import { index, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { roles } from "../../../shared/permissions";
import { timestamp } from "../../common";
import { tenants } from "./tenants";

export const users = sqliteTable(
  "users",
  {
    id: text().primaryKey(),
    /** Stored lower-cased; unique across Nexus. */
    email: text().notNull(),
    name: text().notNull(),
    /** scrypt hash in PHC-like form; null for SSO-only accounts. */
    passwordHash: text(),
    status: text({ enum: ["active", "deactivated"] })
      .notNull()
      .default("active"),
    createdAt: timestamp().notNull(),
    updatedAt: timestamp().notNull(),
  },
  (t) => [uniqueIndex("users_email_uq").on(t.email)],
);

export const memberships = sqliteTable(
  "memberships",
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    role: text({ enum: roles }).notNull(),
    createdAt: timestamp().notNull(),
  },
  (t) => [
    uniqueIndex("memberships_user_tenant_uq").on(t.userId, t.tenantId),
    index("memberships_tenant_idx").on(t.tenantId),
  ],
);

/**
 * Browser and API sessions. `id` is the SHA-256 (hex) of the token the client holds; the token itself is
 * never stored. `expiresAt` slides with use (inactivity); `absoluteExpiresAt` never moves.
 */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id),
    createdAt: timestamp().notNull(),
    lastUsedAt: timestamp().notNull(),
    expiresAt: timestamp().notNull(),
    absoluteExpiresAt: timestamp().notNull(),
    ip: text(),
    userAgent: text(),
  },
  (t) => [index("sessions_user_idx").on(t.userId), index("sessions_expires_idx").on(t.expiresAt)],
);
