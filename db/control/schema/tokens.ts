import { index, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { timestamp } from "../../common";
import { users } from "./identity";
import { tenants } from "./tenants";

/**
 * One sign-in of a native or programmatic client (`POST /auth/token`). Its refresh tokens rotate on every
 * use; presenting a rotated one revokes the whole family.
 */
export const tokenFamilies = sqliteTable(
  "token_families",
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id),
    clientName: text(),
    ip: text(),
    createdAt: timestamp().notNull(),
    revokedAt: timestamp(),
    revokedReason: text(),
  },
  (t) => [index("token_families_user_idx").on(t.userId)],
);

/** `id` is the SHA-256 (hex) of the refresh token. */
export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    id: text().primaryKey(),
    familyId: text()
      .notNull()
      .references(() => tokenFamilies.id),
    createdAt: timestamp().notNull(),
    expiresAt: timestamp().notNull(),
    /** Set when it was exchanged; a second exchange is reuse. */
    usedAt: timestamp(),
  },
  (t) => [index("refresh_tokens_family_idx").on(t.familyId)],
);

/** `id` is the SHA-256 (hex) of the access token. Short-lived. */
export const accessTokens = sqliteTable(
  "access_tokens",
  {
    id: text().primaryKey(),
    familyId: text()
      .notNull()
      .references(() => tokenFamilies.id),
    userId: text()
      .notNull()
      .references(() => users.id),
    createdAt: timestamp().notNull(),
    expiresAt: timestamp().notNull(),
  },
  (t) => [
    index("access_tokens_family_idx").on(t.familyId),
    index("access_tokens_expires_idx").on(t.expiresAt),
  ],
);

/** Personal access tokens: shown once, recognisable prefix, scoped to one organization and to packages. */
export const personalAccessTokens = sqliteTable(
  "personal_access_tokens",
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    name: text().notNull(),
    /** The first characters of the token, shown in lists so people recognise it (e.g. `nxp_3k9f`). */
    prefix: text().notNull(),
    tokenHash: text().notNull(),
    /** e.g. ["education.read", "projects.write"] */
    scopes: text({ mode: "json" }).$type<string[]>().notNull(),
    expiresAt: timestamp(),
    lastUsedAt: timestamp(),
    revokedAt: timestamp(),
    createdAt: timestamp().notNull(),
  },
  (t) => [uniqueIndex("pat_hash_uq").on(t.tokenHash), index("pat_user_idx").on(t.userId)],
);
