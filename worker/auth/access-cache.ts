import type { ResolvedAccess } from "./session";

/**
 * A per-isolate cache of resolved access (session, user, membership), so a burst of requests from one
 * client costs one control-database query instead of one each. Only successful resolutions are cached,
 * for at most ACCESS_CACHE_TTL_MS and never past the session's expiry. Revocations in this isolate
 * (sign-out, deactivation, role change) evict at once; other isolates see them within the TTL.
 * See docs/decisions/0004-sessions-without-lucia.md.
 */
export const ACCESS_CACHE_TTL_MS = 2000;
const MAX_ENTRIES = 5000;

interface Entry {
  access: ResolvedAccess;
  until: number;
}

export class AccessCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly ttlMs = ACCESS_CACHE_TTL_MS) {}

  private static key(sessionId: string, tenantSlug: string | null): string {
    return `${sessionId}|${tenantSlug ?? ""}`;
  }

  get(sessionId: string, tenantSlug: string | null, now = Date.now()): ResolvedAccess | undefined {
    const key = AccessCache.key(sessionId, tenantSlug);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.access;
  }

  set(sessionId: string, tenantSlug: string | null, access: ResolvedAccess, now = Date.now()): void {
    if (this.entries.size >= MAX_ENTRIES) {
      // Maps iterate in insertion order: drop the oldest.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    const until = Math.min(now + this.ttlMs, access.session.expiresAt.getTime());
    this.entries.set(AccessCache.key(sessionId, tenantSlug), { access, until });
  }

  forgetSession(sessionId: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(`${sessionId}|`)) this.entries.delete(key);
  }

  forgetUser(userId: string): void {
    for (const [key, entry] of this.entries) if (entry.access.user.id === userId) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

/** The isolate's cache. */
export const accessCache = new AccessCache();
