import { and, eq } from "drizzle-orm";
import { type AuditInput, auditRow } from "../../../../db/audit";
import type { ControlDb } from "../../../../db/client";
import { auditLog, invitations, memberships, tenants, users } from "../../../../db/control/schema";
import { isUniqueViolation } from "../../../../db/errors";
import { AppError } from "../../../../shared/errors";
import { newId } from "../../../../shared/ids";
import {
  type AcceptInvitationOutput,
  acceptInvitationInput,
  type InvitationPreview,
} from "../../../../shared/schemas/invitations";
import { accessCache } from "../../../auth/access-cache";
import { hashNewPassword } from "../../../auth/password-policy";
import { createSession, resolveAccess } from "../../../auth/session";
import { expireInvitations } from "./expire";
import { invitationTokenHash } from "./tokens";
import { effectiveStatus } from "./views";

/** One answer for unknown, rotated, expired, revoked and accepted links alike. */
export const noLongerValid = () =>
  new AppError(
    "NOT_FOUND",
    "This invitation is no longer valid. Ask the person who invited you to send a new one.",
  );

const tokenShape = /^[a-z2-7]{32}$/;

/** The invitation a link's token names, with its organization; null for a token that names none. */
async function findByToken(control: ControlDb, rawToken: string) {
  const token = rawToken.trim().toLowerCase();
  if (!tokenShape.test(token)) return null;
  const tokenHash = invitationTokenHash(token);
  const [row] = await control
    .select({
      invitation: invitations,
      tenant: {
        id: tenants.id,
        slug: tenants.slug,
        name: tenants.name,
        status: tenants.status,
        ssoOnly: tenants.ssoOnly,
        deletedAt: tenants.deletedAt,
      },
    })
    .from(invitations)
    .innerJoin(tenants, eq(tenants.id, invitations.tenantId))
    .where(eq(invitations.tokenHash, tokenHash))
    .limit(1);
  if (!row || row.tenant.deletedAt || row.tenant.status === "deleted") return null;
  return row;
}

/** Marks a pending invitation found past its expiry as expired, so lists agree with what the link says. */
async function markIfExpired(
  control: ControlDb,
  invitation: { id: string; status: string },
  status: string,
  now: Date,
) {
  if (invitation.status === "pending" && status === "expired") {
    await expireInvitations(control, now, { ids: [invitation.id] });
  }
}

/**
 * What an invitation link shows before it is accepted: the organization, the address and role, and — only
 * while the invitation is pending, so only to someone holding a working link — whether an account with the
 * address already exists (sign in, or create one). Accepted and revoked links answer like unknown ones.
 */
export async function previewInvitation(
  control: ControlDb,
  token: string,
  now = new Date(),
): Promise<InvitationPreview> {
  const found = await findByToken(control, token);
  if (!found) throw noLongerValid();
  const { invitation, tenant } = found;
  const status = effectiveStatus(invitation, now);
  await markIfExpired(control, invitation, status, now);
  if (status !== "pending" && status !== "expired") throw noLongerValid();
  let accountExists: boolean | null = null;
  if (status === "pending") {
    const [user] = await control
      .select({ id: users.id })
      .from(users)
      .where(eq(users.email, invitation.email))
      .limit(1);
    accountExists = Boolean(user);
  }
  return {
    organizationName: tenant.name,
    email: invitation.email,
    role: invitation.role,
    status,
    expiresAt: invitation.expiresAt.toISOString(),
    accountExists,
  };
}

export interface AcceptParams {
  token: string;
  /** The caller's session or access token (cookie or bearer), if any. */
  credential: string | null;
  /** Reads the request body; called only when an account has to be created. */
  readBody: () => Promise<unknown>;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  now?: Date;
}

export interface AcceptOutcome {
  result: AcceptInvitationOutput;
  /** A new session for an account created here: the caller sets its cookie. */
  session: { token: string; expiresAt: Date } | null;
}

/**
 * Accepts an invitation:
 * (a) signed in as the invited address (compared case-insensitively) → the membership is added, or a
 *     deactivated or removed one is restored, with the invited role;
 * (b) not signed in, and no account has the address → the account (name, password) is created with the
 *     membership, and signed in;
 * (c) not signed in, but an account has the address → CONFLICT `sign_in_required`.
 * The invitation is marked accepted in the same transaction; everything is audited.
 */
