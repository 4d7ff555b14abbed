/**
 * The rules for text a person or a program sends Nexus, in one place: every schema field that takes text
 * is built from these helpers. Text must be well-formed Unicode (no lone UTF-16 surrogates, which a JSON
 * `\ud800` escape can carry and the database refuses) and hold no control characters (C0, DEL, C1); only
 * multi-line text (descriptions, comments, notes) may hold line breaks and tabs. Each helper keeps the
 * field's own trimming and lengths and gives a message a person can act on.
 */
import { z } from "zod";

/** A UTF-16 surrogate without its partner. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// biome-ignore lint/suspicious/noControlCharactersInRegex: the pattern exists to refuse control characters.
const SINGLE_LINE = /^[^\u0000-\u001F\u007F-\u009F]*$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the pattern exists to refuse control characters.
const MULTI_LINE = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$/;

export const messages = {
  illFormed: "This text holds a broken character (an unpaired Unicode surrogate). Type or paste it again.",
  singleLine:
    "Use letters, numbers and punctuation on one line: line breaks, tabs and other control characters are not allowed.",
  multiLine:
    "Use letters, numbers and punctuation: control characters are not allowed (line breaks and tabs are).",
} as const;

/** True when `value` is well-formed Unicode: every surrogate has its partner. */
export function isWellFormedText(value: string): boolean {
  const native = (value as { isWellFormed?: () => boolean }).isWellFormed;
  return native ? native.call(value) : !LONE_SURROGATE.test(value);
}

/** True when `value` holds a control character; line breaks and tabs count only when `multiLine` is false. */
export function hasControlCharacters(value: string, multiLine = false): boolean {
  return !(multiLine ? MULTI_LINE : SINGLE_LINE).test(value);
}

/** Well-formed, and free of control characters (but line breaks and tabs when `multiLine`). */
export function isAcceptableText(value: string, multiLine = false): boolean {
  return isWellFormedText(value) && !hasControlCharacters(value, multiLine);
}

export interface TextOptions {
  /** Fewest characters (after trimming, when trimmed). */
  min?: number;
  minMessage?: string;
  /** Most characters (UTF-16 code units, as JavaScript counts). */
  max: number;
  maxMessage?: string;
  /** Trim surrounding white space first (default true). */
  trim?: boolean;
}

/** The well-formedness and control-character checks, after any trimming and length checks. */
function checked(schema: z.ZodString, multiLine: boolean): z.ZodString {
  return schema
    .refine(isWellFormedText, messages.illFormed)
    .regex(multiLine ? MULTI_LINE : SINGLE_LINE, multiLine ? messages.multiLine : messages.singleLine);
}

function lengths(options: TextOptions): z.ZodString {
  let schema = z.string();
  if (options.trim !== false) schema = schema.trim();
  if (options.min !== undefined) schema = schema.min(options.min, options.minMessage);
  return schema.max(options.max, options.maxMessage);
}

/** One line of text: names, titles, labels, search words, short codes. */
export function singleLineText(options: TextOptions): z.ZodString {
  return checked(lengths(options), false);
}

/** Free text over several lines: descriptions, comments, notes, answers. Line breaks and tabs allowed. */
export function multiLineText(options: TextOptions): z.ZodString {
  return checked(lengths(options), true);
}

/** The id of an object (trimmed, 1–64 characters, one line). */
export function identifier(max = 64): z.ZodString {
  return singleLineText({ min: 1, max });
}

/** What a person types into a search box or a filter: one line, trimmed. */
export function searchText(options: { max: number; min?: number; minMessage?: string }): z.ZodString {
  return singleLineText(options);
}

/**
 * Something opaque Nexus handed out and gets back as is (a page cursor, a link's token): not trimmed, one
 * line, at most `max` characters.
 */
export function opaqueText(
  max: number,
  options: { min?: number; minMessage?: string; maxMessage?: string } = {},
) {
  return singleLineText({ ...options, max, trim: false });
}

/**
 * A secret being checked (a password at sign-in): only well-formedness is required, so a password set
 * before these rules still works; never trimmed.
 */
export function secretText(options: Omit<TextOptions, "trim">): z.ZodString {
  return lengths({ ...options, trim: false }).refine(isWellFormedText, messages.illFormed);
}

/** A new secret (a password being set): one line of well-formed text without control characters. */
export function newSecretText(options: Omit<TextOptions, "trim">): z.ZodString {
  return singleLineText({ ...options, trim: false });
}
