import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { roles } from "../../../shared/permissions";
import { timestamp } from "../../common";
import { users } from "./identity";
import { tenants } from "./tenants";

/** An invitation to join an organization. At most one pending invitation per address and organization. */
export const invitations = sqliteTable(
  "invitations",
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    email: text().notNull(),
    role: text({ enum: roles }).notNull(),
    invitedById: text().references(() => users.id),
    /** SHA-256 (hex) of the token in the invitation link. */
    tokenHash: text().notNull(),
    status: text({ enum: ["pending", "accepted", "revoked", "expired"] }).notNull(),
    expiresAt: timestamp().notNull(),
    sendCount: integer().notNull().default(0),
    lastSentAt: timestamp(),
    acceptedAt: timestamp(),
    acceptedUserId: text(),
    createdAt: timestamp().notNull(),
    updatedAt: timestamp().notNull(),
  },
  (t) => [
    uniqueIndex("invitations_pending_uq").on(t.tenantId, t.email).where(sql`status = 'pending'`),
    uniqueIndex("invitations_token_uq").on(t.tokenHash),
    index("invitations_tenant_idx").on(t.tenantId, t.createdAt),
  ],
);

/** Every email Nexus sends. Locally nothing leaves: mail is captured here and shown in the outbox. */
export const emailOutbox = sqliteTable(
  "email_outbox",
  {
    id: text().primaryKey(),
    tenantId: text(),
    to: text().notNull(),
    subject: text().notNull(),
    text: text().notNull(),
    html: text(),
    kind: text().notNull(),
    status: text({ enum: ["captured", "sent", "failed"] }).notNull(),
    providerMessageId: text(),
    error: text(),
    createdAt: timestamp().notNull(),
  },
  (t) => [
    index("email_outbox_tenant_idx").on(t.tenantId, t.createdAt),
    index("email_outbox_to_idx").on(t.to),
  ],
);

/** Fixed-window counters for rate limits (sign-in, registration, email check, token, invitations). */
export const rateLimits = sqliteTable("rate_limits", {
  key: text().primaryKey(),
  windowStartedAt: integer().notNull(),
  count: integer().notNull(),
});
