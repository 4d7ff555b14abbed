import { SELF } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, memberships, personalAccessTokens } from "../../db/control/schema";
import { newId } from "../../shared/ids";
import { sha256Hex } from "../../worker/auth/crypto";
import { trpcMutation } from "./credentials-support";
import { control, member, ORIGIN, trpcQuery } from "./support";

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

  it("may never expire when asked", async () => {
    const a = await member("owner");
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