export async function acceptInvitation(control: ControlDb, params: AcceptParams): Promise<AcceptOutcome> {
  const now = params.now ?? new Date();
  const found = await findByToken(control, params.token);
  if (!found) throw noLongerValid();
  const { invitation, tenant } = found;
  const status = effectiveStatus(invitation, now);
  await markIfExpired(control, invitation, status, now);
  if (status !== "pending" || tenant.status !== "ready") throw noLongerValid();
  const audit = { ip: params.ip, requestId: params.requestId, tenantId: tenant.id };

  const access = params.credential ? await resolveAccess(control, params.credential, null, now) : null;
  if (access) {
    if (access.user.email.toLowerCase() !== invitation.email) {
      throw new AppError(
        "FORBIDDEN",
        "This invitation was sent to another email address. Sign out, then open the link again.",
        { reason: "wrong_account" },
      );
    }
    const user = access.user;
    await control.transaction(async (tx) => {
      const rows: AuditInput[] = [];
      await claim(tx, invitation.id, invitation.tokenHash, user.id, now);
      const membership = await tx.query.memberships.findFirst({
        where: and(eq(memberships.userId, user.id), eq(memberships.tenantId, tenant.id)),
      });
      if (!membership) {
        const id = newId();
        await tx
          .insert(memberships)
          .values({ id, userId: user.id, tenantId: tenant.id, role: invitation.role, createdAt: now });
        rows.push({
          actorKind: "user",
          actorId: user.id,
          action: "membership.created",
          targetType: "membership",
          targetId: id,
          after: { userId: user.id, role: invitation.role, status: "active", via: "invitation" },
          ...audit,
        });
      } else if (membership.status !== "active" || membership.deletedAt) {
        await tx
          .update(memberships)
          .set({ role: invitation.role, status: "active", deletedAt: null, updatedAt: now })
          .where(eq(memberships.id, membership.id));
        rows.push({
          actorKind: "user",
          actorId: user.id,
          action: "membership.reactivated",
          targetType: "membership",
          targetId: membership.id,
          before: {
            role: membership.role,
            status: membership.status,
            deletedAt: membership.deletedAt?.toISOString() ?? null,
          },
          after: { role: invitation.role, status: "active", deletedAt: null, via: "invitation" },
          ...audit,
        });
      }
      rows.push(acceptedAudit(invitation, user.id, audit));
      await tx.insert(auditLog).values(rows.map((r) => auditRow(r, now)));
    });
    accessCache.forgetUser(user.id);
    return {
      result: {
        accepted: true,
        organization: { id: tenant.id, slug: tenant.slug, name: tenant.name },
        role: invitation.role,
        user: { id: user.id, email: user.email, name: user.name },
        accountCreated: false,
      },
      session: null,
    };
  }

  const [existing] = await control
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, invitation.email))
    .limit(1);
  if (existing) throw signInRequired();
  if (tenant.ssoOnly) {
    throw new AppError(
      "FORBIDDEN",
      "This organization signs in only with Google or Microsoft. Sign in that way, then open the link again.",
      { reason: "sso_required" },
    );
  }
  const input = acceptInvitationInput.parse(await params.readBody());
  const passwordHash = await hashNewPassword(input.password, { email: invitation.email });
  const userId = newId();
  const membershipId = newId();
  try {
    await control.transaction(async (tx) => {
      await claim(tx, invitation.id, invitation.tokenHash, userId, now);
      await tx.insert(users).values({
        id: userId,
        email: invitation.email,
        name: input.name,
        passwordHash,
        // The link reached this mailbox: the address is verified.
        emailVerifiedAt: now,
        passwordChangedAt: now,
        createdAt: now,
        updatedAt: now,
      });
      await tx.insert(memberships).values({
        id: membershipId,
        userId,
        tenantId: tenant.id,
        role: invitation.role,
        createdAt: now,
      });
      await tx.insert(auditLog).values(
        [
          {
            actorKind: "user" as const,
            actorId: userId,
            action: "user.created",
            targetType: "user",
            targetId: userId,
            after: { email: invitation.email, name: input.name, via: "invitation" },
            ...audit,
          },
          {
            actorKind: "user" as const,
            actorId: userId,
            action: "membership.created",
            targetType: "membership",
            targetId: membershipId,
            after: { userId, role: invitation.role, status: "active", via: "invitation" },
            ...audit,
          },
          acceptedAudit(invitation, userId, audit),
        ].map((r) => auditRow(r, now)),
      );
    });
  } catch (error) {
    if (isUniqueViolation(error, "users.email")) throw signInRequired();
    throw error;
  }
  const { token, session } = await createSession(
    control,
    userId,
    { ip: params.ip, userAgent: params.userAgent },
    now,
  );
  await control.insert(auditLog).values(
    auditRow(
      {
        actorKind: "user",
        actorId: userId,
        action: "auth.signed_in",
        targetType: "session",
        targetId: session.id,
        after: { via: "invitation" },
        ...audit,
      },
      now,
    ),
  );
  return {
    result: {
      accepted: true,
      organization: { id: tenant.id, slug: tenant.slug, name: tenant.name },
      role: invitation.role,
      user: { id: userId, email: invitation.email, name: input.name },
      accountCreated: true,
    },
    session: { token, expiresAt: session.expiresAt },
  };
}

function signInRequired() {
  return new AppError(
    "CONFLICT",
    "An account with this email address already exists. Sign in, then open the link again.",
    { reason: "sign_in_required" },
  );
}

function acceptedAudit(
  invitation: { id: string; email: string; role: string },
  userId: string,
  audit: { ip: string | null; requestId: string | null; tenantId: string },
): AuditInput {
  return {
    actorKind: "user",
    actorId: userId,
    action: "invitation.accepted",
    targetType: "invitation",
    targetId: invitation.id,
    before: { status: "pending" },
    after: { status: "accepted", email: invitation.email, role: invitation.role, userId },
    ...audit,
  };
}

type Transaction = Parameters<Parameters<ControlDb["transaction"]>[0]>[0];

/**
 * Inside the accepting transaction: marks the invitation accepted only if it is still pending with the
 * same token; otherwise (a concurrent accept, revoke or resend won) the transaction rolls back.
 */
async function claim(tx: Transaction, invitationId: string, tokenHash: string, userId: string, now: Date) {
  const claimed = await tx
    .update(invitations)
    .set({ status: "accepted", acceptedAt: now, acceptedUserId: userId, updatedAt: now })
    .where(
      and(
        eq(invitations.id, invitationId),
        eq(invitations.tokenHash, tokenHash),
        eq(invitations.status, "pending"),
      ),
    )
    .returning({ id: invitations.id });
  if (claimed.length === 0) throw noLongerValid();
}
