import { AppError } from "../../../../shared/errors";

/** Opaque keyset cursors: base64 of a JSON array the server wrote and checks on the way back. */
export function encodeCursor(parts: readonly (string | number)[]): string {
  return btoa(JSON.stringify(parts));
}

/** Decodes a cursor whose parts must have the given types; anything else is a 400 naming `cursor`. */
export function decodeCursor<T extends readonly ("string" | "number")[]>(
  cursor: string,
  types: T,
): { [K in keyof T]: T[K] extends "number" ? number : string } {
  try {
    const parts = JSON.parse(atob(cursor)) as unknown;
    if (
      Array.isArray(parts) &&
      parts.length === types.length &&
      parts.every((p, i) => typeof p === types[i] && (typeof p !== "number" || Number.isFinite(p)))
    ) {
      return parts as never;
    }
  } catch {
    // fall through
  }
  throw invalidCursor();
}

export function invalidCursor(): AppError {
  return new AppError("BAD_REQUEST", "The page cursor is not valid. Start from the first page.", {
    fieldErrors: { cursor: ["Not a cursor Nexus issued for this list"] },
  });
}

/** `term` for a LIKE … ESCAPE '\' substring match. */
export function likeContains(term: string): string {
  return `%${likeEscape(term)}%`;
}

export function likeEscape(term: string): string {
  return term.replace(/[%_\\]/g, (m) => `\\${m}`);
}
