import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accessTokens, personalAccessTokens, tokenFamilies, users } from "../../db/control/schema";
import { newId } from "../../shared/ids";
import {
  ACCESS_TOKEN_TTL_MS,
  bearerKindOf,
  findRefreshToken,
  issueTokenFamily,
  resolveAccessToken,
  resolvePersonalAccessToken,
  rotateRefreshToken,
} from "../../worker/auth/bearer";
import { sha256Hex } from "../../worker/auth/crypto";
import { endUserSessions } from "../../worker/auth/session";
import { freshControl, planeWithControl } from "../support/databases";
import { createUser, tenantWithMember } from "../support/fixtures";

const meta = { ip: "203.0.113.5", requestId: "test" };

async function family() {
  const { db } = await freshControl();
  const user = await createUser(db);
  const issued = await issueTokenFamily(db, {
    userId: user.id,
    clientName: "test",
    secondFactor: false,
    ...meta,
  });
  return { db, user, ...issued };
}

describe("token pairs", () => {
  it("are told apart from sessions by their prefix", () => {
    expect(bearerKindOf("nxa_abc")).toBe("access_token");
    expect(bearerKindOf("nxp_abc")).toBe("personal_access_token");
    expect(bearerKindOf("abcdefgh")).toBe("session");
  });

  it("let exactly one of two simultaneous refreshes through, and revoke the family for the other", async () => {
    const { db, response, familyId } = await family();
    const presented = (await findRefreshToken(db, response.refresh_token))!;
    const results = await Promise.all([
      rotateRefreshToken(db, presented, meta),
      rotateRefreshToken(db, presented, meta),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: "reused" }]);
    const [row] = await db.select().from(tokenFamilies).where(eq(tokenFamilies.id, familyId));
    expect(row?.revokedAt).toBeInstanceOf(Date);
    const winner = results.find((r) => r.ok) as { ok: true; response: { access_token: string } };
    expect(await resolveAccessToken(db, winner.response.access_token, null)).toBeNull();
  });

  it("refuse an expired refresh token without revoking the family", async () => {
    const { db, response, familyId } = await family();
    const presented = (await findRefreshToken(db, response.refresh_token))!;
    const later = new Date(presented.expiresAt.getTime() + 1);
    expect(await rotateRefreshToken(db, presented, meta, later)).toEqual({ ok: false, reason: "expired" });
    const [row] = await db.select().from(tokenFamilies).where(eq(tokenFamilies.id, familyId));
    expect(row?.revokedAt).toBeNull();
  });

  it("resolve access tokens until they expire, and not for a deactivated user", async () => {
    const { db, user, response } = await family();
    const access = await resolveAccessToken(db, response.access_token, null);
    expect(access?.user.id).toBe(user.id);
    expect(access?.session.kind).toBe("access_token");
    expect(access?.session.scopes).toBeNull();
    const [row] = await db
      .select()
      .from(accessTokens)
      .where(eq(accessTokens.id, sha256Hex(response.access_token)));
    const later = new Date(row!.createdAt.getTime() + ACCESS_TOKEN_TTL_MS);
    expect(await resolveAccessToken(db, response.access_token, null, later)).toBeNull();
    await db.update(users).set({ status: "deactivated" }).where(eq(users.id, user.id));
    expect(await resolveAccessToken(db, response.access_token, null)).toBeNull();
  });

  it("stop resolving when the user's sessions are ended", async () => {
    const { db, user, response } = await family();
    await endUserSessions(db, user.id, { reason: "deactivated" });
    expect(await resolveAccessToken(db, response.access_token, null)).toBeNull();
    const presented = (await findRefreshToken(db, response.refresh_token))!;
    expect(await rotateRefreshToken(db, presented, meta)).toEqual({ ok: false, reason: "revoked" });
  });
});

describe("personal access tokens", () => {
  it("resolve with their scopes and organization, and record use at most once a minute", async () => {
    const control = await freshControl();
    const { tenant, user } = await tenantWithMember(
      control.db,
      planeWithControl(control.namespace),
      "member",
    );
    const token = "nxp_testtokentesttokentesttokenab";
    const id = newId();
    await control.db.insert(personalAccessTokens).values({
      id,
      userId: user.id,
      tenantId: tenant.id,
      name: "t",
      prefix: token.slice(0, 8),
      tokenHash: sha256Hex(token),
      scopes: ["education.read"],
      createdAt: new Date(),
    });
    const t0 = new Date();
    const access = await resolvePersonalAccessToken(control.db, token, tenant.slug, t0);
    expect(access?.session).toMatchObject({ kind: "personal_access_token", id, tenantId: tenant.id });
    expect([...(access?.session.scopes ?? [])]).toEqual(["education.read"]);
    expect(access?.tenant?.role).toBe("member");
    const read = async () =>
      (await control.db.query.personalAccessTokens.findFirst({ where: eq(personalAccessTokens.id, id) }))!;
    expect((await read()).lastUsedAt?.getTime()).toBe(t0.getTime());
    await resolvePersonalAccessToken(control.db, token, null, new Date(t0.getTime() + 30_000));
    expect((await read()).lastUsedAt?.getTime()).toBe(t0.getTime());
    await resolvePersonalAccessToken(control.db, token, null, new Date(t0.getTime() + 61_000));
    expect((await read()).lastUsedAt?.getTime()).toBe(t0.getTime() + 61_000);

    await control.db
      .update(personalAccessTokens)
      .set({ revokedAt: new Date() })
      .where(eq(personalAccessTokens.id, id));
    expect(await resolvePersonalAccessToken(control.db, token, tenant.slug)).toBeNull();
  });
});
