import { index, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { timestamp } from "../../common";

/** Groups of the organization's users (assignee groups, approvers, …). Managed by administrators. */
export const groups = sqliteTable(
  "groups",
  {
    id: text().primaryKey(),
    name: text().notNull(),
    description: text(),
    createdAt: timestamp().notNull(),
    updatedAt: timestamp().notNull(),
    archivedAt: timestamp(),
  },
  (t) => [uniqueIndex("groups_name_uq").on(t.name)],
);

/** `userId` refers to a user of the control database (a member of this organization). */
export const groupMembers = sqliteTable(
  "group_members",
  {
    groupId: text()
      .notNull()
      .references(() => groups.id),
    userId: text().notNull(),
    addedAt: timestamp().notNull(),
    addedById: text(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] }), index("group_members_user_idx").on(t.userId)],
);
