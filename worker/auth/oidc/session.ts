import { auditRow } from "../../../db/audit";
import type { ControlDb } from "../../../db/client";
import { auditLog, sessions } from "../../../db/control/schema";
import { newSessionValues } from "../session";
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

  const pending = user.totpEnabledAt !== null;
  // A fresh SSO sign-in counts as re-authentication; a user with TOTP still owes the second factor.
  const session = newSessionValues(user.id, meta, { pending, reauthenticated: !pending }, now);
  await control.batch([
    control.insert(sessions).values(session.values),
    control
      .insert(auditLog)
      .values(audit(pending ? "auth.second_factor_required" : "auth.signed_in", session.id)),
  ]);
  return { token: session.token, expiresAt: session.expiresAt, pendingSecondFactor: pending };
}
