import { and, eq, isNull, ne } from "drizzle-orm";
import { auditBy, auditRow } from "../../../../db/audit";
import type { ControlDb } from "../../../../db/client";
import type { UserActor } from "../../../../db/context";
import { auditLog, tenants, users } from "../../../../db/control/schema";
import { AppError } from "../../../../shared/errors";
import { notificationEmailOf, type ProfileOutput } from "../../../../shared/schemas/credentials";
import { accessCache } from "../../../auth/access-cache";
import { hashNewPassword } from "../../../auth/password-policy";
import { endUserSessions } from "../../../auth/session";
import { deviceLabel } from "../../../auth/user-agent";
import { emailChangedNotice } from "../../../email";
import {
  accountLinkBase,
  prepareVerificationEmail,
  type VerificationEnv,
  writeWithMail,
} from "./email-verification";
import { twoFactorStatus } from "./two-factor";

async function loadUser(control: ControlDb, userId: string) {
  const user = await control.query.users.findFirst({ where: eq(users.id, userId) });
  if (!user) throw new AppError("UNAUTHORIZED", "Your session has ended. Sign in again.");
  return user;
}

/**
 * Name, email, two-factor status, default organization, remembered context and notification email
 * preferences of the signed-in user.
 */
export async function loadProfile(control: ControlDb, userId: string): Promise<ProfileOutput> {
  const user = await loadUser(control, userId);
  const [twoFactor, defaultTenant] = await Promise.all([
    twoFactorStatus(control, userId),
    user.defaultTenantId
      ? control
          .select({ id: tenants.id, slug: tenants.slug, name: tenants.name })
          .from(tenants)
          .where(
            and(
              eq(tenants.id, user.defaultTenantId),
              ne(tenants.status, "deleted"),
              isNull(tenants.deletedAt),
            ),
          )
          .limit(1)
          .then((rows) => rows[0] ?? null)
      : Promise.resolve(null),
  ]);
  const contexts: ProfileOutput["preferences"]["contexts"] = {};
  for (const [tenantId, c] of Object.entries(user.preferences.contexts ?? {})) {
    contexts[tenantId] = {
      projectId: c.projectId ?? null,
      schoolId: c.schoolId ?? null,
      calendarId: c.calendarId ?? null,
    };
  }
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    emailVerified: user.emailVerifiedAt !== null,
    hasPassword: user.passwordHash !== null,
    passwordChangedAt: user.passwordChangedAt?.toISOString() ?? null,
    twoFactor,
    defaultTenant,
    preferences: { contexts, notificationEmail: notificationEmailOf(user.preferences) },
  };
}

export async function updateName(
  control: ControlDb,
  params: { actor: UserActor; name: string },
  now = new Date(),
): Promise<{ name: string }> {
  const user = await loadUser(control, params.actor.userId);
  if (user.name === params.name) return { name: user.name };
  await control.batch([
    control.update(users).set({ name: params.name, updatedAt: now }).where(eq(users.id, user.id)),
    control.insert(auditLog).values(
      auditRow(
        auditBy({ actor: params.actor }, "user", user.id, {
          action: "profile.name_changed",
          before: { name: user.name },
          after: { name: params.name },
        }),
        now,
      ),
    ),
  ]);
  accessCache.forgetUser(user.id);
  return { name: params.name };
}

/**
 * Sets a new password (common passwords refused) and ends every other session and every app sign-in
 * (token family) of the user; the session that made the change stays.
 */
export async function changePassword(
  control: ControlDb,
  params: { actor: UserActor; sessionId: string; newPassword: string },
  now = new Date(),
): Promise<{ endedSessions: number }> {
  const user = await loadUser(control, params.actor.userId);
  const passwordHash = await hashNewPassword(params.newPassword, { email: user.email }, "newPassword");
  await control.batch([
    control
      .update(users)
      .set({ passwordHash, passwordChangedAt: now, updatedAt: now })
      .where(eq(users.id, user.id)),
    control
      .insert(auditLog)
      .values(
        auditRow(auditBy({ actor: params.actor }, "user", user.id, { action: "auth.password_changed" }), now),
      ),
  ]);
  const ended = await endUserSessions(control, user.id, {
    exceptSessionId: params.sessionId,
    reason: "password_changed",
  });
  return { endedSessions: ended.sessions };
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if (/UNIQUE constraint failed/i.test(String((e as { message?: unknown }).message ?? ""))) return true;
  }
  return false;
}

/**
 * Changes the sign-in address (lower-cased; unique across Nexus). The new address is not verified until
 * its owner opens the link mailed to it; the previous address is told of the change, from where it was
 * made, and what to do if it was not them. The mail is queued with the change (see `writeWithMail`).
 */
export async function changeEmail(
  control: ControlDb,
  params: { actor: UserActor; email: string; env: VerificationEnv; userAgent: string | null },
  now = new Date(),
): Promise<{ email: string; emailVerified: boolean }> {
  const user = await loadUser(control, params.actor.userId);
  const email = params.email.trim().toLowerCase();
  if (email === user.email) return { email, emailVerified: user.emailVerifiedAt !== null };
  const taken = () =>
    new AppError("CONFLICT", "That address cannot be used.", {
      fieldErrors: { email: ["That address cannot be used. Choose another."] },
    });
  const [existing] = await control
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, email))
    .limit(1);
  if (existing) throw taken();
  const verification = await prepareVerificationEmail(control, params.env, user, email, now);
  const notice = emailChangedNotice({
    to: user.email,
    name: user.name,
    newEmail: email,
    changedAt: now,
    ip: params.actor.ip,
    device: params.userAgent ? deviceLabel(params.userAgent) : null,
    signInUrl: `${accountLinkBase(params.env)}/sign-in`,
  });
  try {
    await writeWithMail(
      control,
      params.env,
      [
        control
          .update(users)
          .set({ email, emailVerifiedAt: null, updatedAt: now })
          .where(eq(users.id, user.id)),
        control.insert(auditLog).values(
          auditRow(
            auditBy({ actor: params.actor }, "user", user.id, {
              action: "profile.email_changed",
              before: { email: user.email },
              after: { email },
            }),
            now,
          ),
        ),
      ],
      [verification, notice],
      now,
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw taken();
    throw error;
  }
  accessCache.forgetUser(user.id);
  return { email, emailVerified: false };
}
