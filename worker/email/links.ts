import type { Env } from "../env";

/**
 * Where links in mail point: PUBLIC_URL without a trailing slash, or null when it is not configured (then
 * no link can be made, and mail that needs one is not sent).
 */
export function publicLinkBase(env: Pick<Env, "PUBLIC_URL">): string | null {
  return env.PUBLIC_URL?.trim().replace(/\/+$/, "") || null;
}
