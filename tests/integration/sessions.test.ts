import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sessions, users } from "../../db/control/schema";
import {
  createSession,
  deleteExpiredSessions,
  resolveAccess,
  SESSION_ABSOLUTE_MS,
  SESSION_INACTIVITY_MS,
  sessionIdOf,
} from "../../worker/auth/session";
import { freshControl, planeWithControl } from "../support/databases";
import { createUser, tenantWithMember } from "../support/fixtures";

describe("sessions", () => {
  it("stores only the token's hash and resolves the token to its user", async () => {
    const { db } = await freshControl();
    const user = await createUser(db);
    const { token } = await createSession(db, user.id, { ip: "203.0.113.9", userAgent: "Firefox" });
    const stored = await db.select().from(sessions);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.id).toBe(sessionIdOf(token));
    expect(stored[0]?.id).not.toContain(token);
    const access = await resolveAccess(db, token, null);
    expect(access?.user.id).toBe(user.id);
    expect(access?.tenant).toBeNull();
  });

  it("resolves the caller's role in the named tenant in the same lookup", async () => {
    const control = await freshControl();
    const { tenant, token } = await tenantWithMember(
      control.db,
      planeWithControl(control.namespace),
      "viewer",
    );
    const access = await resolveAccess(control.db, token, tenant.slug);
    expect(access?.tenant?.id).toBe(tenant.id);
    expect(access?.tenant?.role).toBe("viewer");
  });

  it("knows a tenant but gives no role to a caller who is not a member", async () => {
    const control = await freshControl();
    const plane = planeWithControl(control.namespace);
    const a = await tenantWithMember(control.db, plane);
    const b = await tenantWithMember(control.db, plane);
    const access = await resolveAccess(control.db, b.token, a.tenant.slug);
    expect(access?.tenant?.role).toBeNull();
  });

  it("ends a session after its inactivity window and deletes it", async () => {
    const { db } = await freshControl();
    const user = await createUser(db);
    const start = new Date("2026-09-01T08:00:00Z");
    const { token } = await createSession(db, user.id, { ip: null, userAgent: null }, start);
    const later = new Date(start.getTime() + SESSION_INACTIVITY_MS + 1);
    expect(await resolveAccess(db, token, null, later)).toBeNull();
    expect(await db.select().from(sessions)).toHaveLength(0);
  });

  it("slides the inactivity window with use but never past the absolute lifetime", async () => {
    const { db } = await freshControl();
    const user = await createUser(db);
    const start = new Date("2026-09-01T08:00:00Z");
    const { token } = await createSession(db, user.id, { ip: null, userAgent: null }, start);
    let now = start.getTime();
    while (now + SESSION_INACTIVITY_MS / 2 < start.getTime() + SESSION_ABSOLUTE_MS) {
      now += SESSION_INACTIVITY_MS / 2;
      expect(await resolveAccess(db, token, null, new Date(now))).not.toBeNull();
    }
    expect(await resolveAccess(db, token, null, new Date(start.getTime() + SESSION_ABSOLUTE_MS))).toBeNull();
  });

  it("refuses the session of a deactivated user", async () => {
    const { db } = await freshControl();
    const user = await createUser(db);
    const { token } = await createSession(db, user.id, { ip: null, userAgent: null });
    await db.update(users).set({ status: "deactivated" }).where(eq(users.id, user.id));
    expect(await resolveAccess(db, token, null)).toBeNull();
  });

  it("cleans up only the sessions that have expired", async () => {
    const { db } = await freshControl();
    const user = await createUser(db);
    const old = new Date(Date.now() - SESSION_ABSOLUTE_MS - 1000);
    await createSession(db, user.id, { ip: null, userAgent: null }, old);
    await createSession(db, user.id, { ip: null, userAgent: null });
    expect(await deleteExpiredSessions(db)).toBe(1);
    expect(await db.select().from(sessions)).toHaveLength(1);
  });
});
