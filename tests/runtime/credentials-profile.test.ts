import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, memberships, sessions, tokenFamilies, users } from "../../db/control/schema";
import { newId } from "../../shared/ids";
import { sessionIdOf } from "../../worker/auth/session";
import {
  account,
  markReauthenticated,
  PASSWORD,
  signIn,
  tokenRequest,
  trpcMutation,
} from "./credentials-support";
import { control, member, trpcQuery } from "./support";

const CHROME_ON_WINDOWS =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
const SAFARI_ON_IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

async function auditCount(userId: string): Promise<number> {
  const [row] = await control()
    .select({ n: sql<number>`count(*)` })
    .from(auditLog)
    .where(eq(auditLog.actorId, userId));
  return Number(row?.n ?? 0);
}

describe("re-authentication", () => {
  it("is required before changing the password, the email or the second factor", async () => {
    const a = await account();
    const attempts: [string, unknown][] = [
      ["system.profile.changePassword", { newPassword: "Another-Long-Passphrase-7" }],
      ["system.profile.changeEmail", { email: `new-${crypto.randomUUID().slice(0, 8)}@example.org` }],
      ["system.profile.twoFactor.begin", undefined],
      ["system.profile.twoFactor.disable", undefined],
      ["system.profile.twoFactor.regenerateRecoveryCodes", undefined],
    ];
    for (const [path, input] of attempts) {
      const result = await trpcMutation(path, input, { token: a.token });
      expect({ path, status: result.status, reason: result.body.error?.data?.reason }).toEqual({
        path,
        status: 403,
        reason: "reauthentication_required",
      });
    }
    const before = await control().query.users.findFirst({ where: eq(users.id, a.user.id) });
    expect(before?.email).toBe(a.email);
    expect(before?.totpSecret).toBeNull();

    const reauth = await trpcMutation(
      "system.profile.reauthenticate",
      { password: a.password },
      { token: a.token },
    );
    expect(reauth.status).toBe(200);
    const email = `moved-${crypto.randomUUID().slice(0, 8)}@Example.org`;
    const changed = await trpcMutation("system.profile.changeEmail", { email }, { token: a.token });
    expect(changed.status).toBe(200);
    expect(changed.body.result.data).toEqual({ email: email.toLowerCase(), emailVerified: false });

    // Ten minutes later it is needed again.
    await control()
      .update(sessions)
      .set({ reauthenticatedAt: new Date(Date.now() - 11 * 60_000) })
      .where(eq(sessions.id, sessionIdOf(a.token)));
    const late = await trpcMutation("system.profile.twoFactor.begin", undefined, { token: a.token });
    expect(late.status).toBe(403);
    expect(late.body.error.data.reason).toBe("reauthentication_required");
  });

  it("counts a password sign-in as a fresh entry of the credential", async () => {
    const a = await account();
    const session = await signIn(a.email, a.password);
    const begin = await trpcMutation("system.profile.twoFactor.begin", undefined, { token: session.token! });
    expect(begin.status).toBe(200);
    expect(begin.body.result.data.uri).toMatch(/^otpauth:\/\/totp\/Nexus:/);
    expect(begin.body.result.data.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>$/);
    expect(begin.body.result.data.secret).toMatch(/^[A-Z2-7]{32}$/);
    const stored = await control().query.users.findFirst({ where: eq(users.id, a.user.id) });
    expect(stored?.totpSecret).toMatch(/^v1\./);
    expect(stored?.totpSecret).not.toContain(begin.body.result.data.secret);
  });

  it("answers a wrong password with 400 on the field, and the session lives on", async () => {
    const a = await account();
    const wrong = await trpcMutation(
      "system.profile.reauthenticate",
      { password: "Not-The-Password-1" },
      { token: a.token },
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.data.fieldErrors.password).toBeDefined();
    expect((await trpcQuery("system.me", undefined, { token: a.token })).status).toBe(200);
    const code = await trpcMutation("system.profile.reauthenticate", { code: "123456" }, { token: a.token });
    expect(code.status).toBe(400);
    expect(code.body.error.data.fieldErrors.code).toBeDefined();
  });
});

