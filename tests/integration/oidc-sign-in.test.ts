import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ControlDb, controlDatabase, openClient } from "../../db/client";
import { systemActor } from "../../db/context";
import { auditLog, externalIdentities, memberships, sessions, tenants, users } from "../../db/control/schema";
import { provisionTenant } from "../../db/tenants";
import { freePort } from "../../scripts/lib/ports";
import { SESSION_COOKIE } from "../../worker/auth/cookies";
import { sessionIdOf } from "../../worker/auth/session";
import { testPlane } from "../support/databases";
import { createUser } from "../support/fixtures";
import {
  CookieJar,
  getWithCookies,
  passThroughProvider,
  type RunningOidcProvider,
  startOidcProvider,
  type TestAccount,
} from "../support/oidc-provider";
import { startTestWorker, type TestWorker } from "../support/worker";

const GOOGLE = { id: "nexus-google-client", secret: "google-client-secret-for-tests" };
const MICROSOFT = { id: "nexus-microsoft-client", secret: "microsoft-client-secret-for-tests" };
const ENTRA_TENANT = "0b5c8a4e-1f2d-4c3b-9a8e-7d6c5b4a3f21";

let provider: RunningOidcProvider;
let worker: TestWorker;
let control: ControlDb;

beforeAll(async () => {
  const port = await freePort();
  const workerUrl = `http://127.0.0.1:${port}`;
  provider = await startOidcProvider({
    clients: [
      {
        client_id: GOOGLE.id,
        client_secret: GOOGLE.secret,
        redirect_uris: [`${workerUrl}/auth/oauth/google/callback`],
      },
      {
        client_id: MICROSOFT.id,
        client_secret: MICROSOFT.secret,
        redirect_uris: [`${workerUrl}/auth/oauth/microsoft/callback`],
      },
    ],
  });
  worker = await startTestWorker({
    port,
    vars: {
      GOOGLE_ISSUER: provider.issuer,
      GOOGLE_CLIENT_ID: GOOGLE.id,
      GOOGLE_CLIENT_SECRET: GOOGLE.secret,
      MICROSOFT_ISSUER: provider.issuer,
      MICROSOFT_CLIENT_ID: MICROSOFT.id,
      MICROSOFT_CLIENT_SECRET: MICROSOFT.secret,
    },
  });
  // The Worker's own control database: the migrated `control` namespace of the integration sqld.
  control = controlDatabase(openClient(testPlane().control));
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await provider?.stop();
}, 30_000);

const unique = () => crypto.randomUUID().slice(0, 8);

function account(email: string, extra: Partial<TestAccount> = {}): TestAccount {
  return { sub: `sub-${crypto.randomUUID()}`, email, name: "Pat Example", ...extra };
}

interface FlowResult {
  status: number;
  location: string;
  jar: CookieJar;
}

/**
 * A browser's trip: Nexus's start route → the provider (signed in as `who`) → Nexus's callback. `alter`
 * may change the callback URL the provider sent the browser to.
 */
async function signIn(
  who: TestAccount,
  options: { provider?: "google" | "microsoft"; next?: string; alter?: (callback: URL) => void } = {},
): Promise<FlowResult> {
  const name = options.provider ?? "google";
  const jar = new CookieJar();
  const query = options.next === undefined ? "" : `?next=${encodeURIComponent(options.next)}`;
  const start = await getWithCookies(`${worker.url}/auth/oauth/${name}/start${query}`, jar);
  expect(start.status).toBe(302);
  const authorization = new URL(start.headers.get("location")!);
  expect(authorization.origin).toBe(provider.issuer);
  provider.signInAs(who);
  const callback = new URL(
    await passThroughProvider(authorization.toString(), `${worker.url}/auth/oauth/${name}/callback`),
  );
  options.alter?.(callback);
  const response = await getWithCookies(callback.toString(), jar);
  return { status: response.status, location: response.headers.get("location") ?? "", jar };
}

async function me(jar: CookieJar) {
  const response = await fetch(`${worker.url}/trpc/system.me`, { headers: { cookie: jar.header() } });
  // biome-ignore lint/suspicious/noExplicitAny: the test reads whatever the procedure answers
  return { status: response.status, body: (await response.json()) as any };
}

