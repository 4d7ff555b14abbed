import { LibsqlError } from "@libsql/client/web";

/**
 * True when a write failed on a UNIQUE constraint (optionally: on one naming `columns`, as SQLite lists
 * them, e.g. "invitations.tenant_id, invitations.email"), looking through drizzle's wrapping.
 */
export function isUniqueViolation(error: unknown, columns?: string): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof LibsqlError && e.code.startsWith("SQLITE_CONSTRAINT")) {
      return /UNIQUE constraint failed/i.test(e.message) && (!columns || e.message.includes(columns));
    }
  }
  return false;
}
