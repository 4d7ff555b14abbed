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
    const riverton = access("u1");
    const cedarValley = access("u1");
    cache.set("s1", "riverton", riverton, 0);
    expect(cache.get("s1", "riverton", 1)).toBe(riverton);
    expect(cache.get("s1", "cedar-valley", 1)).toBeUndefined();
    expect(cache.get("s1", null, 1)).toBeUndefined();
    cache.set("s1", "cedar-valley", cedarValley, 0);
    expect(cache.get("s1", "cedar-valley", 1)).toBe(cedarValley);
    expect(cache.get("s1", "riverton", 1)).toBe(riverton);
  });

  it("never serves a session past its own expiry", () => {
    const cache = new AccessCache(60_000);
    const entry = access("u1", new Date(1500));
    cache.set("s1", null, entry, 1000);
    expect(cache.get("s1", null, 1000)).toBe(entry);
    expect(cache.get("s1", null, 1499)).toBe(entry);
    expect(cache.get("s1", null, 1500)).toBeUndefined();
    // Gone for good: an earlier clock does not bring it back.
    expect(cache.get("s1", null, 1499)).toBeUndefined();
  });

  it("forgets a revoked session and every session of a deactivated user at once", () => {
    const cache = new AccessCache(60_000);
    cache.set("s1", "riverton", access("u1"), 0);
    cache.set("s1", null, access("u1"), 0);
    cache.set("s10", null, access("u1"), 0);
    cache.set("s2", null, access("u2"), 0);
    cache.set("s3", "riverton", access("u3"), 0);
    cache.forgetSession("s1");
    expect(cache.get("s1", "riverton", 1)).toBeUndefined();
    expect(cache.get("s1", null, 1)).toBeUndefined();
    // Only that session: the user's other session, and everyone else's, are still served.
    expect(cache.get("s10", null, 1)?.session.id).toBe("s-u1");
    expect(cache.get("s2", null, 1)?.user.id).toBe("u2");
    cache.forgetUser("u2");
    expect(cache.get("s2", null, 1)).toBeUndefined();
    expect(cache.get("s3", "riverton", 1)?.user.id).toBe("u3");
    expect(cache.get("s10", null, 1)?.user.id).toBe("u1");
  });

  it("makes room by dropping the oldest entry, keeping the rest", () => {
    const cache = new AccessCache(60_000);
    const limit = 5000;
    for (let i = 0; i < limit; i++) cache.set(`s${i}`, null, access(`u${i}`), 0);
    expect(cache.get("s0", null, 1)?.user.id).toBe("u0");
    cache.set("newest", null, access("u-new"), 0);
    expect(cache.get("s0", null, 1)).toBeUndefined();
    expect(cache.get("s1", null, 1)?.user.id).toBe("u1");
    expect(cache.get(`s${limit - 1}`, null, 1)?.user.id).toBe(`u${limit - 1}`);
    expect(cache.get("newest", null, 1)?.user.id).toBe("u-new");
  });
});
