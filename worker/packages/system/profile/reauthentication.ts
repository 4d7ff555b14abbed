import { eq } from "drizzle-orm";
import { auditBy, auditRow } from "../../../../db/audit";
import type { ControlDb } from "../../../../db/client";
import type { UserActor } from "../../../../db/context";
import { auditLog, sessions, users } from "../../../../db/control/schema";
import { AppError } from "../../../../shared/errors";
import { REAUTHENTICATION_MAX_AGE_MINUTES } from "../../../../shared/schemas/credentials";
import { accessCache } from "../../../auth/access-cache";
import { decoyHash, verifyPassword } from "../../../auth/password";
import { consumeRateLimit, limits, resetRateLimit } from "../../../auth/rate-limit";
import type { SessionInfo } from "../../../auth/session";
import { acceptTotpCode } from "../../../auth/totp";

const reauthenticationRequired = (message: string) =>
  new AppError("FORBIDDEN", message, { reason: "reauthentication_required" });

/**
 * Throws FORBIDDEN (reason `reauthentication_required`) unless the caller's session entered a credential
 * (signed in, or re-authenticated) within `maxAgeMinutes`. Read from the database, not the access cache,
 * so it is exact. Only browser sessions can re-authenticate; other credentials never pass.
 */
export async function requireRecentReauth(
  ctx: { control: ControlDb; session: SessionInfo },
  maxAgeMinutes = REAUTHENTICATION_MAX_AGE_MINUTES,
  now = new Date(),
): Promise<void> {
  if (ctx.session.kind !== "session") {
    throw reauthenticationRequired("Sign in to Nexus in a browser to change this.");
  }
  const [row] = await ctx.control
    .select({ at: sessions.reauthenticatedAt })
    .from(sessions)
    .where(eq(sessions.id, ctx.session.id))
    .limit(1);
  if (!row?.at || now.getTime() - row.at.getTime() > maxAgeMinutes * 60_000) {
    throw reauthenticationRequired("Confirm it is you: enter your password or a code first.");
  }
}

/**
 * Checks the password, or a TOTP code, of the signed-in user and marks the session as re-authenticated.
 * A wrong credential answers BAD_REQUEST on its field (not UNAUTHORIZED: the session itself is fine).
 */
export async function reauthenticate(
  control: ControlDb,
  params: {
    actor: UserActor;
    session: SessionInfo;
    encryptionKey: string | undefined;
    password?: string;
    code?: string;
  },
  now = new Date(),
): Promise<{ reauthenticatedAt: Date; validUntil: Date }> {
  const { actor, session } = params;
  if (session.kind !== "session") {
    throw new AppError("FORBIDDEN", "Only a browser session can re-authenticate.", {
      reason: "reauthentication_unavailable",
    });
  }
  const user = await control.query.users.findFirst({ where: eq(users.id, actor.userId) });
  if (!user) throw new AppError("UNAUTHORIZED", "Your session has ended. Sign in again.");
  const field = params.password !== undefined ? "password" : "code";
  let valid: boolean;
  if (params.password !== undefined) {
    await consumeRateLimit(control, limits.signInPerAccount, user.email);
    valid = await verifyPassword(user.passwordHash ?? decoyHash, params.password);
    valid &&= user.passwordHash !== null;
  } else {
    if (!user.totpEnabledAt) {
      throw new AppError("BAD_REQUEST", "Two-factor authentication is not on; use your password.", {
        fieldErrors: { code: ["Two-factor authentication is not on; use your password."] },
      });
    }
    await consumeRateLimit(control, limits.secondFactorPerAccount, user.id);
    valid = await acceptTotpCode(control, params.encryptionKey, user, params.code ?? "", { now });
  }
  const audit = (action: string) =>
    auditRow(auditBy({ actor }, "session", session.id, { action, after: { method: field } }), now);
  if (!valid) {
    await control.insert(auditLog).values(audit("auth.reauthentication_failed"));
    const message = field === "password" ? "That password is not correct." : "That code is not valid.";
    throw new AppError("BAD_REQUEST", message, { fieldErrors: { [field]: [message] } });
  }
  await control.batch([
    control.update(sessions).set({ reauthenticatedAt: now }).where(eq(sessions.id, session.id)),
    control.insert(auditLog).values(audit("auth.reauthenticated")),
  ]);
  await resetRateLimit(
    control,
    field === "password" ? limits.signInPerAccount : limits.secondFactorPerAccount,
    field === "password" ? user.email : user.id,
  );
  accessCache.forgetSession(session.id);
  return {
    reauthenticatedAt: now,
    validUntil: new Date(now.getTime() + REAUTHENTICATION_MAX_AGE_MINUTES * 60_000),
  };
}
