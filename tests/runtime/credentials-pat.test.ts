import { SELF } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, emailOutbox, memberships, personalAccessTokens } from "../../db/control/schema";
import { newId } from "../../shared/ids";
import { sha256Hex } from "../../worker/auth/crypto";
import { account, markReauthenticated, randomIp, tokenRequest, trpcMutation } from "./credentials-support";
import { member as anyMember, control, ORIGIN, trpcQuery } from "./support";

/** A member whose session has just entered a credential, as creating a token needs. */
async function member(role: Parameters<typeof anyMember>[0] = "owner") {
  const m = await anyMember(role);
  await markReauthenticated(m.token);
  return m;
}

async function createPat(
  token: string,
  input: { tenantSlug: string; scopes: string[]; name?: string; expiresInDays?: number | null },
) {
  return trpcMutation("system.tokens.create", { name: "Nightly export", ...input }, { token });
}

describe("personal access tokens", () => {
  it("are shown once with a recognisable prefix and stored only as a hash", async () => {
    const a = await member("admin");
    const created = await createPat(a.token, { tenantSlug: a.tenant.slug, scopes: ["education.read"] });
    expect(created.status).toBe(200);
    const { token, record } = created.body.result.data;
    expect(token).toMatch(/^nxp_[a-z2-7]{32}$/);
    expect(record).toMatchObject({
      name: "Nightly export",
      prefix: token.slice(0, 8),
      tenant: { id: a.tenant.id, slug: a.tenant.slug },
      scopes: ["education.read"],
      status: "active",
      lastUsedAt: null,
      revokedAt: null,
    });
    // Left out, the expiry is 90 days.
    const days = (Date.parse(record.expiresAt) - Date.parse(record.createdAt)) / 86_400_000;
    expect(days).toBe(90);
    const [stored] = await control()
      .select()
      .from(personalAccessTokens)
      .where(eq(personalAccessTokens.id, record.id));
    expect(stored?.tokenHash).toBe(sha256Hex(token));
    expect(JSON.stringify(stored)).not.toContain(token.slice(8));

    const list = await trpcQuery("system.tokens.list", undefined, { token: a.token });
    expect(list.body.result.data.items).toEqual([record]);
    expect(JSON.stringify(list.body)).not.toContain(token);
    const audited = await control()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, record.id), eq(auditLog.action, "token.created")));
    expect(audited[0]?.tenantId).toBe(a.tenant.id);
  });

  it("work on /trpc as Bearer with their scopes only", async () => {
    const a = await member("owner");
    const { token } = (await createPat(a.token, { tenantSlug: a.tenant.slug, scopes: ["education.read"] }))
      .body.result.data;
    const allowed = await trpcQuery("education.schools.list", {}, { token, tenant: a.tenant.slug });
    expect(allowed.status).toBe(200);
    const outside = await trpcQuery("system.organization.overview", undefined, {
      token,
      tenant: a.tenant.slug,
    });
    expect(outside.status).toBe(403);
    expect(outside.body.error.data.reason).toBe("insufficient_scope");
    // The owner's own session may do both.
    expect(
      (await trpcQuery("system.organization.overview", undefined, { token: a.token, tenant: a.tenant.slug }))
        .status,
    ).toBe(200);

    const [stored] = await control()
      .select()
      .from(personalAccessTokens)
      .where(eq(personalAccessTokens.tokenHash, sha256Hex(token)));
    expect(stored?.lastUsedAt).toBeInstanceOf(Date);
  });

  it("work only in their organization, even where the user is a member too", async () => {
    const a = await member("owner");
    const other = await member("owner");
    await control().insert(memberships).values({
      id: newId(),
      userId: a.user.id,
      tenantId: other.tenant.id,
      role: "owner",
      createdAt: new Date(),
    });
    const { token } = (await createPat(a.token, { tenantSlug: a.tenant.slug, scopes: ["education.read"] }))
      .body.result.data;
    expect((await trpcQuery("education.schools.list", {}, { token, tenant: a.tenant.slug })).status).toBe(
      200,
    );
    const elsewhere = await trpcQuery("education.schools.list", {}, { token, tenant: other.tenant.slug });
    expect(elsewhere.status).toBe(404);
    // With the user's session the other organization is reachable: the token is what is bound.
    expect(
      (await trpcQuery("education.schools.list", {}, { token: a.token, tenant: other.tenant.slug })).status,
    ).toBe(200);
  });

  it("stop working the moment they are revoked", async () => {
    const a = await member("owner");
    const { token, record } = (
      await createPat(a.token, { tenantSlug: a.tenant.slug, scopes: ["education.read"] })
    ).body.result.data;
    expect((await trpcQuery("education.schools.list", {}, { token, tenant: a.tenant.slug })).status).toBe(
      200,
    );
    const revoked = await trpcMutation("system.tokens.revoke", { id: record.id }, { token: a.token });
    expect(revoked.status).toBe(200);
    expect(revoked.body.result.data.status).toBe("revoked");
    expect((await trpcQuery("education.schools.list", {}, { token, tenant: a.tenant.slug })).status).toBe(
      401,
    );
  });

  it("stop working once expired", async () => {
    const a = await member("owner");
    const { token, record } = (
      await createPat(a.token, { tenantSlug: a.tenant.slug, scopes: ["education.read"], expiresInDays: 1 })
    ).body.result.data;
    await control()
      .update(personalAccessTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(personalAccessTokens.id, record.id));
    expect((await trpcQuery("education.schools.list", {}, { token, tenant: a.tenant.slug })).status).toBe(
      401,
    );
    const list = await trpcQuery("system.tokens.list", undefined, { token: a.token });
    expect(list.body.result.data.items[0].status).toBe("expired");
  });

  it("may never expire when asked, where the organization allows it", async () => {
    const a = await member("owner");
    const allowed = await trpcMutation(
      "system.settings.updateSecurity",
      { patAllowNoExpiry: true },
      { token: a.token, tenant: a.tenant.slug },
    );
    expect(allowed.status).toBe(200);
    const created = await createPat(a.token, {
      tenantSlug: a.tenant.slug,
      scopes: ["education.read"],
      expiresInDays: null,
    });
    expect(created.body.result.data.record.expiresAt).toBeNull();
    const { token } = created.body.result.data;
    expect((await trpcQuery("education.schools.list", {}, { token, tenant: a.tenant.slug })).status).toBe(
      200,
    );
  });

  it("carry only scopes the creator's role allows, in an organization the creator belongs to", async () => {
    const viewer = await member("viewer");
    const beyond = await createPat(viewer.token, {
      tenantSlug: viewer.tenant.slug,
      scopes: ["education.write"],
    });
    expect(beyond.status).toBe(400);
    expect(beyond.body.error.data.fieldErrors.scopes).toBeDefined();
    const stranger = await member("owner");
    const foreign = await createPat(viewer.token, {
      tenantSlug: stranger.tenant.slug,
      scopes: ["education.read"],
    });
    expect(foreign.status).toBe(404);
    expect(
      await control()
        .select()
        .from(personalAccessTokens)
        .where(eq(personalAccessTokens.userId, viewer.user.id)),
    ).toHaveLength(0);
  });

  it("can be revoked only by their owner; anyone else's id answers NOT_FOUND", async () => {
    const a = await member("owner");
    const b = await member("owner");
    const { token, record } = (
      await createPat(a.token, { tenantSlug: a.tenant.slug, scopes: ["education.read"] })
    ).body.result.data;
    const attempt = await trpcMutation("system.tokens.revoke", { id: record.id }, { token: b.token });
    expect(attempt.status).toBe(404);
    expect(
      (await trpcQuery("system.tokens.list", undefined, { token: b.token })).body.result.data.items,
    ).toEqual([]);
    expect((await trpcQuery("education.schools.list", {}, { token, tenant: a.tenant.slug })).status).toBe(
      200,
    );
  });

  it("cannot be sent in the session cookie", async () => {
    const a = await member("owner");
    const { token } = (await createPat(a.token, { tenantSlug: a.tenant.slug, scopes: ["education.read"] }))
      .body.result.data;
    const response = await SELF.fetch(`${ORIGIN}/trpc/system.me`, {
      headers: { cookie: `nexus_session=${token}` },
    });
    expect(response.status).toBe(401);
  });
});

