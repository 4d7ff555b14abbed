import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createGroupInput } from "../../shared/schemas/groups";
import { createCommentInput } from "../../shared/schemas/issue-extras";
import { issueFilters, updateIssueInput } from "../../shared/schemas/issues";
import {
  hasControlCharacters,
  identifier,
  isWellFormedText,
  messages,
  multiLineText,
  opaqueText,
  secretText,
  singleLineText,
} from "../../shared/schemas/text";

const isControl = (code: number) => code < 0x20 || (code >= 0x7f && code <= 0x9f);
/** Every control character: C0, DEL and C1. */
const controls = [
  ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)),
  ...Array.from({ length: 0x21 }, (_, i) => String.fromCharCode(0x7f + i)),
];
const lineBreaksAndTabs = ["\n", "\r", "\t"];

const loneSurrogate = fc.oneof(
  fc.integer({ min: 0xd800, max: 0xdbff }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0xdc00, max: 0xdfff }).map((c) => String.fromCharCode(c)),
);
/** Printable, well-formed text: any Unicode scalar value but control characters (astral ones included). */
const printable = (maxLength: number) =>
  fc
    .string({ unit: "grapheme", maxLength })
    .map((s) => [...s].filter((ch) => !isControl(ch.codePointAt(0)!)).join(""));
/** `inner` with `bad` put somewhere in it: at the start, the end, or between two characters. */
const withInside = (inner: fc.Arbitrary<string>, bad: fc.Arbitrary<string>) =>
  fc.tuple(inner, bad, fc.nat()).map(([s, b, at]) => {
    const chars = [...s];
    const i = chars.length === 0 ? 0 : at % (chars.length + 1);
    return [...chars.slice(0, i), b, ...chars.slice(i)].join("");
  });

const name = singleLineText({ min: 1, minMessage: "Give it a name.", max: 100 });
const notes = multiLineText({ max: 2000 });
const everyKind = [name, notes, identifier(), opaqueText(500), secretText({ min: 1, max: 200 })];

describe("the text rules", () => {
  it("refuse any string holding a lone surrogate, wherever it is, in every kind of text", () => {
    fc.assert(
      fc.property(withInside(printable(40), loneSurrogate), (value) => {
        expect(isWellFormedText(value)).toBe(false);
        for (const schema of everyKind) {
          const result = schema.safeParse(value);
          expect(result.success).toBe(false);
          expect(result.error?.issues.map((i) => i.message)).toContain(messages.illFormed);
        }
      }),
    );
  });

  it("refuse any string holding a control character in one-line text, tabs and line breaks included", () => {
    fc.assert(
      fc.property(
        withInside(
          fc.string({ minLength: 1, maxLength: 40, unit: "grapheme-ascii" }).map((s) => `x${s}x`),
          fc.constantFrom(...controls),
        ),
        (value) => {
          expect(hasControlCharacters(value)).toBe(true);
          const result = name.safeParse(`a${value}b`);
          expect(result.success).toBe(false);
          expect(result.error?.issues.map((i) => i.message)).toContain(messages.singleLine);
        },
      ),
    );
  });

  it("refuse control characters in multi-line text but for line breaks and tabs", () => {
    const refused = controls.filter((c) => !lineBreaksAndTabs.includes(c));
    fc.assert(
      fc.property(withInside(printable(40), fc.constantFrom(...refused)), (value) => {
        const result = notes.safeParse(`a${value}b`);
        expect(result.success).toBe(false);
        expect(result.error?.issues.map((i) => i.message)).toContain(messages.multiLine);
      }),
    );
    expect(notes.parse("First line\r\nSecond line\n\tindented")).toBe(
      "First line\r\nSecond line\n\tindented",
    );
  });

  it("accept any well-formed printable string within the limits, trimmed as before", () => {
    fc.assert(
      fc.property(printable(60), (value) => {
        const trimmed = value.trim();
        fc.pre(trimmed.length >= 1 && trimmed.length <= 100);
        expect(name.parse(value)).toBe(trimmed);
        expect(notes.parse(value)).toBe(trimmed);
        expect(opaqueText(500).parse(value)).toBe(value);
      }),
    );
  });

  it("keep each field's lengths and messages", () => {
    expect(name.safeParse("   ").error?.issues[0]?.message).toBe("Give it a name.");
    expect(name.safeParse("x".repeat(101)).success).toBe(false);
    expect(name.safeParse("x".repeat(100)).success).toBe(true);
    expect(identifier().safeParse("x".repeat(65)).success).toBe(false);
    expect(identifier().parse("  01J8Z  ")).toBe("01J8Z");
    // An emoji is a surrogate pair, which is well-formed.
    expect(name.parse("Room 12 🎭")).toBe("Room 12 🎭");
  });

  it("are what the shared schemas use for names, free text, ids and searches", () => {
    expect(createGroupInput.safeParse({ name: "\ud800" }).success).toBe(false);
    expect(createGroupInput.safeParse({ name: "Help\u0000desk" }).success).toBe(false);
    expect(createGroupInput.safeParse({ name: "Help desk", description: "Line one\nLine two" }).success).toBe(
      true,
    );
    expect(createCommentInput.safeParse({ issueId: "a", body: "Fixed\u0007" }).success).toBe(false);
    expect(createCommentInput.safeParse({ issueId: "a\ud800", body: "Fixed" }).success).toBe(false);
    expect(updateIssueInput.safeParse({ id: "a", version: 1, title: "Two\nlines" }).success).toBe(false);
    expect(issueFilters.safeParse({ search: "\udfffwifi" }).success).toBe(false);
  });
});
