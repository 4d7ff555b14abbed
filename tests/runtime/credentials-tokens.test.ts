import { SELF } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accessTokens, auditLog, refreshTokens, tokenFamilies } from "../../db/control/schema";
import { sha256Hex } from "../../worker/auth/crypto";
import { limits } from "../../worker/auth/rate-limit";
import { account, enableTwoFactor, randomIp, signIn, tokenRequest, totpCode } from "./credentials-support";
import { control, ORIGIN, trpcQuery } from "./support";

const OAUTH_ERRORS = ["invalid_request", "invalid_grant", "unsupported_grant_type"];

async function passwordGrant(email: string, password: string, extra: Record<string, string> = {}) {
  return tokenRequest({ grant_type: "password", username: email, password, ...extra });
}

describe("the token endpoint", () => {
  it("issues an access and a refresh token for a form-encoded password grant, stored only as hashes", async () => {
    const a = await account();
    const result = await passwordGrant(a.email, a.password);
    expect(result.status).toBe(200);
    expect(result.headers.get("cache-control")).toBe("no-store");
    expect(result.body).toEqual({
      access_token: expect.stringMatching(/^nxa_[a-z2-7]{32}$/),
      token_type: "Bearer",
      expires_in: 900,
      refresh_token: expect.stringMatching(/^nxr_[a-z2-7]{32}$/),
    });
    const db = control();
    const [stored] = await db
      .select()
      .from(accessTokens)
      .where(eq(accessTokens.id, sha256Hex(result.body.access_token)));
    expect(stored?.userId).toBe(a.user.id);
    const [refresh] = await db
      .select()
      .from(refreshTokens)
      .where(eq(refreshTokens.id, sha256Hex(result.body.refresh_token)));
    expect(refresh?.familyId).toBe(stored?.familyId);
    const family = await db.select().from(tokenFamilies).where(eq(tokenFamilies.userId, a.user.id));
    expect(JSON.stringify([stored, refresh, family])).not.toContain(result.body.access_token.slice(4));
    const issued = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.actorId, a.user.id), eq(auditLog.action, "auth.token_issued")));
    expect(issued).toHaveLength(1);
  });

  it("accepts the same grant as JSON", async () => {
    const a = await account();
    const result = await tokenRequest(
      { grant_type: "password", username: a.email.toUpperCase(), password: a.password },
      { json: true },
    );
    expect(result.status).toBe(200);
    expect(result.body.token_type).toBe("Bearer");
  });

  it("lets an access token call /trpc as a Bearer credential, in the user's organizations", async () => {
    const a = await account("viewer");
    const { body } = await passwordGrant(a.email, a.password);
    const me = await trpcQuery("system.me", undefined, { token: body.access_token });
    expect(me.status).toBe(200);
    expect(me.body.result.data.user.id).toBe(a.user.id);
    const schools = await trpcQuery(
      "education.schools.list",
      {},
      { token: body.access_token, tenant: a.tenant.slug },
    );
    expect(schools.status).toBe(200);
    const other = await account();
    const elsewhere = await trpcQuery(
      "education.schools.list",
      {},
      { token: body.access_token, tenant: other.tenant.slug },
    );
    expect(elsewhere.status).toBe(404);
  });

  it("does not accept an access token carried in the session cookie", async () => {
    const a = await account();
    const { body } = await passwordGrant(a.email, a.password);
    const response = await SELF.fetch(`${ORIGIN}/trpc/system.me`, {
      headers: { cookie: `nexus_session=${body.access_token}` },
    });
    expect(response.status).toBe(401);
  });

  it("rotates the refresh token on every use", async () => {
    const a = await account();
    const first = (await passwordGrant(a.email, a.password)).body;
    const second = await tokenRequest({ grant_type: "refresh_token", refresh_token: first.refresh_token });
    expect(second.status).toBe(200);
    expect(second.headers.get("cache-control")).toBe("no-store");
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect(second.body.access_token).not.toBe(first.access_token);
    const third = await tokenRequest(
      { grant_type: "refresh_token", refresh_token: second.body.refresh_token },
      { json: true },
    );
    expect(third.status).toBe(200);
    expect((await trpcQuery("system.me", undefined, { token: third.body.access_token })).status).toBe(200);
    const [used] = await control()
      .select()
      .from(refreshTokens)
      .where(eq(refreshTokens.id, sha256Hex(first.refresh_token)));
    expect(used?.usedAt).toBeInstanceOf(Date);
    const refreshed = await control()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.actorId, a.user.id), eq(auditLog.action, "auth.token_refreshed")));
    expect(refreshed).toHaveLength(2);
  });

  it("revokes the whole family when a rotated refresh token comes back, so the newest tokens stop working", async () => {
    const a = await account();
    const first = (await passwordGrant(a.email, a.password)).body;
    const newest = (await tokenRequest({ grant_type: "refresh_token", refresh_token: first.refresh_token }))
      .body;
    // The newest access token works (and is now in the access cache).
    expect((await trpcQuery("system.me", undefined, { token: newest.access_token })).status).toBe(200);

    const replay = await tokenRequest({ grant_type: "refresh_token", refresh_token: first.refresh_token });
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe("invalid_grant");

    expect((await trpcQuery("system.me", undefined, { token: newest.access_token })).status).toBe(401);
    const next = await tokenRequest({ grant_type: "refresh_token", refresh_token: newest.refresh_token });
    expect(next.status).toBe(400);
    expect(next.body.error).toBe("invalid_grant");

    const [family] = await control().select().from(tokenFamilies).where(eq(tokenFamilies.userId, a.user.id));
    expect(family?.revokedReason).toBe("refresh_token_reuse");
    const detected = await control()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, family!.id), eq(auditLog.action, "auth.token_reuse_detected")));
    expect(detected).toHaveLength(1);
  });

  it("answers the same error for an unknown account and a wrong password", async () => {
    const a = await account();
    const unknown = await passwordGrant(`nobody-${crypto.randomUUID()}@example.org`, a.password);
    const wrong = await passwordGrant(a.email, "Not-The-Password-123");
    expect(unknown.status).toBe(400);
    expect(wrong.status).toBe(400);
    expect(unknown.body).toEqual(wrong.body);
    expect(unknown.body.error).toBe("invalid_grant");

    const signInUnknown = await signIn(`nobody-${crypto.randomUUID()}@example.org`, a.password);
    const signInWrong = await signIn(a.email, "Not-The-Password-123");
    expect(signInUnknown.status).toBe(signInWrong.status);
    expect({ ...signInUnknown.body.error, requestId: null }).toEqual({
      ...signInWrong.body.error,
      requestId: null,
    });
  });

  it("asks for the second factor when two-factor is on, and accepts a current code", async () => {
    const a = await account();
    const session = await signIn(a.email, a.password);
    const { secret } = await enableTwoFactor(session.token!, a.password);

    const missing = await passwordGrant(a.email, a.password);
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe("invalid_grant");
    expect(missing.body.error_description).toMatch(/second factor/);

    const wrong = await passwordGrant(a.email, a.password, { totp: "000000" });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe("invalid_grant");

    const ok = await passwordGrant(a.email, a.password, { totp: totpCode(secret, 1) });
    expect(ok.status).toBe(200);
    // The same code a second time is a replay.
    const replay = await passwordGrant(a.email, a.password, { totp: totpCode(secret, 1) });
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe("invalid_grant");
  });

  it("answers malformed requests with an OAuth error and 400, never 500", async () => {
    const post = (body: string | undefined, contentType?: string) =>
      SELF.fetch(`${ORIGIN}/auth/token`, {
        method: "POST",
        headers: { ...(contentType ? { "content-type": contentType } : {}), "cf-connecting-ip": randomIp() },
        body,
      });
    const form = "application/x-www-form-urlencoded";
    const json = "application/json";
    const cases: [string | undefined, string | undefined, string][] = [
      [undefined, undefined, "invalid_request"],
      ["grant_type=password", "text/plain", "invalid_request"],
      ["", form, "invalid_request"],
      ["{not json", json, "invalid_request"],
      ["[1,2]", json, "invalid_request"],
      ["null", json, "invalid_request"],
      [JSON.stringify({ grant_type: "password", username: ["a"], password: 1 }), json, "invalid_request"],
      ["grant_type=password&grant_type=refresh_token", form, "invalid_request"],
      ["grant_type=client_credentials", form, "unsupported_grant_type"],
      ["grant_type=authorization_code&code=x", form, "unsupported_grant_type"],
      ["grant_type=password&username=a%40example.org", form, "invalid_request"],
      ["grant_type=refresh_token", form, "invalid_request"],
      [`grant_type=refresh_token&refresh_token=${"x".repeat(300)}`, form, "invalid_request"],
      [`grant_type=password&username=a&password=${"p".repeat(20_000)}`, form, "invalid_request"],
      ["grant_type=refresh_token&refresh_token=nxr_not-a-real-token", form, "invalid_grant"],
      ["grant_type=refresh_token&refresh_token=%00%ff", form, "invalid_grant"],
      ["%%%", form, "invalid_request"],
    ];
    for (const [body, type, error] of cases) {
      const response = await post(body, type);
      const answer = (await response.json()) as { error: string };
      expect({ body: body?.slice(0, 60), status: response.status, error: answer.error }).toEqual({
        body: body?.slice(0, 60),
        status: 400,
        error,
      });
      expect(OAUTH_ERRORS).toContain(answer.error);
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(JSON.stringify(answer)).not.toMatch(/stack|at .*\.ts/);
    }
  });

  it("ends the app's whole token family when it signs out with its access token", async () => {
    const a = await account();
    const { body } = await passwordGrant(a.email, a.password);
    const signOut = await SELF.fetch(`${ORIGIN}/auth/sign-out`, {
      method: "POST",
      headers: { authorization: `Bearer ${body.access_token}` },
    });
    expect(signOut.status).toBe(200);
    expect((await trpcQuery("system.me", undefined, { token: body.access_token })).status).toBe(401);
    const refresh = await tokenRequest({ grant_type: "refresh_token", refresh_token: body.refresh_token });
    expect(refresh.body.error).toBe("invalid_grant");
    // The user's browser session is untouched.
    expect((await trpcQuery("system.me", undefined, { token: a.token })).status).toBe(200);
  });

  it("refuses an access token offered as a refresh token", async () => {
    const a = await account();
    const { body } = await passwordGrant(a.email, a.password);
    const result = await tokenRequest({ grant_type: "refresh_token", refresh_token: body.access_token });
    expect(result.status).toBe(400);
    expect(result.body.error).toBe("invalid_grant");
  });

  it("trips the per-account limit with 429 and Retry-After, whoever the account is", async () => {
    const email = `limited-${crypto.randomUUID().slice(0, 8)}@example.org`;
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof tokenRequest>> | undefined;
    for (let i = 0; i <= limits.tokenPerAccount.limit; i++) {
      last = await tokenRequest({ grant_type: "password", username: email, password: "Wrong-Password-1" });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, -1).every((s) => s === 400)).toBe(true);
    expect(last?.status).toBe(429);
    expect(Number(last?.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(last?.body.error).toBe("too_many_requests");
    expect(last?.headers.get("cache-control")).toBe("no-store");
  });

  it("trips the per-address limit with 429 and Retry-After", async () => {
    const ip = randomIp();
    let last: Awaited<ReturnType<typeof tokenRequest>> | undefined;
    for (let i = 0; i <= limits.tokenPerIp.limit; i++) {
      last = await tokenRequest(
        { grant_type: "refresh_token", refresh_token: `nxr_${crypto.randomUUID()}` },
        { ip },
      );
      if (last.status !== 400) break;
    }
    expect(last?.status).toBe(429);
    expect(Number(last?.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another address is not affected.
    const other = await tokenRequest({ grant_type: "refresh_token", refresh_token: "nxr_x" });
    expect(other.status).toBe(400);
  });
});
