import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { auditRow } from "../../db/audit";
import { auditLog, users } from "../../db/control/schema";
import { AppError } from "../../shared/errors";
import { signInInput } from "../../shared/schemas/system";
import { openControl } from "../data";
import type { AppBindings } from "../http";
import { readJson } from "../http";
import { clearSessionCookie, setSessionCookie, tokenFromHeaders } from "./cookies";
import { decoyHash, verifyPassword } from "./password";
import { consumeRateLimit, limits, resetRateLimit } from "./rate-limit";
import { createSession, invalidateSession, resolveAccess } from "./session";

/** Sign-in and sign-out for browsers (cookie sessions). */
export const authRoutes = new Hono<AppBindings>()
  .post("/sign-in", async (c) => {
    const input = signInInput.parse(await readJson(c));
    const control = openControl(c.env);
    const email = input.email.toLowerCase();
    await consumeRateLimit(control, limits.signInPerIp, c.get("ip") ?? "unknown");
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
    const { token, session } = await createSession(control, user.id, {
      ip,
      userAgent: c.req.header("user-agent") ?? null,
    });
    await control.insert(auditLog).values(
      auditRow({
        actorKind: "user",
        actorId: user.id,
        action: "auth.signed_in",
        targetType: "session",
        targetId: session.id,
        ip,
        requestId,
      }),
    );
    setSessionCookie(c, token, session.expiresAt);
    return c.json({ user: { id: user.id, email: user.email, name: user.name } });
  })
  .post("/sign-out", async (c) => {
    const credential = tokenFromHeaders(c.req.raw.headers);
    if (credential) {
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