const CHROME_ON_WINDOWS =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/** Personal access tokens of the user, by name (the refusals below must leave none). */
async function tokensOf(userId: string) {
  return control().select().from(personalAccessTokens).where(eq(personalAccessTokens.userId, userId));
}

/** The refusals audited for the user, oldest first: reason and credential kind. */
async function refusalsOf(userId: string) {
  const rows = await control()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.actorId, userId), eq(auditLog.action, "token.creation_refused")))
    .orderBy(auditLog.at);
  return rows.map((r) => ({ tenantId: r.tenantId, ...(r.after as { reason: string; credential: string }) }));
}

async function outboxTo(address: string) {
  return control().select().from(emailOutbox).where(eq(emailOutbox.to, address));
}

async function setPolicy(
  owner: { token: string; tenant: { slug: string } },
  policy: { patMaxLifetimeDays?: number; patAllowNoExpiry?: boolean },
) {
  const saved = await trpcMutation("system.settings.updateSecurity", policy, {
    token: owner.token,
    tenant: owner.tenant.slug,
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
}

const input = (tenantSlug: string, more: { expiresInDays?: number | null } = {}) => ({
  name: "Nightly export",
  tenantSlug,
  scopes: ["education.read"],
  ...more,
});

describe("creating a personal access token", () => {
  it("is refused to an access token from POST /auth/token, and the refusal is audited", async () => {
    const a = await account("owner");
    const pair = await tokenRequest({ grant_type: "password", username: a.email, password: a.password });
    expect(pair.status).toBe(200);
    // The same person's browser session may: the credential is what is refused.
    await markReauthenticated(a.token);
    const attempt = await trpcMutation("system.tokens.create", input(a.tenant.slug), {
      token: pair.body.access_token,
    });
    expect(attempt.status).toBe(403);
    expect(attempt.body.error.data.reason).toBe("browser_session_required");
    expect(await tokensOf(a.user.id)).toEqual([]);
    expect(await refusalsOf(a.user.id)).toMatchObject([
      { reason: "browser_session_required", credential: "access_token", tenantId: null },
    ]);
    expect(await outboxTo(a.email)).toEqual([]);
  });

  it("is refused to a personal access token, and the refusal is audited", async () => {
    const a = await member("owner");
    const { token: pat } = (await createPat(a.token, { tenantSlug: a.tenant.slug, scopes: ["system.read"] }))
      .body.result.data;
    const attempt = await trpcMutation("system.tokens.create", input(a.tenant.slug), { token: pat });
    expect(attempt.status).toBe(403);
    expect(attempt.body.error.data.reason).toBe("browser_session_required");
    expect(await tokensOf(a.user.id)).toHaveLength(1);
    expect(await refusalsOf(a.user.id)).toMatchObject([
      { reason: "browser_session_required", credential: "personal_access_token" },
    ]);
  });

  it("needs a session that entered a credential in the last 10 minutes, then succeeds", async () => {
    const a = await account("owner");
    // The fixture's session never entered a credential.
    const never = await trpcMutation("system.tokens.create", input(a.tenant.slug), { token: a.token });
    expect(never.status).toBe(403);
    expect(never.body.error.data.reason).toBe("reauthentication_required");
    // Eleven minutes is too long ago.
    await markReauthenticated(a.token, 11);
    const stale = await trpcMutation("system.tokens.create", input(a.tenant.slug), { token: a.token });
    expect(stale.status).toBe(403);
    expect(stale.body.error.data.reason).toBe("reauthentication_required");
    expect(await tokensOf(a.user.id)).toEqual([]);
    expect(await refusalsOf(a.user.id)).toMatchObject([
      { reason: "reauthentication_required", credential: "session" },
      { reason: "reauthentication_required", credential: "session" },
    ]);

    const reauth = await trpcMutation(
      "system.profile.reauthenticate",
      { password: a.password },
      { token: a.token },
    );
    expect(reauth.status).toBe(200);
    const created = await trpcMutation("system.tokens.create", input(a.tenant.slug), { token: a.token });
    expect(created.status).toBe(200);
    expect(await tokensOf(a.user.id)).toHaveLength(1);
  });

  it("is refused a lifetime beyond the organization's policy, which also bounds the default", async () => {
    const a = await member("owner");
    // The default policy: at most a year.
    const year = await createPat(a.token, { ...input(a.tenant.slug), expiresInDays: 365 });
    expect(year.status).toBe(200);
    const beyondAnyPolicy = await createPat(a.token, { ...input(a.tenant.slug), expiresInDays: 366 });
    expect(beyondAnyPolicy.status).toBe(400);
    expect(beyondAnyPolicy.body.error.data.fieldErrors.expiresInDays).toBeDefined();

    await setPolicy(a, { patMaxLifetimeDays: 30 });
    const over = await createPat(a.token, { ...input(a.tenant.slug), expiresInDays: 31 });
    expect(over.status).toBe(400);
    expect(over.body.error.data.reason).toBe("token_lifetime_over_policy");
    expect(over.body.error.data.fieldErrors.expiresInDays[0]).toContain("at most 30 days");
    expect(await tokensOf(a.user.id)).toHaveLength(1);
    expect(await refusalsOf(a.user.id)).toMatchObject([
      { reason: "token_lifetime_over_policy", credential: "session", tenantId: a.tenant.id },
    ]);

    const within = await createPat(a.token, { ...input(a.tenant.slug), expiresInDays: 30 });
    expect(within.status).toBe(200);
    // Left out, the expiry is 90 days, or the policy's longest lifetime when that is shorter.
    const unstated = (await createPat(a.token, input(a.tenant.slug))).body.result.data.record;
    expect((Date.parse(unstated.expiresAt) - Date.parse(unstated.createdAt)) / 86_400_000).toBe(30);
  });

  it("is refused “never expires” unless the organization allows it", async () => {
    const a = await member("owner");
    const never = await createPat(a.token, { ...input(a.tenant.slug), expiresInDays: null });
    expect(never.status).toBe(400);
    expect(never.body.error.data.reason).toBe("token_expiry_required");
    expect(never.body.error.data.fieldErrors.expiresInDays).toBeDefined();
    expect(await tokensOf(a.user.id)).toEqual([]);
    expect(await refusalsOf(a.user.id)).toMatchObject([
      { reason: "token_expiry_required", tenantId: a.tenant.id },
    ]);

    await setPolicy(a, { patAllowNoExpiry: true });
    const allowed = await createPat(a.token, { ...input(a.tenant.slug), expiresInDays: null });
    expect(allowed.status).toBe(200);
    expect(allowed.body.result.data.record.expiresAt).toBeNull();
  });

  it("mails the owner what was created, when and from where, never the token, and audits it", async () => {
    const a = await member("admin");
    const ip = randomIp();
    const response = await SELF.fetch(`${ORIGIN}/trpc/system.tokens.create?batch=1`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${a.token}`,
        "cf-connecting-ip": ip,
        "user-agent": CHROME_ON_WINDOWS,
      },
      body: JSON.stringify({ 0: { ...input(a.tenant.slug), expiresInDays: 7 } }),
    });
    expect(response.status).toBe(200);
    // biome-ignore lint/suspicious/noExplicitAny: the tRPC batch shape
    const [body] = (await response.json()) as any[];
    const { token, record } = body.result.data;

    const mail = await outboxTo(a.user.email);
    expect(mail).toHaveLength(1);
    const [notice] = mail;
    expect(notice).toMatchObject({
      kind: "token_created",
      tenantId: null,
      status: "captured",
      subject: "A personal access token was created for your Nexus account",
    });
    for (const part of [
      `Name: Nightly export (${record.prefix}…)`,
      `Organization: ${a.tenant.name}`,
      "Scopes: education.read",
      `Expires: ${new Date(record.expiresAt).toUTCString()}`,
      `IP address: ${ip}`,
      "Device: Chrome on Windows",
      "Access tokens: http://nexus.test/me/tokens",
    ]) {
      expect(notice?.text).toContain(part);
    }
    expect(`${notice?.text}${notice?.html}`).not.toContain(token.slice(8));

    const [audited] = await control()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, record.id), eq(auditLog.action, "token.created")));
    expect(audited).toMatchObject({
      actorId: a.user.id,
      tenantId: a.tenant.id,
      ip,
      after: { name: "Nightly export", prefix: record.prefix, scopes: ["education.read"] },
    });
  });

  it("tells a member the policy of their organization, and no one else", async () => {
    const a = await member("viewer");
    const policy = await trpcQuery("system.tokens.policy", { tenantSlug: a.tenant.slug }, { token: a.token });
    expect(policy.body.result.data).toEqual({ maxLifetimeDays: 365, allowNoExpiry: false, defaultDays: 90 });
    const b = await member("owner");
    await setPolicy(b, { patMaxLifetimeDays: 14, patAllowNoExpiry: true });
    const own = await trpcQuery("system.tokens.policy", { tenantSlug: b.tenant.slug }, { token: b.token });
    expect(own.body.result.data).toEqual({ maxLifetimeDays: 14, allowNoExpiry: true, defaultDays: 14 });
    const foreign = await trpcQuery(
      "system.tokens.policy",
      { tenantSlug: b.tenant.slug },
      { token: a.token },
    );
    expect(foreign.status).toBe(404);
  });
});
