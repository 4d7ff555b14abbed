import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { timestamp } from "../../common";

export const schoolLevels = [
  "early_childhood",
  "elementary",
  "middle",
  "high",
  "k12",
  "alternative",
] as const;

/** A school of the district. `code` is the 4-digit state school (building) code used in MOSIS files. */
export const schools = sqliteTable(
  "schools",
  {
    id: text().primaryKey(),
    code: text().notNull(),
    name: text().notNull(),
    level: text({ enum: schoolLevels }).notNull(),
    /** Grade range, -1 = PK, 0 = K, 1..12. */
    lowGrade: integer().notNull(),
    highGrade: integer().notNull(),
    status: text({ enum: ["open", "closed"] })
      .notNull()
      .default("open"),
    principal: text(),
    address: text(),
    city: text(),
    phone: text(),
    openedOn: text(),
    closedOn: text(),
    createdAt: timestamp().notNull(),
    updatedAt: timestamp().notNull(),
  },
  (t) => [uniqueIndex("schools_code_uq").on(t.code), index("schools_status_name_idx").on(t.status, t.name)],
);
