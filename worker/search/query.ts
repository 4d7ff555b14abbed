/**
 * Turns what a person typed into a safe FTS5 query. Only runs of letters, digits and combining marks
 * survive; each becomes a quoted string (so FTS5 operators, column filters, `*`, `-`, `^`, `NEAR(` and
 * stray quotes are just text), all words must match, and the last word also matches as a prefix (for
 * search-as-you-type). Nothing the user types reaches FTS5 as syntax.
 */
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

export const MAX_QUERY_WORDS = 12;
const MAX_WORD_LENGTH = 64;

/** The words FTS5's unicode61 tokenizer would see, lower-cased and bounded. */
export function wordsOf(text: string): string[] {
  const words = text.normalize("NFC").match(WORD) ?? [];
  return words.slice(0, MAX_QUERY_WORDS).map((w) => w.slice(0, MAX_WORD_LENGTH).toLowerCase());
}

/**
 * The FTS5 query for `text`, or null when it holds no word at all (then nothing can match). `prefix`:
 * the last word also matches words it starts (from two characters on).
 */
export function toFtsQuery(text: string, options: { prefix?: boolean } = {}): string | null {
  const words = wordsOf(text);
  if (words.length === 0) return null;
  const quoted = words.map((w) => `"${w}"`);
  const last = words[words.length - 1]!;
  if (options.prefix !== false && last.length >= 2) {
    quoted[quoted.length - 1] = `("${last}" OR "${last}"*)`;
  }
  return quoted.join(" AND ");
}

/** A query matching `text` as a phrase in one column (e.g. a tag in the body), or null when it has no word. */
export function toFtsPhrase(text: string, column: "title" | "body"): string | null {
  const words = wordsOf(text);
  if (words.length === 0) return null;
  return `${column} : "${words.join(" ")}"`;
}
