-- The shared full-text index (see db/tenant/schema/search.ts). rowid = search_keys.id.
CREATE VIRTUAL TABLE `search_documents` USING fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 2');