describe("password changes", () => {
  it("reject common passwords", async () => {
    const a = await account();
    await trpcMutation("system.profile.reauthenticate", { password: a.password }, { token: a.token });
    for (const newPassword of ["1q2w3e4r5t6y", "password1234", "Sunshine2024!", "aaaaaaaaaaaaaaa", "short"]) {
      const result = await trpcMutation("system.profile.changePassword", { newPassword }, { token: a.token });
      expect({ newPassword, status: result.status }).toEqual({ newPassword, status: 400 });
      expect(result.body.error.data.fieldErrors.newPassword).toBeDefined();
    }
    const stored = await control().query.users.findFirst({ where: eq(users.id, a.user.id) });
    expect(stored?.passwordChangedAt).toBeNull();
  });

  it("end every other session and every token family, and keep the current session", async () => {
    const a = await account();
    const here = await signIn(a.email, a.password);
    const elsewhere = await signIn(a.email, a.password);
    const app = (await tokenRequest({ grant_type: "password", username: a.email, password: a.password }))
      .body;
    for (const token of [here.token!, elsewhere.token!, app.access_token, a.token]) {
      expect((await trpcQuery("system.me", undefined, { token })).status).toBe(200);
    }
    const newPassword = "Quiet-Meadow-Compass-913";
    const changed = await trpcMutation(
      "system.profile.changePassword",
      { newPassword },
      { token: here.token! },
    );
    expect(changed.status).toBe(200);
    expect(changed.body.result.data.endedSessions).toBe(2);

    expect((await trpcQuery("system.me", undefined, { token: here.token! })).status).toBe(200);
    for (const token of [elsewhere.token!, app.access_token, a.token]) {
      expect((await trpcQuery("system.me", undefined, { token })).status).toBe(401);
    }
    const refresh = await tokenRequest({ grant_type: "refresh_token", refresh_token: app.refresh_token });
    expect(refresh.body.error).toBe("invalid_grant");
    const [family] = await control().select().from(tokenFamilies).where(eq(tokenFamilies.userId, a.user.id));
    expect(family?.revokedReason).toBe("password_changed");

    expect((await signIn(a.email, PASSWORD)).status).toBe(401);
    expect((await signIn(a.email, newPassword)).status).toBe(200);
    const audited = await control()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.actorId, a.user.id), eq(auditLog.action, "auth.password_changed")));
    expect(audited).toHaveLength(1);
  });
});

