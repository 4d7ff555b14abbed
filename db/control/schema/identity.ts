import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { roles } from "../../../shared/permissions";
import { timestamp } from "../../common";
import { tenants } from "./tenants";

/** Per-organization context a user last chose: remembered for `/me`. */
export interface UserPreferences {
  contexts?: Record<string, { projectId?: string; schoolId?: string; calendarId?: string }>;
  /** Which notifications are also emailed (each on unless set false). */
  notificationEmail?: { assigned?: boolean; mentioned?: boolean };
}

export const users = sqliteTable(
  "users",
  {
    id: text().primaryKey(),
    /** Stored lower-cased; unique across Nexus. */
    email: text().notNull(),
    name: text().notNull(),
    /** scrypt hash in PHC-like form; null for SSO-only accounts. */
    passwordHash: text(),
    /** Deactivated users cannot sign in anywhere (root administrators only; organizations deactivate memberships). */
    status: text({ enum: ["active", "deactivated"] })
      .notNull()
      .default("active"),
    emailVerifiedAt: timestamp(),
    passwordChangedAt: timestamp(),
    /** TOTP secret, encrypted with the Worker's ENCRYPTION_KEY (AES-GCM); null until enrolment starts. */
    totpSecret: text(),
    totpEnabledAt: timestamp(),
    /** The last TOTP time step accepted: a code is never accepted twice. */
    totpLastStep: integer(),
    defaultTenantId: text(),
    preferences: text({ mode: "json" }).$type<UserPreferences>().notNull().default({}),
    createdAt: timestamp().notNull(),
    updatedAt: timestamp().notNull(),
    /** Soft delete: the account is gone for sign-in, its history stays. */
    deletedAt: timestamp(),
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
    /** An organization deactivates its members here; it cannot lock them out of other organizations. */
    status: text({ enum: ["active", "deactivated"] })
      .notNull()
      .default("active"),
    createdAt: timestamp().notNull(),
    updatedAt: timestamp(),
    deletedAt: timestamp(),
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
    /** `pending_second_factor`: password accepted, TOTP still owed; such a session can do nothing else. */
    stage: text({ enum: ["active", "pending_second_factor"] })
      .notNull()
      .default("active"),
    createdAt: timestamp().notNull(),
    lastUsedAt: timestamp().notNull(),
    expiresAt: timestamp().notNull(),
    absoluteExpiresAt: timestamp().notNull(),
    /** When the user last re-entered a credential in this session (gates email, password and 2FA changes). */
    reauthenticatedAt: timestamp(),
    ip: text(),
    userAgent: text(),
  },
  (t) => [index("sessions_user_idx").on(t.userId), index("sessions_expires_idx").on(t.expiresAt)],
);

/** Single-use second-factor recovery codes, stored as SHA-256 hashes. */
export const recoveryCodes = sqliteTable(
  "recovery_codes",
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id),
    codeHash: text().notNull(),
    usedAt: timestamp(),
    createdAt: timestamp().notNull(),
  },
  (t) => [
    uniqueIndex("recovery_codes_hash_uq").on(t.codeHash),
    index("recovery_codes_user_idx").on(t.userId),
  ],
);

/** A Google or Microsoft account linked to a user (OIDC `sub`). */
export const externalIdentities = sqliteTable(
  "external_identities",
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id),
    provider: text({ enum: ["google", "microsoft"] }).notNull(),
    subject: text().notNull(),
    email: text().notNull(),
    createdAt: timestamp().notNull(),
  },
  (t) => [
    uniqueIndex("external_identities_subject_uq").on(t.provider, t.subject),
    index("external_identities_user_idx").on(t.userId),
  ],
);
