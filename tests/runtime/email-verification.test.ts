import { SELF } from "cloudflare:test";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, emailOutbox, users } from "../../db/control/schema";
import { signEmailVerificationToken } from "../../worker/auth/email-verification-token";
import { limits } from "../../worker/auth/rate-limit";
import { account, markReauthenticated, postJson, randomIp, trpcMutation } from "./credentials-support";
import { control, ORIGIN, testEnv } from "./support";

const FIREFOX_ON_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

const newAddress = (label = "moved") => `${label}-${crypto.randomUUID().slice(0, 8)}@example.org`;

/** Re-authenticates the session, then changes its address, as a browser would (IP and user agent set). */
async function changeEmail(token: string, password: string, email: string, ip = randomIp()) {
  const reauth = await trpcMutation("system.profile.reauthenticate", { password }, { token });
  expect(reauth.status).toBe(200);
  const response = await SELF.fetch(`${ORIGIN}/trpc/system.profile.changeEmail?batch=1`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${token}`,
      "cf-connecting-ip": ip,
      "user-agent": FIREFOX_ON_LINUX,
    },
    body: JSON.stringify({ 0: { email } }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: assertions read the tRPC batch shape
  const [body] = (await response.json()) as any[];
  return { status: response.status, body };
}

async function outboxTo(address: string) {
  return control().select().from(emailOutbox).where(eq(emailOutbox.to, address));
}

/** The token in the newest verification link mailed to `address`. */
async function linkTokenFor(address: string): Promise<string> {
  const rows = (await outboxTo(address)).filter((r) => r.kind === "email_verification");
  const newest = rows.sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime())[0];
  const match = /\/verify-email#token=(\S+)/.exec(newest?.text ?? "");
  if (!match?.[1]) throw new Error(`no verification link mailed to ${address}`);
  return match[1];
}

function verify(token: unknown, ip = randomIp()) {
  return postJson("/auth/verify-email", { token }, { ip });
}

async function userRow(id: string) {
  return control().query.users.findFirst({ where: eq(users.id, id) });
}

async function auditActions(userId: string): Promise<string[]> {
  const rows = await control()
    .select({ action: auditLog.action })
    .from(auditLog)
    .where(eq(auditLog.targetId, userId))
    .orderBy(auditLog.at);
  return rows.map((r) => r.action);
}

async function verifiedAudits(userId: string): Promise<number> {
  const [row] = await control()
    .select({ n: sql<number>`count(*)` })
    .from(auditLog)
    .where(and(eq(auditLog.targetId, userId), eq(auditLog.action, "profile.email_verified")));
  return Number(row?.n ?? 0);
}

describe("changing the sign-in address", () => {
  it("queues a verification link to the new address and a notice, with IP and device, to the old one", async () => {
    const a = await account();
    const email = newAddress();
    const ip = randomIp();
    const changed = await changeEmail(a.token, a.password, email, ip);
    expect(changed.status).toBe(200);
    expect(changed.body.result.data).toEqual({ email, emailVerified: false });

    const [link] = await outboxTo(email);
    expect(link).toMatchObject({
      tenantId: null,
      kind: "email_verification",
      status: "captured",
      subject: "Verify your sign-in address for Nexus",
    });
    expect(link?.text).toMatch(/http:\/\/nexus\.test\/verify-email#token=ev1\.\S+/);
    expect(link?.html).toContain('href="http://nexus.test/verify-email#token=ev1.');

    const [notice] = await outboxTo(a.email);
    expect(notice).toMatchObject({
      tenantId: null,
      kind: "email_changed",
      status: "captured",
      subject: "Your Nexus sign-in address was changed",
    });
    expect(notice?.text).toContain(`from ${a.email} to ${email}`);
    expect(notice?.text).toContain(`IP address: ${ip}`);
    expect(notice?.text).toContain("Device: Firefox on Linux");
    expect(notice?.text).toMatch(/If it was not you/);
    expect(notice?.text).not.toContain("verify-email");

    expect(await auditActions(a.user.id)).toContain("profile.email_changed");
    expect((await userRow(a.user.id))?.emailVerifiedAt).toBeNull();
  });

  it("sends nothing when the address is refused", async () => {
    const a = await account();
    const b = await account();
    const refused = await changeEmail(a.token, a.password, b.email);
    expect(refused.status).toBe(409);
    expect(await outboxTo(a.email)).toEqual([]);
    expect((await userRow(a.user.id))?.email).toBe(a.email);
  });
});

describe("the verification link", () => {
  it("verifies the address once, audits it, and answers a second use without writing again", async () => {
    const a = await account();
    const email = newAddress();
    await changeEmail(a.token, a.password, email);
    const token = await linkTokenFor(email);

    const first = await verify(token);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ email, status: "verified" });
    expect(first.response.headers.get("cache-control")).toBe("no-store");
    const verified = await userRow(a.user.id);
    expect(verified?.emailVerifiedAt).toBeInstanceOf(Date);
    const [entry] = await control()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, a.user.id), eq(auditLog.action, "profile.email_verified")));
    expect(entry).toMatchObject({ actorKind: "user", actorId: a.user.id, after: { email } });

    const again = await verify(token);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ email, status: "already_verified" });
    expect(await verifiedAudits(a.user.id)).toBe(1);
    expect((await userRow(a.user.id))?.emailVerifiedAt?.getTime()).toBe(verified?.emailVerifiedAt?.getTime());

    const profile = await trpcMutation("system.profile.resendEmailVerification", undefined, {
      token: a.token,
    });
    expect(profile.body.result.data).toEqual({ email, emailVerified: true, queued: false });
  });

  it("refuses expired, altered, foreign-key and other-address tokens with a typed error, writing nothing", async () => {
    const a = await account();
    const email = newAddress();
    await changeEmail(a.token, a.password, email);
    const good = await linkTokenFor(email);
    const key = testEnv.ENCRYPTION_KEY;

    const expired = await signEmailVerificationToken(
      key,
      { userId: a.user.id, email },
      new Date(Date.now() - 49 * 60 * 60 * 1000),
    );
    const [prefix, payload, tag] = good.split(".") as [string, string, string];
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
    const otherKey = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
    const foreign = await signEmailVerificationToken(otherKey, { userId: a.user.id, email });
    // Validly signed, but for an address the account does not have.
    const elsewhere = await signEmailVerificationToken(key, {
      userId: a.user.id,
      email: newAddress("other"),
    });
    const otherUser = await signEmailVerificationToken(key, { userId: "no-such-user", email });

    const cases: [string, string, number, string][] = [
      ["expired", expired.token, 400, "email_verification_expired"],
      ["payload altered", `${prefix}.${flip(payload, 5)}.${tag}`, 400, "email_verification_invalid"],
      ["tag altered", `${prefix}.${payload}.${flip(tag, 3)}`, 400, "email_verification_invalid"],
      ["tag missing", `${prefix}.${payload}`, 400, "email_verification_invalid"],
      ["another key", foreign.token, 400, "email_verification_invalid"],
      ["not base64", `${prefix}.%%%.***`, 400, "email_verification_invalid"],
      ["not a token", "hello", 400, "email_verification_invalid"],
      ["another address", elsewhere.token, 409, "email_verification_superseded"],
      ["another account", otherUser.token, 409, "email_verification_superseded"],
    ];
    for (const [label, token, status, reason] of cases) {
      const result = await verify(token);
      expect({ label, status: result.status, reason: result.body.error?.reason }).toEqual({
        label,
        status,
        reason,
      });
      expect(JSON.stringify(result.body)).not.toMatch(/stack|at \w+ \(/);
    }
    expect((await userRow(a.user.id))?.emailVerifiedAt).toBeNull();
    expect(await verifiedAudits(a.user.id)).toBe(0);
  });

  it("no longer works for the previous address once the address changed again", async () => {
    const a = await account();
    const first = newAddress("first");
    const second = newAddress("second");
    await changeEmail(a.token, a.password, first);
    const forFirst = await linkTokenFor(first);
    await changeEmail(a.token, a.password, second);

    const stale = await verify(forFirst);
    expect(stale.status).toBe(409);
    expect(stale.body.error.reason).toBe("email_verification_superseded");
    expect(await userRow(a.user.id)).toMatchObject({ email: second, emailVerifiedAt: null });
    expect(await verifiedAudits(a.user.id)).toBe(0);

    // The notice about the second change went to the first new address.
    expect((await outboxTo(first)).map((r) => r.kind).sort()).toEqual([
      "email_changed",
      "email_verification",
    ]);
    const current = await verify(await linkTokenFor(second));
    expect(current.body).toEqual({ email: second, status: "verified" });
  });

  it("answers malformed input with 400 and field errors, and is rate limited per IP", async () => {
    const ip = randomIp();
    for (const body of [{}, { token: "" }, { token: 7 }, { token: "x".repeat(1025) }]) {
      const result = await postJson("/auth/verify-email", body, { ip });
      expect(result.status).toBe(400);
      expect(Object.keys(result.body.error.fieldErrors ?? {})).toContain("token");
    }
    for (let i = 0; i < limits.emailVerifyPerIp.limit; i++) {
      expect((await verify(`nonsense-${i}`, ip)).status).toBe(400);
    }
    const limited = await verify("nonsense", ip);
    expect(limited.status).toBe(429);
    expect(Number(limited.response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await verify("nonsense", randomIp())).status).toBe(400);
  });

  it("refuses a cross-site request", async () => {
    const result = await postJson(
      "/auth/verify-email",
      { token: "anything" },
      { headers: { origin: "https://evil.example", cookie: "nexus_session=x" } },
    );
    expect(result.status).toBe(403);
  });
});

describe("sending the link again", () => {
  it("queues the link to the unverified address, up to the per-account allowance", async () => {
    const a = await account();
    const before = (await outboxTo(a.email)).length;
    for (let i = 0; i < limits.emailVerificationPerAccount.limit; i++) {
      const sent = await trpcMutation("system.profile.resendEmailVerification", undefined, {
        token: a.token,
      });
      expect(sent.status).toBe(200);
      expect(sent.body.result.data).toEqual({ email: a.email, emailVerified: false, queued: true });
    }
    expect((await outboxTo(a.email)).length).toBe(before + limits.emailVerificationPerAccount.limit);
    expect(await auditActions(a.user.id)).toContain("profile.email_verification_sent");

    const limited = await trpcMutation("system.profile.resendEmailVerification", undefined, {
      token: a.token,
    });
    expect(limited.status).toBe(429);
    expect(limited.body.error.data.code).toBe("TOO_MANY_REQUESTS");
    // As on the /auth routes, the answer says when to try again.
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await outboxTo(a.email)).length).toBe(before + limits.emailVerificationPerAccount.limit);

    // Any of the links verifies the address.
    const result = await verify(await linkTokenFor(a.email));
    expect(result.body).toEqual({ email: a.email, status: "verified" });
  });

  it("is refused to personal access tokens", async () => {
    const a = await account();
    await markReauthenticated(a.token);
    const created = await trpcMutation(
      "system.tokens.create",
      { name: "CI", tenantSlug: a.tenant.slug, scopes: ["system.read"] },
      { token: a.token },
    );
    const result = await trpcMutation("system.profile.resendEmailVerification", undefined, {
      token: created.body.result.data.token,
    });
    expect(result.status).toBe(403);
    // Only the notice that the token was created; no verification link.
    expect((await outboxTo(a.email)).map((r) => r.kind)).toEqual(["token_created"]);
  });
});
