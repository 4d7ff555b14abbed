import { and, eq } from "drizzle-orm";
import { Hono } from "hono";
import { auditRow } from "../../db/audit";
import { auditLog, sessions, users } from "../../db/control/schema";
import { AppError } from "../../shared/errors";
import { type SignInResult, secondFactorInput } from "../../shared/schemas/credentials";
import { signInInput } from "../../shared/schemas/system";
import { openControl } from "../data";
import type { AppBindings } from "../http";
import { readJson } from "../http";
import { bearerKindOf, revokeFamilyOfAccessToken } from "./bearer";
import { clearSessionCookie, setSessionCookie, tokenFromHeaders } from "./cookies";
import { passwordSignInAllowed } from "./oidc/policy";
import { decoyHash, verifyPassword } from "./password";
import { consumeIpRateLimit, consumeRateLimit, limits, resetRateLimit } from "./rate-limit";
import { invalidateSession, newSessionValues, resolveAccess, sessionIdOf } from "./session";
import { verifySecondFactor } from "./totp";

const secondFactorExpired = () =>
  new AppError("UNAUTHORIZED", "This sign-in has expired. Sign in again with your password.", {
    reason: "second_factor_expired",
  });

/**
 * Sign-in and sign-out for browsers (cookie sessions). With two-factor on, the password step makes a
 * short-lived session that can do nothing but finish sign-in at /sign-in/second-factor, which replaces it
 * with a new session (a new token). Sign-out with an app's access token ends the app's token family.
 */
