import { describe, expect, it } from "vitest";
import { AccessCache } from "../../worker/auth/access-cache";
import type { ResolvedAccess } from "../../worker/auth/session";

const access = (userId: string, expiresAt = new Date(10_000_000)): ResolvedAccess => ({
  user: { id: userId, email: `${userId}@example.org`, name: userId, twoFactorEnabled: false },
  session: {
    id: `s-${userId}`,
    kind: "session",
    expiresAt,
    lastUsedAt: new Date(0),
    reauthenticatedAt: null,
    scopes: null,
    tenantId: null,
  },
  tenant: null,
});

describe("the access cache", () => {
  it("serves an entry until its time to live runs out", () => {
    const cache = new AccessCache(2000);
    cache.set("s1", "riverton", access("u1"), 1000);
    expect(cache.get("s1", "riverton", 2999)?.user.id).toBe("u1");
    expect(cache.get("s1", "riverton", 3000)).toBeUndefined();
  });

  it("keeps entries apart by tenant", () => {
    const cache = new AccessCache(2000);
    cache.set("s1", "riverton", access("u1"), 0);
    expect(cache.get("s1", "cedar-valley", 1)).toBeUndefined();
    expect(cache.get("s1", null, 1)).toBeUndefined();
  });

  it("never serves a session past its own expiry", () => {
    const cache = new AccessCache(60_000);
    cache.set("s1", null, access("u1", new Date(1500)), 1000);
    expect(cache.get("s1", null, 1499)).toBeDefined();
    expect(cache.get("s1", null, 1500)).toBeUndefined();
  });

  it("forgets a revoked session and every session of a deactivated user at once", () => {
    const cache = new AccessCache(60_000);
    cache.set("s1", "riverton", access("u1"), 0);
    cache.set("s1", null, access("u1"), 0);
    cache.set("s2", null, access("u2"), 0);
    cache.forgetSession("s1");
    expect(cache.get("s1", "riverton", 1)).toBeUndefined();
    expect(cache.get("s1", null, 1)).toBeUndefined();
    cache.forgetUser("u2");
    expect(cache.get("s2", null, 1)).toBeUndefined();
  });
});
