import { z } from "zod";
import {
  changeEmailInput,
  changeEmailOutput,
  changePasswordInput,
  changePasswordOutput,
  contextGetInput,
  contextOutput,
  contextSetInput,
  notificationEmailPreferences,
  profileOutput,
  reauthenticateInput,
  reauthenticateOutput,
  recoveryCodesOutput,
  resendEmailVerificationOutput,
  revokeOtherSessionsOutput,
  revokeSessionInput,
  revokeSessionOutput,
  sessionsListOutput,
  setNotificationEmailInput,
  twoFactorBeginOutput,
  twoFactorConfirmInput,
  twoFactorDisableOutput,
  twoFactorStatus as twoFactorStatusOutput,
  updateProfileInput,
  updateProfileOutput,
} from "../../../../shared/schemas/credentials";
import { accountProcedure, router } from "../../../trpc/init";
import { getContext, setContext } from "./default-context";
import { resendEmailVerification } from "./email-verification";
import { setNotificationEmail } from "./notification-email";
import { changeEmail, changePassword, loadProfile, updateName } from "./profile";
import { reauthenticate, requireRecentReauth } from "./reauthentication";
import { listSessions, revokeOtherSessions, revokeSession } from "./sessions";
import {
  beginTwoFactor,
  confirmTwoFactor,
  disableTwoFactor,
  regenerateRecoveryCodes,
  twoFactorStatus,
} from "./two-factor";

/**
 * The signed-in user: profile, default context, notification email, sessions and devices, two-factor,
 * password and email.
 */
export const profileRouter = router({
  /** Name, email, two-factor status, default organization, remembered context, notification email. */
  get: accountProcedure
    .input(z.void())
    .output(profileOutput)
    .query(({ ctx }) => loadProfile(ctx.control, ctx.user.id)),

  /** Changes the display name. */
  update: accountProcedure
    .input(updateProfileInput)
    .output(updateProfileOutput)
    .mutation(({ ctx, input }) => updateName(ctx.control, { actor: ctx.actor, name: input.name })),

  /** Re-enter the password (or a TOTP code) to unlock credential changes for 10 minutes. */
  reauthenticate: accountProcedure
    .input(reauthenticateInput)
    .output(reauthenticateOutput)
    .mutation(async ({ ctx, input }) => {
      const result = await reauthenticate(ctx.control, {
        actor: ctx.actor,
        session: ctx.session,
        encryptionKey: ctx.env.ENCRYPTION_KEY,
        ...input,
      });
      return {
        reauthenticatedAt: result.reauthenticatedAt.toISOString(),
        validUntil: result.validUntil.toISOString(),
      };
    }),

  /** Sets a new password and ends every other session and app sign-in. Needs re-authentication. */
  changePassword: accountProcedure
    .input(changePasswordInput)
    .output(changePasswordOutput)
    .mutation(async ({ ctx, input }) => {
      await requireRecentReauth(ctx);
      return changePassword(ctx.control, {
        actor: ctx.actor,
        sessionId: ctx.session.id,
        newPassword: input.newPassword,
      });
    }),

  /**
   * Changes the sign-in address. Needs re-authentication. Mails a verification link to the new address
   * and a notice to the previous one.
   */
  changeEmail: accountProcedure
    .input(changeEmailInput)
    .output(changeEmailOutput)
    .mutation(async ({ ctx, input }) => {
      await requireRecentReauth(ctx);
      return changeEmail(ctx.control, {
        actor: ctx.actor,
        email: input.email,
        env: ctx.env,
        userAgent: ctx.userAgent,
      });
    }),

  /** Mails the verification link for the sign-in address again, unless it is verified. Rate limited. */
  resendEmailVerification: accountProcedure
    .input(z.void())
    .output(resendEmailVerificationOutput)
    .mutation(({ ctx }) => resendEmailVerification(ctx.control, { actor: ctx.actor, env: ctx.env })),

  twoFactor: router({
    /** Whether two-factor is on, and how many recovery codes are left. */
    status: accountProcedure
      .input(z.void())
      .output(twoFactorStatusOutput)
      .query(({ ctx }) => twoFactorStatus(ctx.control, ctx.user.id)),

    /** Starts enrolment: a new secret as an otpauth URI and a QR code. Needs re-authentication. */
    begin: accountProcedure
      .input(z.void())
      .output(twoFactorBeginOutput)
      .mutation(async ({ ctx }) => {
        await requireRecentReauth(ctx);
        return beginTwoFactor(ctx.control, { actor: ctx.actor, encryptionKey: ctx.env.ENCRYPTION_KEY });
      }),

    /** Confirms enrolment with a code; answers 10 recovery codes, shown once. Needs re-authentication. */
    confirm: accountProcedure
      .input(twoFactorConfirmInput)
      .output(recoveryCodesOutput)
      .mutation(async ({ ctx, input }) => {
        await requireRecentReauth(ctx);
        return confirmTwoFactor(ctx.control, {
          actor: ctx.actor,
          encryptionKey: ctx.env.ENCRYPTION_KEY,
          code: input.code,
        });
      }),

    /** Turns two-factor off. Needs re-authentication. */
    disable: accountProcedure
      .input(z.void())
      .output(twoFactorDisableOutput)
      .mutation(async ({ ctx }) => {
        await requireRecentReauth(ctx);
        return disableTwoFactor(ctx.control, { actor: ctx.actor });
      }),

    /** Replaces the recovery codes with 10 new ones, shown once. Needs re-authentication. */
    regenerateRecoveryCodes: accountProcedure
      .input(z.void())
      .output(recoveryCodesOutput)
      .mutation(async ({ ctx }) => {
        await requireRecentReauth(ctx);
        return regenerateRecoveryCodes(ctx.control, { actor: ctx.actor });
      }),
  }),

  context: router({
    /** The remembered context in the organization named, or in the default organization. */
    get: accountProcedure
      .input(contextGetInput)
      .output(contextOutput)
      .query(({ ctx, input }) =>
        getContext(ctx.control, { userId: ctx.user.id, tenantSlug: input?.tenantSlug }),
      ),

    /**
     * Remembers a project, school and calendar for an organization; makes it the default only with
     * `makeDefault: true`.
     */
    set: accountProcedure
      .input(contextSetInput)
      .output(contextOutput)
      .mutation(({ ctx, input }) => setContext(ctx.control, { actor: ctx.actor, ...input })),
  }),

  notifications: router({
    /**
     * Turns emails for being assigned an issue or mentioned in a comment on or off (both on by default);
     * changes to watched issues are never emailed. A key left out keeps its value.
     */
    set: accountProcedure
      .input(setNotificationEmailInput)
      .output(notificationEmailPreferences)
      .mutation(({ ctx, input }) => setNotificationEmail(ctx.control, { actor: ctx.actor, ...input })),
  }),

  sessions: router({
    /** Live browser sessions and signed-in apps, with device, IP and times. */
    list: accountProcedure
      .input(z.void())
      .output(sessionsListOutput)
      .query(({ ctx }) => listSessions(ctx.control, { userId: ctx.user.id, current: ctx.session })),

    /** Ends one of the user's sessions or app sign-ins. */
    revoke: accountProcedure
      .input(revokeSessionInput)
      .output(revokeSessionOutput)
      .mutation(({ ctx, input }) => revokeSession(ctx.control, { actor: ctx.actor, id: input.id })),

    /** Ends every other session and app sign-in. */
    revokeOthers: accountProcedure
      .input(z.void())
      .output(revokeOtherSessionsOutput)
      .mutation(({ ctx }) => revokeOtherSessions(ctx.control, { actor: ctx.actor, current: ctx.session })),
  }),
});