export const authRoutes = new Hono<AppBindings>()
  .post("/sign-in", async (c) => {
    const input = signInInput.parse(await readJson(c));
    const control = openControl(c.env);
    const email = input.email.toLowerCase();
    await consumeIpRateLimit(control, limits.signInPerIp, c.get("ip"));
    await consumeRateLimit(control, limits.signInPerAccount, email);
    const user = await control.query.users.findFirst({ where: eq(users.email, email) });
    const valid = await verifyPassword(user?.passwordHash ?? decoyHash, input.password);
    const ip = c.get("ip");
    const requestId = c.get("requestId");
    if (!user || !valid || user.status !== "active" || user.deletedAt) {
      await control.insert(auditLog).values(
        auditRow({
          actorKind: "user",
          actorId: user?.id ?? null,
          action: "auth.sign_in_failed",
          targetType: "user",
          targetId: user?.id ?? null,
          after: { email },
          ip,
          requestId,
        }),
      );
      throw new AppError("UNAUTHORIZED", "That email and password do not match an active account.");
    }
    await resetRateLimit(control, limits.signInPerAccount, email);
    if (!(await passwordSignInAllowed(control, user.id))) {
      // The password was right, so saying why reveals nothing.
      throw new AppError("FORBIDDEN", "Your organization requires signing in with Google or Microsoft.", {
        reason: "sso_required",
      });
    }
    const pending = user.totpEnabledAt !== null;
    const session = newSessionValues(
      user.id,
      { ip, userAgent: c.req.header("user-agent") ?? null },
      { pending, reauthenticated: !pending },
    );
    await control.batch([
      control.insert(sessions).values(session.values),
      control.insert(auditLog).values(
        auditRow({
          actorKind: "user",
          actorId: user.id,
          action: pending ? "auth.second_factor_required" : "auth.signed_in",
          targetType: "session",
          targetId: session.id,
          after: { method: "password" },
          ip,
          requestId,
        }),
      ),
    ]);
    setSessionCookie(c, session.token, session.expiresAt);
    const result: SignInResult = pending
      ? { secondFactorRequired: true }
      : { secondFactorRequired: false, user: { id: user.id, email: user.email, name: user.name } };
    return c.json(result);
  })
  .post("/sign-in/second-factor", async (c) => {
    const input = secondFactorInput.parse(await readJson(c));
    const credential = tokenFromHeaders(c.req.raw.headers);
    if (!credential) throw secondFactorExpired();
    const control = openControl(c.env);
    const pendingId = sessionIdOf(credential.token);
    const [row] = await control
      .select({
        session: {
          id: sessions.id,
          expiresAt: sessions.expiresAt,
          absoluteExpiresAt: sessions.absoluteExpiresAt,
        },
        user: {
          id: users.id,
          email: users.email,
          name: users.name,
          status: users.status,
          deletedAt: users.deletedAt,
          totpSecret: users.totpSecret,
          totpLastStep: users.totpLastStep,
          totpEnabledAt: users.totpEnabledAt,
        },
      })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.id, pendingId), eq(sessions.stage, "pending_second_factor")))
      .limit(1);
    const now = new Date();
    if (
      !row ||
      Math.min(row.session.expiresAt.getTime(), row.session.absoluteExpiresAt.getTime()) <= now.getTime()
    ) {
      if (row) await control.delete(sessions).where(eq(sessions.id, pendingId));
      throw secondFactorExpired();
    }
    const { user } = row;
    if (user.status !== "active" || user.deletedAt || !user.totpEnabledAt) {
      await control.delete(sessions).where(eq(sessions.id, pendingId));
      throw secondFactorExpired();
    }
    await consumeRateLimit(control, limits.secondFactorPerAccount, user.id);
    const ip = c.get("ip");
    const requestId = c.get("requestId");
    const method = await verifySecondFactor(control, c.env.ENCRYPTION_KEY, user, input, now);
    if (!method) {
      await control.insert(auditLog).values(
        auditRow({
          actorKind: "user",
          actorId: user.id,
          action: "auth.second_factor_failed",
          targetType: "user",
          targetId: user.id,
          after: { method: input.code !== undefined ? "code" : "recovery_code" },
          ip,
          requestId,
        }),
      );
      const field = input.code !== undefined ? "code" : "recoveryCode";
      throw new AppError("BAD_REQUEST", "That code is not valid. Try the current one.", {
        fieldErrors: { [field]: ["That code is not valid, or it was used already."] },
        reason: "invalid_second_factor",
      });
    }
    await resetRateLimit(control, limits.secondFactorPerAccount, user.id);
    const session = newSessionValues(
      user.id,
      { ip, userAgent: c.req.header("user-agent") ?? null },
      { reauthenticated: true },
      now,
    );
    // The pending session is replaced, not promoted: the token that saw only a password never gains access.
    const [removed] = await control.batch([
      control.delete(sessions).where(eq(sessions.id, pendingId)),
      control.insert(sessions).values(session.values),
      control.insert(auditLog).values(
        auditRow(
          {
            actorKind: "user",
            actorId: user.id,
            action: "auth.signed_in",
            targetType: "session",
            targetId: session.id,
            after: { method: "password", secondFactor: method },
            ip,
            requestId,
          },
          now,
        ),
      ),
      ...(method === "recovery_code"
        ? [
            control.insert(auditLog).values(
              auditRow(
                {
                  actorKind: "user",
                  actorId: user.id,
                  action: "auth.recovery_code_used",
                  targetType: "user",
                  targetId: user.id,
                  ip,
                  requestId,
                },
                now,
              ),
            ),
          ]
        : []),
    ]);
    if (removed.rowsAffected !== 1) {
      // Finished twice at once: only the first completion counts.
      await control.delete(sessions).where(eq(sessions.id, session.id));
      throw secondFactorExpired();
    }
    setSessionCookie(c, session.token, session.expiresAt);
    const result: SignInResult = {
      secondFactorRequired: false,
      user: { id: user.id, email: user.email, name: user.name },
    };
    return c.json(result);
  })
  .post("/sign-out", async (c) => {
    const credential = tokenFromHeaders(c.req.raw.headers);
    if (credential?.via === "bearer" && bearerKindOf(credential.token) === "access_token") {
      // An app signing out ends its whole token family.
      const control = openControl(c.env);
      await revokeFamilyOfAccessToken(control, credential.token, {
        ip: c.get("ip"),
        requestId: c.get("requestId"),
      });
    } else if (credential) {
      const control = openControl(c.env);
      const access = await resolveAccess(control, credential.token, null);
      await invalidateSession(control, credential.token);
      if (access) {
        await control.insert(auditLog).values(
          auditRow({
            actorKind: "user",
            actorId: access.user.id,
            action: "auth.signed_out",
            targetType: "session",
            targetId: access.session.id,
            ip: c.get("ip"),
            requestId: c.get("requestId"),
          }),
        );
      }
    }
    clearSessionCookie(c);
    return c.json({ signedOut: true });
  });
