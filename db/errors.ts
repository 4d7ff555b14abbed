import { LibsqlError } from "@libsql/client/web";

/**
 * True when an error means the database could not be reached (down, unknown namespace, network), as
 * opposed to a bad statement. Such errors answer 503, and only for the request that hit that database.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof LibsqlError) {
      return ["SERVER_ERROR", "HRANA_CLOSED_ERROR", "HRANA_WEBSOCKET_ERROR", "HRANA_PROTO_ERROR"].includes(
        e.code,
      );
    }
    if (e instanceof TypeError && /fetch|network|connect|socket/i.test(e.message)) return true;
    const name = (e as { name?: unknown }).name;
    if (name === "TimeoutError" || name === "AbortError") return true;
  }
  return false;
}
