import { AppError } from "../../../../shared/errors";
import type { IssueSort } from "../../../../shared/schemas/issues";

/**
 * Keyset positions in the issue list, per sort: the sort key of the last row of a page. Opaque to clients
 * (base64url JSON), tagged with the sort it belongs to, so a cursor used with another sort is refused.
 */
export type IssueCursor =
  | { kind: "time"; at: number; id: string } // updatedAt, resolutionDueAt
  | { kind: "number"; number: number } // createdAt, number
  | { kind: "priority"; rank: number; at: number; id: string }; // priority

const tagOf = (sort: IssueSort) => `${sort.field}:${sort.direction}`;

export function encodeIssueCursor(sort: IssueSort, cursor: IssueCursor): string {
  const key =
    cursor.kind === "time"
      ? [cursor.at, cursor.id]
      : cursor.kind === "number"
        ? [cursor.number]
        : [cursor.rank, cursor.at, cursor.id];
  return btoa(JSON.stringify([tagOf(sort), ...key]))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

const invalid = () =>
  new AppError("BAD_REQUEST", "The page cursor is not valid for this list. Start from the first page.", {
    fieldErrors: { cursor: ["Not a cursor Nexus issued for this sort"] },
  });

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v);
const isId = (v: unknown): v is string => typeof v === "string" && v.length > 0 && v.length <= 64;

export function decodeIssueCursor(sort: IssueSort, cursor: string): IssueCursor {
  let parts: unknown;
  try {
    parts = JSON.parse(atob(cursor.replace(/-/g, "+").replace(/_/g, "/")));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parts) || parts[0] !== tagOf(sort)) throw invalid();
  const [, a, b, c] = parts as unknown[];
  switch (sort.field) {
    case "updatedAt":
    case "resolutionDueAt":
      if (parts.length === 3 && isInt(a) && isId(b)) return { kind: "time", at: a, id: b };
      break;
    case "createdAt":
    case "number":
      if (parts.length === 2 && isInt(a)) return { kind: "number", number: a };
      break;
    case "priority":
      if (parts.length === 4 && isInt(a) && a >= 0 && a < 4 && isInt(b) && isId(c)) {
        return { kind: "priority", rank: a, at: b, id: c };
      }
      break;
  }
  throw invalid();
}