describe("sessions and devices", () => {
  it("lists each session's device, address and times, marks the current one, and revokes another at once", async () => {
    const a = await account();
    const desk = await signIn(a.email, a.password, { userAgent: CHROME_ON_WINDOWS, ip: "198.51.100.7" });
    const phone = await signIn(a.email, a.password, { userAgent: SAFARI_ON_IPHONE });
    await tokenRequest({
      grant_type: "password",
      username: a.email,
      password: a.password,
      client_name: "Sync",
    });

    const list = await trpcQuery("system.profile.sessions.list", undefined, { token: desk.token! });
    expect(list.status).toBe(200);
    const { sessions: listed, apps } = list.body.result.data;
    expect(listed).toHaveLength(3);
    const current = listed.find((s: { current: boolean }) => s.current);
    expect(current).toMatchObject({ device: "Chrome on Windows", ip: "198.51.100.7" });
    expect(listed.map((s: { device: string }) => s.device)).toContain("Safari on iPhone");
    expect(apps).toEqual([expect.objectContaining({ name: "Sync", current: false })]);
    const serialized = JSON.stringify(list.body);
    for (const token of [desk.token!, phone.token!, a.token]) {
      expect(serialized).not.toContain(token);
      expect(serialized).not.toContain(sessionIdOf(token));
    }

    expect((await trpcQuery("system.me", undefined, { token: phone.token! })).status).toBe(200);
    const phoneId = listed.find((s: { device: string }) => s.device === "Safari on iPhone").id;
    const revoked = await trpcMutation(
      "system.profile.sessions.revoke",
      { id: phoneId },
      { token: desk.token! },
    );
    expect(revoked.status).toBe(200);
    expect((await trpcQuery("system.me", undefined, { token: phone.token! })).status).toBe(401);

    const appRevoked = await trpcMutation(
      "system.profile.sessions.revoke",
      { id: apps[0].id },
      { token: desk.token! },
    );
    expect(appRevoked.status).toBe(200);
    const after = await trpcQuery("system.profile.sessions.list", undefined, { token: desk.token! });
    expect(after.body.result.data.sessions).toHaveLength(2);
    expect(after.body.result.data.apps).toHaveLength(0);
  });

  it("answers NOT_FOUND for another user's session or app, and leaves it alone", async () => {
    const a = await account();
    const b = await account();
    const bApp = (await tokenRequest({ grant_type: "password", username: b.email, password: b.password }))
      .body;
    const bList = (await trpcQuery("system.profile.sessions.list", undefined, { token: b.token })).body.result
      .data;
    for (const id of [bList.sessions[0].id, bList.apps[0].id]) {
      const result = await trpcMutation("system.profile.sessions.revoke", { id }, { token: a.token });
      expect(result.status).toBe(404);
    }
    expect((await trpcQuery("system.me", undefined, { token: b.token })).status).toBe(200);
    expect((await trpcQuery("system.me", undefined, { token: bApp.access_token })).status).toBe(200);
  });

  it("revokes every other session and app, keeping the current one", async () => {
    const a = await account();
    const other = await signIn(a.email, a.password);
    const app = (await tokenRequest({ grant_type: "password", username: a.email, password: a.password }))
      .body;
    const result = await trpcMutation("system.profile.sessions.revokeOthers", undefined, { token: a.token });
    expect(result.status).toBe(200);
    expect(result.body.result.data).toEqual({ sessions: 1, apps: 1 });
    expect((await trpcQuery("system.me", undefined, { token: a.token })).status).toBe(200);
    expect((await trpcQuery("system.me", undefined, { token: other.token! })).status).toBe(401);
    expect((await trpcQuery("system.me", undefined, { token: app.access_token })).status).toBe(401);
  });
});

