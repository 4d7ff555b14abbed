import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, keysetPage, likeContains, likeEscape } from "../../db/lists";
import { AppError } from "../../shared/errors";

const refused = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error instanceof AppError && error.code === "BAD_REQUEST" && !!error.details.fieldErrors?.cursor;
  }
  return false;
};

describe("the cursor codec", () => {
  it("gives back the key it encoded, for any strings and finite numbers", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }),
        fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => n + 0),
        (s, n) => {
          const cursor = encodeCursor("things:name", [s, n]);
          expect(cursor).toMatch(/^[A-Za-z0-9_-]*$/);
          expect(decodeCursor(cursor, "things:name", ["string", "number"])).toEqual([s, n]);
        },
      ),
    );
  });

  it("refuses a cursor of another list or order with a 400 naming the cursor", () => {
    const cursor = encodeCursor("things:name:asc", ["a", "b"]);
    expect(refused(() => decodeCursor(cursor, "things:name:desc", ["string", "string"]))).toBe(true);
    expect(refused(() => decodeCursor(cursor, "others:name:asc", ["string", "string"]))).toBe(true);
  });

  it("refuses parts of the wrong type or number, and anything it did not write", () => {
    const cursor = encodeCursor("t", ["a", 1]);
    expect(refused(() => decodeCursor(cursor, "t", ["string", "string"]))).toBe(true);
    expect(refused(() => decodeCursor(cursor, "t", ["string"]))).toBe(true);
    for (const junk of ["", "garbage", "%%%", btoa("[]"), btoa('["t",null]'), btoa("{}")]) {
      expect(
        refused(() => decodeCursor(junk, "t", ["string"])),
        junk,
      ).toBe(true);
    }
  });
});

describe("a keyset page", () => {
  const key = (n: number) => [n] as const;

  it("keeps the first `limit` rows and a cursor after the last of them when another row was read", () => {
    const page = keysetPage([1, 2, 3], 2, "n", key);
    expect(page.items).toEqual([1, 2]);
    expect(decodeCursor(page.nextCursor!, "n", ["number"])).toEqual([2]);
  });

  it("has no next cursor when the rows read fit the page", () => {
    expect(keysetPage([1, 2], 2, "n", key)).toEqual({ items: [1, 2], nextCursor: null });
    expect(keysetPage([], 2, "n", key)).toEqual({ items: [], nextCursor: null });
  });
});

describe("the LIKE escape", () => {
  it("escapes the wildcards and the escape character, and nothing else", () => {
    expect(likeEscape("50%_off\\")).toBe("50\\%\\_off\\\\");
    expect(likeContains("a_b")).toBe("%a\\_b%");
    expect(likeEscape("plain text")).toBe("plain text");
  });
});
