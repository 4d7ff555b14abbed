import { decodeCursor, encodeCursor, invalidCursor } from "../../../../db/lists";
import type { IssueSort } from "../../../../shared/schemas/issues";

/**
 * Keyset positions in the issue list, per sort: the sort key of the last row of a page, in the shared
 * cursor codec (db/lists.ts) tagged with the sort it belongs to, so a cursor used with another sort is refused.
 */
export type IssueCursor =
  | { kind: "time"; at: number; id: string } // updatedAt, resolutionDueAt
  | { kind: "number"; number: number } // createdAt, number
  | { kind: "priority"; rank: number; at: number; id: string }; // priority

const tagOf = (sort: IssueSort) => `issues:${sort.field}:${sort.direction}`;

export function encodeIssueCursor(sort: IssueSort, cursor: IssueCursor): string {
  const key =
    cursor.kind === "time"
      ? [cursor.at, cursor.id]
      : cursor.kind === "number"
        ? [cursor.number]
        : [cursor.rank, cursor.at, cursor.id];
  return encodeCursor(tagOf(sort), key);
}

const isInt = (v: number) => Number.isSafeInteger(v);
const isId = (v: string) => v.length > 0 && v.length <= 64;

export function decodeIssueCursor(sort: IssueSort, cursor: string): IssueCursor {
  const tag = tagOf(sort);
  switch (sort.field) {
    case "updatedAt":
    case "resolutionDueAt": {
      const [at, id] = decodeCursor(cursor, tag, ["number", "string"]);
      if (isInt(at) && isId(id)) return { kind: "time", at, id };
      break;
    }
    case "createdAt":
    case "number": {
      const [number] = decodeCursor(cursor, tag, ["number"]);
      if (isInt(number)) return { kind: "number", number };
      break;
    }
    case "priority": {
      const [rank, at, id] = decodeCursor(cursor, tag, ["number", "number", "string"]);
      if (isInt(rank) && rank >= 0 && rank < 4 && isInt(at) && isId(id))
        return { kind: "priority", rank, at, id };
      break;
    }
  }
  throw invalidCursor();
}
