import { lt, sql } from "drizzle-orm";
import type { ControlDb } from "../../db/client";
import { accessTokens, rateLimits, refreshTokens } from "../../db/control/schema";

/** Rate-limit windows are at most an hour; counters older than a day are dead weight. */
const RATE_LIMIT_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes credentials nobody can use any more: expired access tokens and refresh tokens, and stale
 * rate-limit counters. Token families stay (they are the history of an app's sign-in). Returns counts.
 */
export async function deleteExpiredCredentials(control: ControlDb, now = new Date()) {
  const [access, refresh, counters] = await control.batch([
    control.delete(accessTokens).where(lt(accessTokens.expiresAt, now)),
    control.delete(refreshTokens).where(lt(refreshTokens.expiresAt, now)),
    control
      .delete(rateLimits)
      .where(lt(rateLimits.windowStartedAt, sql`${now.getTime() - RATE_LIMIT_RETENTION_MS}`)),
  ]);
  return {
    accessTokens: access.rowsAffected,
    refreshTokens: refresh.rowsAffected,
    rateLimits: counters.rowsAffected,
  };
}