async function userByEmail(email: string) {
  return control.query.users.findFirst({ where: eq(users.email, email) });
}

async function districtAllowing(domain: string, patch: Partial<typeof tenants.$inferInsert> = {}) {
  const slug = `sso-${unique()}`;
  const tenant = await provisionTenant(
    control,
    testPlane(),
    { slug, name: `District ${slug}` },
    systemActor("test"),
  );
  await control
    .update(tenants)
    .set({ allowedDomains: [domain], defaultRole: "viewer", ...patch })
    .where(eq(tenants.id, tenant.id));
  return tenant;
}

/** A user whose address is confirmed (an invitation accepted, a verification link opened). */
async function verifiedUser(db: ControlDb) {
  const user = await createUser(db);
  await db.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, user.id));
  return user;
}

describe("sign-in with an OpenID provider, end to end", () => {
  it("lists both providers as configured", async () => {
    const response = await fetch(`${worker.url}/auth/providers`);
    expect(await response.json()).toEqual({ google: true, microsoft: true });
  });

  it("sends the browser to the provider with PKCE, a nonce, the openid email profile scopes and a short-lived flow cookie", async () => {
    const jar = new CookieJar();
    const start = await getWithCookies(`${worker.url}/auth/oauth/google/start?intent=register&next=/x`, jar);
    expect(start.status).toBe(302);
    const url = new URL(start.headers.get("location")!);
    expect(url.pathname).toBe("/auth");
    expect(url.searchParams.get("client_id")).toBe(GOOGLE.id);
    expect(url.searchParams.get("redirect_uri")).toBe(`${worker.url}/auth/oauth/google/callback`);
    expect(url.searchParams.get("scope")).toBe("openid email profile");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get("nonce")).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get("state")).toMatch(/^[\w-]{43}$/);
    const cookie = start.headers.getSetCookie().find((c) => c.startsWith("nexus_oauth_google="))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Max-Age=600/i);
    expect(cookie).toMatch(/Path=\/auth\/oauth\/google/i);
    // The secrets stay in the cookie, never in the URL the provider sees.
    expect(url.toString()).not.toContain(jar.get("nexus_oauth_google"));
  });

  it("refuses to link an account whose address was never confirmed, and links nothing", async () => {
    // e.g. someone registered with this address, or changed their account's address to it.
    const user = await createUser(control);
    const who = account(user.email);
    const result = await signIn(who);
    expect(result).toMatchObject({ status: 302, location: "/sign-in?error=account_unconfirmed" });
    expect(result.jar.get(SESSION_COOKIE)).toBeUndefined();
    const linked = await control
      .select()
      .from(externalIdentities)
      .where(and(eq(externalIdentities.provider, "google"), eq(externalIdentities.subject, who.sub)));
    expect(linked).toEqual([]);
    expect((await userByEmail(user.email))?.emailVerifiedAt).toBeNull();
  });

  it("signs an existing user in, links the identity, sets a session cookie, and system.me returns them", async () => {
    const user = await verifiedUser(control);
    const who = account(user.email);
    const result = await signIn(who, { next: "/district/schools?view=open" });
    expect(result.status).toBe(302);
    expect(result.location).toBe("/district/schools?view=open");
    const token = result.jar.get(SESSION_COOKIE);
    expect(token).toBeTruthy();
    expect(result.jar.get("nexus_oauth_google")).toBeUndefined();

    const answer = await me(result.jar);
    expect(answer.status).toBe(200);
    expect(answer.body.result.data.user).toMatchObject({ id: user.id, email: user.email });

    const linked = await control
      .select()
      .from(externalIdentities)
      .where(and(eq(externalIdentities.provider, "google"), eq(externalIdentities.subject, who.sub)));
    expect(linked).toHaveLength(1);
    expect(linked[0]?.userId).toBe(user.id);
    expect((await userByEmail(user.email))?.emailVerifiedAt).toBeInstanceOf(Date);

    const signedIn = await control
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "auth.signed_in"), eq(auditLog.targetId, sessionIdOf(token!))));
    expect(signedIn).toHaveLength(1);
    expect(signedIn[0]).toMatchObject({ actorId: user.id, after: { provider: "google" } });
  });

  it("signs a linked identity in to its user even after the provider's address changed, with a new session every time", async () => {
    const user = await verifiedUser(control);
    const who = account(user.email);
    const first = await signIn(who);
    const second = await signIn({ ...who, email: `renamed-${unique()}@elsewhere.example` });
    expect(second.location).toBe("/");
    expect(second.jar.get(SESSION_COOKIE)).not.toBe(first.jar.get(SESSION_COOKIE));
    expect((await me(second.jar)).body.result.data.user.id).toBe(user.id);
    expect((await me(first.jar)).body.result.data.user.id).toBe(user.id);
  });

  it("lets someone from an organization's allowed domain join with the organization's default role", async () => {
    const domain = `d-${unique()}.example.org`;
    const tenant = await districtAllowing(domain);
    const email = `new.teacher@${domain.toUpperCase()}`;
    const result = await signIn(account(email, { name: "New Teacher" }), { next: `/${tenant.slug}` });
    expect(result.location).toBe(`/${tenant.slug}`);

    const created = await userByEmail(email.toLowerCase());
    expect(created).toMatchObject({ name: "New Teacher", passwordHash: null, status: "active" });
    expect(created?.defaultTenantId).toBe(tenant.id);
    const joined = await control.select().from(memberships).where(eq(memberships.userId, created!.id));
    expect(joined).toEqual([
      expect.objectContaining({ tenantId: tenant.id, role: "viewer", status: "active" }),
    ]);
    const answer = await me(result.jar);
    expect(answer.body.result.data.memberships).toEqual([
      expect.objectContaining({ role: "viewer", tenant: expect.objectContaining({ id: tenant.id }) }),
    ]);
    const audit = await control
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "membership.joined_by_domain"), eq(auditLog.tenantId, tenant.id)));
    expect(audit).toHaveLength(1);
  });

  it("sends an unknown address back with no_account and creates nothing", async () => {
    const email = `stranger@nowhere-${unique()}.example`;
    const who = account(email);
    const result = await signIn(who);
    expect(result).toMatchObject({ status: 302, location: "/sign-in?error=no_account" });
    expect(result.jar.get(SESSION_COOKIE)).toBeUndefined();
    expect(await userByEmail(email)).toBeUndefined();
    const identities = await control
      .select()
      .from(externalIdentities)
      .where(eq(externalIdentities.subject, who.sub));
    expect(identities).toHaveLength(0);
    const failures = await control
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.action, "auth.sign_in_failed"),
          sql`json_extract(${auditLog.after}, '$.email') = ${email}`,
        ),
      );
    expect(failures).toEqual([
      expect.objectContaining({ after: { provider: "google", email, reason: "no_account" } }),
    ]);
  });

  it("lets nobody join through the allowed domain of a deleted organization", async () => {
    const domain = `gone-${unique()}.example.org`;
    await districtAllowing(domain, { deletedAt: new Date() });
    const email = `late@${domain}`;
    const result = await signIn(account(email));
    expect(result.location).toBe("/sign-in?error=no_account");
    expect(await userByEmail(email)).toBeUndefined();
  });

  it("refuses an address Google has not verified", async () => {
    const user = await verifiedUser(control);
    const result = await signIn(account(user.email, { emailVerified: false }));
    expect(result.location).toBe("/sign-in?error=email_not_verified");
    expect(result.jar.get(SESSION_COOKIE)).toBeUndefined();
  });

  it("refuses a deactivated user with account_disabled", async () => {
    const user = await createUser(control, "deactivated");
    const result = await signIn(account(user.email));
    expect(result.location).toBe("/sign-in?error=account_disabled");
    expect(result.jar.get(SESSION_COOKIE)).toBeUndefined();
  });

  it("gives a user with two-factor a pending session that can do nothing yet, and sends them to the second step", async () => {
    const user = await verifiedUser(control);
    await control.update(users).set({ totpEnabledAt: new Date() }).where(eq(users.id, user.id));
    const result = await signIn(account(user.email), { next: "/after" });
    expect(result.location).toBe(`/sign-in?second_factor=1&next=${encodeURIComponent("/after")}`);
    const token = result.jar.get(SESSION_COOKIE)!;
    const [session] = await control
      .select()
      .from(sessions)
      .where(eq(sessions.id, sessionIdOf(token)));
    expect(session?.stage).toBe("pending_second_factor");
    expect((await me(result.jar)).status).toBe(401);
  });

  it("refuses a callback whose state was tampered with, and one with no flow cookie", async () => {
    const user = await verifiedUser(control);
    const tampered = await signIn(account(user.email), {
      alter: (url) => url.searchParams.set("state", `${url.searchParams.get("state")}x`),
    });
    expect(tampered.location).toBe("/sign-in?error=invalid_state");
    expect(tampered.jar.get(SESSION_COOKIE)).toBeUndefined();

    const response = await fetch(`${worker.url}/auth/oauth/google/callback?code=abc&state=def`, {
      redirect: "manual",
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/sign-in?error=invalid_state");
    expect(
      (await control.select().from(externalIdentities).where(eq(externalIdentities.userId, user.id))).length,
    ).toBe(0);
  });

  it("sends the browser back with provider_denied when the provider reports an error", async () => {
    const user = await verifiedUser(control);
    const result = await signIn(account(user.email), {
      alter: (url) => {
        url.searchParams.delete("code");
        url.searchParams.set("error", "access_denied");
      },
    });
    expect(result.location).toBe("/sign-in?error=provider_denied");
  });

  describe("refuses ID tokens that do not hold up", () => {
    const cases = [
      { what: "another audience", rewrite: { aud: "someone-else" }, key: "provider-key" },
      { what: "another issuer", rewrite: { iss: "https://evil.example" }, key: "provider-key" },
      { what: "another nonce", rewrite: { nonce: "not-the-one-we-sent-at-all" }, key: "provider-key" },
      {
        what: "an expiry in the past",
        rewrite: { exp: Math.floor(Date.now() / 1000) - 3600 },
        key: "provider-key",
      },
      { what: "a key the provider does not publish", rewrite: {}, key: "unpublished-key" },
    ] as const;
    for (const c of cases) {
      it(`refuses an ID token with ${c.what}`, async () => {
        const user = await verifiedUser(control);
        provider.tamperIdTokens((claims) => ({ ...claims, ...c.rewrite }), { signWith: c.key });
        try {
          const result = await signIn(account(user.email));
          expect(result.location).toBe("/sign-in?error=invalid_id_token");
          expect(result.jar.get(SESSION_COOKIE)).toBeUndefined();
        } finally {
          provider.tamperIdTokens(null);
        }
      });
    }
  });

  it("lands open-redirect attempts in next on /", async () => {
    const user = await verifiedUser(control);
    for (const next of [
      "//evil.example",
      "https://evil.example",
      "/\\evil.example",
      "evil.example",
      "/\t/evil.example",
    ]) {
      const result = await signIn(account(user.email), { next });
      expect(result.location, next).toBe("/");
      expect(result.jar.get(SESSION_COOKIE)).toBeTruthy();
    }
  });

  it("trusts a Microsoft address only when Microsoft vouches for its domain (xms_edov)", async () => {
    const user = await verifiedUser(control);
    const unvouched = await signIn(account(user.email, { claims: { tid: ENTRA_TENANT } }), {
      provider: "microsoft",
    });
    expect(unvouched.location).toBe("/sign-in?error=email_not_verified");

    const who = account(user.email, { claims: { tid: ENTRA_TENANT, xms_edov: true } });
    const vouched = await signIn(who, { provider: "microsoft", next: "/ms" });
    expect(vouched.location).toBe("/ms");
    expect((await me(vouched.jar)).body.result.data.user.id).toBe(user.id);
    const [identity] = await control
      .select()
      .from(externalIdentities)
      .where(and(eq(externalIdentities.provider, "microsoft"), eq(externalIdentities.subject, who.sub)));
    expect(identity?.userId).toBe(user.id);
  });

  it("answers an unknown provider with a redirect, not an error page", async () => {
    for (const path of ["/auth/oauth/github/start", "/auth/oauth/github/callback?code=a&state=b"]) {
      const response = await fetch(`${worker.url}${path}`, { redirect: "manual" });
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toBe("/sign-in?error=unknown_provider");
    }
  });
});
