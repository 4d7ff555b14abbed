import { auditRow } from "../../../db/audit";
import type { ControlDb } from "../../../db/client";
import { auditLog, sessions } from "../../../db/control/schema";
import {
  createSession,
  generateSessionToken,
  SESSION_ABSOLUTE_MS,
  SESSION_INACTIVITY_MS,
  sessionIdOf,
} from "../session";
import type { SsoUser } from "./account";
import type { ProviderName } from "./providers";

export interface SsoSession {
  token: string;
  expiresAt: Date;
  /** True when the user has two-factor on: the session can do nothing until the second step. */
  pendingSecondFactor: boolean;
}

/**
 * A new session for every sign-in. A user with TOTP enabled gets a `pending_second_factor` session, which
 * resolves to nothing until the second step promotes it. Audited as `auth.signed_in` (or
 * `auth.second_factor_required`) with the provider.
 */
export async function startSsoSession(
  control: ControlDb,
  user: SsoUser,
  provider: ProviderName,
  meta: { ip: string | null; userAgent: string | null; requestId: string },
  now = new Date(),
): Promise<SsoSession> {
  const audit = (action: string, sessionId: string) =>
    auditRow(
      {
        actorKind: "user",
        actorId: user.id,
        action,
        targetType: "session",
        targetId: sessionId,
        after: { provider },
        ip: meta.ip,
        requestId: meta.requestId,
      },
      now,
    );

  if (!user.totpEnabledAt) {
    const { token, session } = await createSession(control, user.id, meta, now);
    await control.insert(auditLog).values(audit("auth.signed_in", session.id));
    return { token, expiresAt: session.expiresAt, pendingSecondFactor: false };
  }

  // Same shape and lifetimes as createSession, but owing the second factor.
  const token = generateSessionToken();
  const id = sessionIdOf(token);
  const expiresAt = new Date(now.getTime() + SESSION_INACTIVITY_MS);
  await control.batch([
    control.insert(sessions).values({
      id,
      userId: user.id,
      stage: "pending_second_factor",
      createdAt: now,
      lastUsedAt: now,
      expiresAt,
      absoluteExpiresAt: new Date(now.getTime() + SESSION_ABSOLUTE_MS),
      ip: meta.ip,
      userAgent: meta.userAgent?.slice(0, 400) ?? null,
    }),
    control.insert(auditLog).values(audit("auth.second_factor_required", id)),
  ]);
  return { token, expiresAt, pendingSecondFactor: true };
}
