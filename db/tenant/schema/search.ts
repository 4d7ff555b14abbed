import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * The shared full-text index of the organization's database, which every package registers its objects
 * with. This table maps each indexed object to the rowid of its entry in the FTS5 table `search_documents`
 * (title, body; porter stemming, diacritics folded), which a hand-written migration creates because drizzle
 * does not model virtual tables.
 */
export const searchKeys = sqliteTable(
  "search_keys",
  {
    id: integer().primaryKey(),
    objectType: text().notNull(),
    objectId: text().notNull(),
  },
  (t) => [uniqueIndex("search_keys_object_uq").on(t.objectType, t.objectId)],
);
