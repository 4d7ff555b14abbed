import { AppError } from "../../../../shared/errors";

/** An opaque keyset cursor: the sort key of the last row of a page, base64 JSON. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return btoa(JSON.stringify(key));
}

/** Decodes a cursor into `[string|number, string]` shapes; anything else is a 400 on the `cursor` field. */
export function decodeCursor<T extends readonly ("string" | "number")[]>(
  cursor: string,
  shape: T,
): { [K in keyof T]: T[K] extends "number" ? number : string } {
  try {
    const parts = JSON.parse(atob(cursor)) as unknown;
    if (
      Array.isArray(parts) &&
      parts.length === shape.length &&
      parts.every((part, i) => typeof part === shape[i])
    ) {
      return parts as { [K in keyof T]: T[K] extends "number" ? number : string };
    }
  } catch {
    // fall through
  }
  throw new AppError("BAD_REQUEST", "The page cursor is not valid. Start from the first page.", {
    fieldErrors: { cursor: ["Not a cursor Nexus issued"] },
  });
}
