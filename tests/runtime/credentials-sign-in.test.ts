import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, sessions } from "../../db/control/schema";
import { limits } from "../../worker/auth/rate-limit";
import { sessionIdOf } from "../../worker/auth/session";
import {
  account,
  enableTwoFactor,
  postJson,
  sessionCookieOf,
  signIn,
  totpCode,
  trpcMutation,
} from "./credentials-support";
import { control, trpcQuery } from "./support";

/** An account with two-factor on, and a fresh password step that is waiting for the second factor. */
async function pendingSignIn() {
  const a = await account();
  const first = await signIn(a.email, a.password);
  const enrolled = await enableTwoFactor(first.token!, a.password);
  const pending = await signIn(a.email, a.password, { ip: a.ip });
  return { ...a, ...enrolled, pending };
}

describe("sign-in with two-factor", () => {
  it("answers secondFactorRequired: false and a usable session when two-factor is off", async () => {
    const a = await account();
    const result = await signIn(a.email, a.password);
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      secondFactorRequired: false,
      user: { id: a.user.id, email: a.email, name: a.user.name },
    });
    expect((await trpcQuery("system.me", undefined, { token: result.token! })).status).toBe(200);
  });

  it("needs the second step, and the pending session can do nothing else", async () => {
    const { pending, secret, ...a } = await pendingSignIn();
    expect(pending.status).toBe(200);
    expect(pending.body).toEqual({ secondFactorRequired: true });
    expect(pending.token).toBeTruthy();
    const [row] = await control()
      .select()
      .from(sessions)
      .where(eq(sessions.id, sessionIdOf(pending.token!)));
    expect(row?.stage).toBe("pending_second_factor");
    expect(row!.absoluteExpiresAt.getTime() - row!.createdAt.getTime()).toBeLessThanOrEqual(10 * 60_000);

    for (const path of [
      "system.me",
      "system.profile.get",
      "system.profile.sessions.list",
      "system.tokens.list",
    ]) {
      expect((await trpcQuery(path, undefined, { token: pending.token! })).status).toBe(401);
    }
    expect(
      (await trpcQuery("education.schools.list", {}, { token: pending.token!, tenant: a.tenant.slug }))
        .status,
    ).toBe(401);
    const reauth = await trpcMutation(
      "system.profile.reauthenticate",
      { password: a.password },
      { token: pending.token! },
    );
    expect(reauth.status).toBe(401);

    const done = await postJson(
      "/auth/sign-in/second-factor",
      { code: totpCode(secret, 1) },
      { token: pending.token! },
    );
    expect(done.status).toBe(200);
    expect(done.body).toEqual({
      secondFactorRequired: false,
      user: { id: a.user.id, email: a.email, name: a.user.name },
    });
    const active = sessionCookieOf(done.response);
    expect(active).toBeTruthy();
    expect(active).not.toBe(pending.token);
    expect((await trpcQuery("system.me", undefined, { token: active! })).status).toBe(200);

    // The pending session was replaced, not promoted.
    expect(
      await control()
        .select()
        .from(sessions)
        .where(eq(sessions.id, sessionIdOf(pending.token!))),
    ).toHaveLength(0);
    expect((await trpcQuery("system.me", undefined, { token: pending.token! })).status).toBe(401);
    const again = await postJson(
      "/auth/sign-in/second-factor",
      { code: totpCode(secret, 1) },
      { token: pending.token! },
    );
    expect(again.status).toBe(401);
    expect(again.body.error.reason).toBe("second_factor_expired");
  });

  it("refuses a replayed TOTP code", async () => {
    const { pending, secret, password, confirmedCode } = await pendingSignIn();
    // The code that confirmed enrolment cannot sign in.
    const replayed = await postJson(
      "/auth/sign-in/second-factor",
      { code: confirmedCode },
      { token: pending.token! },
    );
    expect(replayed.status).toBe(400);
    expect(replayed.body.error.fieldErrors.code).toBeDefined();

    const next = totpCode(secret, 1);
    const ok = await postJson("/auth/sign-in/second-factor", { code: next }, { token: pending.token! });
    expect(ok.status).toBe(200);
    const active = sessionCookieOf(ok.response)!;
    // Nor can a code that just signed in be used again to re-authenticate.
    const reauth = await trpcMutation("system.profile.reauthenticate", { code: next }, { token: active });
    expect(reauth.status).toBe(400);
    expect(reauth.body.error.data.fieldErrors.code).toBeDefined();
    expect(
      (await trpcMutation("system.profile.reauthenticate", { password }, { token: active })).status,
    ).toBe(200);
  });

  it("accepts a recovery code once", async () => {
    const { pending, recoveryCodes, email, password, user } = await pendingSignIn();
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const code = recoveryCodes[3]!;
    const used = await postJson(
      "/auth/sign-in/second-factor",
      { recoveryCode: code.toUpperCase() },
      { token: pending.token! },
    );
    expect(used.status).toBe(200);
    const active = sessionCookieOf(used.response)!;
    const status = await trpcQuery("system.profile.twoFactor.status", undefined, { token: active });
    expect(status.body.result.data).toMatchObject({ enabled: true, recoveryCodesRemaining: 9 });

    const second = await signIn(email, password);
    const reused = await postJson(
      "/auth/sign-in/second-factor",
      { recoveryCode: code },
      { token: second.token! },
    );
    expect(reused.status).toBe(400);
    expect(reused.body.error.fieldErrors.recoveryCode).toBeDefined();
    const audited = await control()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.actorId, user.id), eq(auditLog.action, "auth.recovery_code_used")));
    expect(audited).toHaveLength(1);
  });

  it("ends a pending sign-in after ten minutes", async () => {
    const { pending, secret } = await pendingSignIn();
    await control()
      .update(sessions)
      .set({ absoluteExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.id, sessionIdOf(pending.token!)));
    const late = await postJson(
      "/auth/sign-in/second-factor",
      { code: totpCode(secret, 1) },
      { token: pending.token! },
    );
    expect(late.status).toBe(401);
    expect(late.body.error.reason).toBe("second_factor_expired");
  });

  it("refuses the second step without a pending sign-in, and with an active session", async () => {
    const a = await account();
    const none = await postJson("/auth/sign-in/second-factor", { code: "123456" });
    expect(none.status).toBe(401);
    const active = await postJson("/auth/sign-in/second-factor", { code: "123456" }, { token: a.token });
    expect(active.status).toBe(401);
  });

  it("answers a malformed second step with 400 and the field at fault", async () => {
    const { pending } = await pendingSignIn();
    for (const body of [
      {},
      { code: "12345" },
      { code: "123456", recoveryCode: "abcd-efgh-ijkl" },
      { x: 1 },
    ]) {
      const result = await postJson("/auth/sign-in/second-factor", body, { token: pending.token! });
      expect(result.status).toBe(400);
      expect(result.body.error.fieldErrors).toBeDefined();
    }
  });

  it("limits guesses at the second step per account", async () => {
    const { pending } = await pendingSignIn();
    let last: Awaited<ReturnType<typeof postJson>> | undefined;
    for (let i = 0; i <= limits.secondFactorPerAccount.limit; i++) {
      last = await postJson("/auth/sign-in/second-factor", { code: "000000" }, { token: pending.token! });
      if (last.status !== 400) break;
    }
    expect(last?.status).toBe(429);
    expect(Number(last?.response.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
