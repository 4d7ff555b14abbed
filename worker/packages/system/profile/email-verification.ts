import { and, eq, isNull } from "drizzle-orm";
import { auditBy, auditIfChanged, auditRow } from "../../../../db/audit";
import type { ControlDb } from "../../../../db/client";
import type { UserActor } from "../../../../db/context";
import { auditLog, emailOutbox, users } from "../../../../db/control/schema";
import { AppError } from "../../../../shared/errors";
import type {
  ResendEmailVerificationOutput,
  VerifyEmailOutput,
} from "../../../../shared/schemas/credentials";
import { accessCache } from "../../../auth/access-cache";
import {
  emailVerificationLink,
  readEmailVerificationToken,
  signEmailVerificationToken,
} from "../../../auth/email-verification-token";
import { consumeRateLimit, limits } from "../../../auth/rate-limit";
import {
  capturedOutboxRows,
  type EmailMessage,
  type EmailSettings,
  emailVerificationEmail,
  sendEmails,
} from "../../../email";
import type { Env } from "../../../env";

/** What mailing a verification link needs: where links point, the signing secret, and the mail settings. */
export type VerificationEnv = EmailSettings & Pick<Env, "PUBLIC_URL" | "ENCRYPTION_KEY">;

/** Where links in account mail point. Without PUBLIC_URL no link can be made, so nothing is written. */
export function accountLinkBase(env: Pick<Env, "PUBLIC_URL">): string {
  const url = env.PUBLIC_URL?.trim().replace(/\/+$/, "");
  if (!url) {
    throw new AppError(
      "UNAVAILABLE",
      "Verification links cannot be sent: Nexus has no PUBLIC_URL configured.",
    );
  }
  return url;
}

/**
 * Everything for mailing a verification link for `email` to it, made before anything is written: the
 * token is signed (failing early if the secret is missing) and the per-account allowance is counted.
 */
export async function prepareVerificationEmail(
  control: ControlDb,
  env: VerificationEnv,
  user: { id: string; name: string },
  email: string,
  now: Date,
): Promise<EmailMessage> {
  const base = accountLinkBase(env);
  const { token, expiresAt } = await signEmailVerificationToken(
    env.ENCRYPTION_KEY,
    { userId: user.id, email },
    now,
  );
  await consumeRateLimit(control, limits.emailVerificationPerAccount, user.id);
  return emailVerificationEmail({
    to: email,
    name: user.name,
    link: emailVerificationLink(base, token),
    token,
    expiresAt,
  });
}

/**
 * Writes `statements` and queues `messages` together: with no provider configured the outbox rows join
 * the same batch; otherwise the mail is handed to the provider (and recorded) after the batch committed.
 */
export async function writeWithMail(
  control: ControlDb,
  env: EmailSettings,
  // biome-ignore lint/suspicious/noExplicitAny: any drizzle statement the caller batches
  statements: [any, ...any[]],
  messages: EmailMessage[],
  now: Date,
): Promise<void> {
  const captured = capturedOutboxRows(env, messages, now);
  await control.batch(
    captured && captured.length > 0
      ? [...statements, control.insert(emailOutbox).values(captured)]
      : statements,
  );
  if (!captured) await sendEmails(env, control, messages, { now });
}

/** Mails the verification link for the current address again, if it is not verified yet. */
export async function resendEmailVerification(
  control: ControlDb,
  params: { actor: UserActor; env: VerificationEnv },
  now = new Date(),
): Promise<ResendEmailVerificationOutput> {
  const user = await control.query.users.findFirst({ where: eq(users.id, params.actor.userId) });
  if (!user) throw new AppError("UNAUTHORIZED", "Your session has ended. Sign in again.");
  if (user.emailVerifiedAt) return { email: user.email, emailVerified: true, queued: false };
  const message = await prepareVerificationEmail(control, params.env, user, user.email, now);
  await writeWithMail(
    control,
    params.env,
    [
      control.insert(auditLog).values(
        auditRow(
          auditBy({ actor: params.actor }, "user", user.id, {
            action: "profile.email_verification_sent",
            after: { email: user.email },
          }),
          now,
        ),
      ),
    ],
    [message],
    now,
  );
  return { email: user.email, emailVerified: false, queued: true };
}

const invalidLink = () =>
  new AppError(
    "BAD_REQUEST",
    "This verification link is not valid. Open the whole link from the email, or ask for a new one on your profile page.",
    { reason: "email_verification_invalid" },
  );
const expiredLink = () =>
  new AppError("BAD_REQUEST", "This verification link has expired. Ask for a new one on your profile page.", {
    reason: "email_verification_expired",
  });
const supersededLink = () =>
  new AppError(
    "CONFLICT",
    "This link is for an address that is no longer the account's sign-in address, so it cannot verify it.",
    { reason: "email_verification_superseded" },
  );

/**
 * Marks the address in a verification token verified, when the token's tag is valid, it has not expired,
 * and the account's address is still the token's. A token used again answers `already_verified`. An
 * account that is gone answers like a changed address: the token already named it, nothing more is said.
 */
export async function verifyEmail(
  control: ControlDb,
  params: { token: string; secret: string | undefined; ip: string | null; requestId: string },
  now = new Date(),
): Promise<VerifyEmailOutput> {
  const check = await readEmailVerificationToken(params.secret, params.token, now);
  if (!check.ok) throw check.reason === "expired" ? expiredLink() : invalidLink();
  const { userId, email } = check.claims;
  const current = async () => {
    const user = await control.query.users.findFirst({ where: eq(users.id, userId) });
    return user && !user.deletedAt && user.email === email ? user : null;
  };
  const user = await current();
  if (!user) throw supersededLink();
  if (user.emailVerifiedAt) return { email, status: "already_verified" };
  const [updated] = await control.batch([
    control
      .update(users)
      .set({ emailVerifiedAt: now, updatedAt: now })
      // Unchanged since it was read: an address changed meanwhile is not verified by an older link.
      .where(
        and(
          eq(users.id, userId),
          eq(users.email, email),
          isNull(users.emailVerifiedAt),
          isNull(users.deletedAt),
        ),
      )
      .returning({ id: users.id }),
    auditIfChanged(
      control,
      // Whoever holds the link confirms the address: no session, so the account is recorded as the actor.
      {
        actorKind: "user",
        actorId: userId,
        action: "profile.email_verified",
        targetType: "user",
        targetId: userId,
        after: { email },
        ip: params.ip,
        requestId: params.requestId,
      },
      now,
    ),
  ]);
  if (updated.length === 0) {
    const again = await current();
    if (again?.emailVerifiedAt) return { email, status: "already_verified" };
    throw supersededLink();
  }
  accessCache.forgetUser(userId);
  return { email, status: "verified" };
}
