import { LibsqlError } from "@libsql/client/web";

/** How long a client should wait before trying again after a database outage (the Retry-After header). */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * What a failed database call means for the request: `unavailable` when the database could not be reached
 * (an outage: answer 503 with Retry-After, and only for the request that hit that database), `failed` when it
 * was reached and refused or could not run the statement (our fault or bad data: 500 with a reference,
 * logged), or null when the error did not come from a database at all.
 */
export type DatabaseErrorKind = "unavailable" | "failed";

/**
 * HTTP statuses from sqld or Turso (or a proxy in front of them) that mean "not reachable now": the
 * namespace is missing or being loaded (404), or a gateway/server is down or timed out (502, 503, 504).
 */
const UNAVAILABLE_STATUSES = new Set([404, 502, 503, 504]);

/** Error codes of a connection that failed (Node and workerd), and the messages their fetch gives. */
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);
const CONNECTION_MESSAGE =
  /fetch failed|network connection lost|network error|connection (refused|reset|closed)|socket hang up/i;

function causeOf(e: unknown): unknown {
  return e && typeof e === "object" ? (e as { cause?: unknown }).cause : undefined;
}

/** The HTTP status sqld answered with, from the error chain of a SERVER_ERROR. */
function serverStatusOf(error: LibsqlError): number | null {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = causeOf(e), depth++) {
    const status = (e as { status?: unknown }).status;
    if (typeof status === "number") return status;
  }
  const match = /HTTP status (\d{3})/.exec(error.message);
  return match ? Number(match[1]) : null;
}

/** A network failure or a timeout on the way to the database (not an answer from it). */
function isConnectionFailure(e: unknown): boolean {
  if (!e || typeof e !== "object") return false;
  const { name, code, message } = e as { name?: unknown; code?: unknown; message?: unknown };
  if (name === "TimeoutError" || name === "AbortError") return true;
  if (typeof code === "string" && CONNECTION_CODES.has(code)) return true;
  // Node's fetch throws a TypeError ("fetch failed"); workerd an Error ("Network connection lost.").
  return e instanceof Error && typeof message === "string" && CONNECTION_MESSAGE.test(message);
}

/** Classifies an error by looking through drizzle's and libSQL's wrapping (see DatabaseErrorKind). */
export function classifyDatabaseError(error: unknown): DatabaseErrorKind | null {
  let fromDatabase = false;
  for (let e: unknown = error, depth = 0; e && depth < 8; e = causeOf(e), depth++) {
    if (e instanceof LibsqlError) {
      fromDatabase = true;
      if (e.code === "SERVER_ERROR") {
        const status = serverStatusOf(e);
        const namespaceMissing = status === 500 && /namespace/i.test(e.message);
        return (status !== null && UNAVAILABLE_STATUSES.has(status)) || namespaceMissing
          ? "unavailable"
          : "failed";
      }
      if (e.code === "HRANA_WEBSOCKET_ERROR") return "unavailable";
      // A closed stream is an outage only when what closed it was (see its cause, next in the chain).
      if (e.code === "HRANA_CLOSED_ERROR") continue;
      return "failed";
    }
    if (isConnectionFailure(e)) return "unavailable";
    if (e instanceof Error && "query" in e && "params" in e) fromDatabase = true; // drizzle's DrizzleQueryError
  }
  return fromDatabase ? "failed" : null;
}

/**
 * True when an error means the database could not be reached (down, unknown namespace, network, timeout),
 * as opposed to a statement it refused (a constraint, ill-formed text, a syntax error): only this answers 503.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return classifyDatabaseError(error) === "unavailable";
}

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