describe("the profile", () => {
  it("shows name, email, two-factor status and default organization, and changes the name", async () => {
    const a = await account();
    const renamed = await trpcMutation(
      "system.profile.update",
      { name: "  Ada Lovelace " },
      { token: a.token },
    );
    expect(renamed.status).toBe(200);
    const set = await trpcMutation(
      "system.profile.context.set",
      { tenantSlug: a.tenant.slug, schoolId: "school-1", makeDefault: true },
      { token: a.token },
    );
    expect(set.status).toBe(200);
    const profile = await trpcQuery("system.profile.get", undefined, { token: a.token });
    expect(profile.body.result.data).toEqual({
      id: a.user.id,
      email: a.email,
      name: "Ada Lovelace",
      emailVerified: false,
      hasPassword: true,
      passwordChangedAt: null,
      twoFactor: { enabled: false, enabledAt: null, enrolmentPending: false, recoveryCodesRemaining: 0 },
      defaultTenant: { id: a.tenant.id, slug: a.tenant.slug, name: a.tenant.name },
      preferences: {
        contexts: { [a.tenant.id]: { projectId: null, schoolId: "school-1", calendarId: null } },
        notificationEmail: { assigned: true, mentioned: true },
      },
    });
  });

  it("remembers the default context per organization, only in organizations the user belongs to", async () => {
    const a = await account();
    const second = await member();
    await control().insert(memberships).values({
      id: newId(),
      userId: a.user.id,
      tenantId: second.tenant.id,
      role: "viewer",
      createdAt: new Date(),
    });
    const stranger = await member();

    const empty = await trpcQuery("system.profile.context.get", undefined, { token: a.token });
    expect(empty.body.result.data).toEqual({
      tenant: null,
      projectId: null,
      schoolId: null,
      calendarId: null,
    });

    await trpcMutation(
      "system.profile.context.set",
      { tenantSlug: a.tenant.slug, projectId: "p-1", calendarId: "c-1", makeDefault: true },
      { token: a.token },
    );
    await trpcMutation(
      "system.profile.context.set",
      { tenantSlug: second.tenant.slug, schoolId: "s-2", makeDefault: true },
      { token: a.token },
    );
    const current = await trpcQuery("system.profile.context.get", undefined, { token: a.token });
    expect(current.body.result.data).toEqual({
      tenant: { id: second.tenant.id, slug: second.tenant.slug, name: second.tenant.name },
      projectId: null,
      schoolId: "s-2",
      calendarId: null,
    });
    const first = await trpcQuery(
      "system.profile.context.get",
      { tenantSlug: a.tenant.slug },
      { token: a.token },
    );
    expect(first.body.result.data).toMatchObject({ projectId: "p-1", calendarId: "c-1", schoolId: null });

    // Without a slug the default organization is meant; null forgets a field.
    const cleared = await trpcMutation("system.profile.context.set", { schoolId: null }, { token: a.token });
    expect(cleared.body.result.data).toMatchObject({ tenant: { slug: second.tenant.slug }, schoolId: null });

    const foreignSet = await trpcMutation(
      "system.profile.context.set",
      { tenantSlug: stranger.tenant.slug },
      { token: a.token },
    );
    expect(foreignSet.status).toBe(404);
    const foreignGet = await trpcQuery(
      "system.profile.context.get",
      { tenantSlug: stranger.tenant.slug },
      { token: a.token },
    );
    expect(foreignGet.status).toBe(404);
    const stored = await control().query.users.findFirst({ where: eq(users.id, a.user.id) });
    expect(stored?.defaultTenantId).toBe(second.tenant.id);
  });

  it("keeps both of two contexts remembered at the same moment, and the email preference saved beside them", async () => {
    const a = await account();
    const second = await member();
    await control().insert(memberships).values({
      id: newId(),
      userId: a.user.id,
      tenantId: second.tenant.id,
      role: "viewer",
      createdAt: new Date(),
    });
    const answers = await Promise.all([
      trpcMutation(
        "system.profile.context.set",
        { tenantSlug: a.tenant.slug, schoolId: "s-1" },
        { token: a.token },
      ),
      trpcMutation(
        "system.profile.context.set",
        { tenantSlug: second.tenant.slug, schoolId: "s-2" },
        { token: a.token },
      ),
      trpcMutation("system.profile.notifications.set", { mentioned: false }, { token: a.token }),
    ]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    const stored = await control().query.users.findFirst({ where: eq(users.id, a.user.id) });
    expect(stored?.preferences.contexts).toEqual({
      [a.tenant.id]: { schoolId: "s-1" },
      [second.tenant.id]: { schoolId: "s-2" },
    });
    expect(stored?.preferences.notificationEmail).toEqual({ mentioned: false });
  });

  it("keeps the default organization when a school is remembered in another one", async () => {
    const a = await account();
    const second = await member();
    await control().insert(memberships).values({
      id: newId(),
      userId: a.user.id,
      tenantId: second.tenant.id,
      role: "viewer",
      createdAt: new Date(),
    });
    const made = await trpcMutation(
      "system.profile.context.set",
      { tenantSlug: a.tenant.slug, makeDefault: true },
      { token: a.token },
    );
    expect(made.body.result.data.tenant).toMatchObject({ slug: a.tenant.slug });

    const remembered = await trpcMutation(
      "system.profile.context.set",
      { tenantSlug: second.tenant.slug, schoolId: "s-2" },
      { token: a.token },
    );
    expect(remembered.status).toBe(200);
    expect(remembered.body.result.data).toMatchObject({
      tenant: { slug: second.tenant.slug },
      schoolId: "s-2",
    });
    const stored = await control().query.users.findFirst({ where: eq(users.id, a.user.id) });
    expect(stored?.defaultTenantId).toBe(a.tenant.id);
    expect(stored?.preferences.contexts?.[second.tenant.id]).toEqual({ schoolId: "s-2" });
    const profile = await trpcQuery("system.profile.get", undefined, { token: a.token });
    expect(profile.body.result.data.defaultTenant).toMatchObject({ slug: a.tenant.slug });
    const current = await trpcQuery("system.profile.context.get", undefined, { token: a.token });
    expect(current.body.result.data.tenant).toMatchObject({ slug: a.tenant.slug });

    // The audit entry records the organization, the context, and the default left as it was.
    const [entry] = await control()
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.actorId, a.user.id),
          eq(auditLog.action, "profile.context_set"),
          eq(auditLog.tenantId, second.tenant.id),
        ),
      );
    expect(entry).toMatchObject({
      tenantId: second.tenant.id,
      before: { defaultTenantId: a.tenant.id, context: {} },
      after: { defaultTenantId: a.tenant.id, context: { schoolId: "s-2" } },
    });

    // Without a default organization, remembering a school does not make one either.
    const b = await account();
    await trpcMutation(
      "system.profile.context.set",
      { tenantSlug: b.tenant.slug, schoolId: "s-b" },
      { token: b.token },
    );
    expect(
      (await control().query.users.findFirst({ where: eq(users.id, b.user.id) }))?.defaultTenantId,
    ).toBeNull();

    // Saying nothing new writes nothing.
    const writes = await auditCount(a.user.id);
    await trpcMutation(
      "system.profile.context.set",
      { tenantSlug: second.tenant.slug, schoolId: "s-2" },
      { token: a.token },
    );
    expect(await auditCount(a.user.id)).toBe(writes);
  });

  it("answers malformed input with 400 and the fields at fault, writing nothing", async () => {
    const a = await account();
    await trpcMutation("system.profile.reauthenticate", { password: a.password }, { token: a.token });
    const writesBefore = await auditCount(a.user.id);
    const cases: [string, unknown, string][] = [
      ["system.profile.update", { name: "" }, "name"],
      ["system.profile.update", { name: "x".repeat(101) }, "name"],
      ["system.profile.reauthenticate", {}, "password"],
      ["system.profile.reauthenticate", { password: "x", code: "123456" }, "password"],
      ["system.profile.changePassword", { newPassword: 12 }, "newPassword"],
      ["system.profile.changeEmail", { email: "not-an-address" }, "email"],
      ["system.profile.twoFactor.confirm", { code: "abc" }, "code"],
      ["system.profile.context.set", { tenantSlug: "No Such!" }, "tenantSlug"],
      ["system.profile.context.set", { schoolId: "x".repeat(65) }, "schoolId"],
      ["system.profile.context.set", { tenantSlug: a.tenant.slug, makeDefault: "yes" }, "makeDefault"],
      ["system.profile.sessions.revoke", {}, "id"],
      ["system.tokens.create", { name: "x", tenantSlug: a.tenant.slug, scopes: ["nope.read"] }, "scopes.0"],
      ["system.tokens.create", { name: "x", tenantSlug: a.tenant.slug, scopes: [] }, "scopes"],
      [
        "system.tokens.create",
        { name: "x", tenantSlug: a.tenant.slug, scopes: ["education.read"], expiresInDays: 0 },
        "expiresInDays",
      ],
      ["system.tokens.revoke", { id: 7 }, "id"],
    ];
    for (const [path, input, field] of cases) {
      const result = await trpcMutation(path, input, { token: a.token });
      expect({ path, status: result.status }).toEqual({ path, status: 400 });
      expect(Object.keys(result.body.error.data.fieldErrors ?? {})).toContain(field);
    }
    const contextGet = await trpcQuery("system.profile.context.get", { tenantSlug: 5 }, { token: a.token });
    expect(contextGet.status).toBe(400);
    expect(await auditCount(a.user.id)).toBe(writesBefore);
  });

  it("refuses personal access tokens on account procedures", async () => {
    const a = await account();
    await markReauthenticated(a.token);
    const created = await trpcMutation(
      "system.tokens.create",
      { name: "CI", tenantSlug: a.tenant.slug, scopes: ["system.read"] },
      { token: a.token },
    );
    const pat = created.body.result.data.token;
    for (const path of ["system.profile.get", "system.profile.sessions.list", "system.tokens.list"]) {
      const result = await trpcQuery(path, undefined, { token: pat });
      expect(result.status).toBe(403);
    }
    const revokeOthers = await trpcMutation("system.profile.sessions.revokeOthers", undefined, {
      token: pat,
    });
    expect(revokeOthers.status).toBe(403);
    expect((await trpcQuery("system.me", undefined, { token: a.token })).status).toBe(200);
  });
});
