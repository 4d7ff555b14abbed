import { and, eq, exists, ne, notExists, sql } from "drizzle-orm";
import { Hono } from "hono";
import { auditRow } from "../../db/audit";
import type { ControlDb } from "../../db/client";
import { systemActor } from "../../db/context";
import { auditLog, memberships, tenants, users } from "../../db/control/schema";
import type { DataPlane } from "../../db/data-plane";
import { provisionTenant, type TenantRecord, tenantDatabaseName } from "../../db/tenants";
import { AppError } from "../../shared/errors";
import { newId } from "../../shared/ids";
import {
  type RegisterOrganizationInput,
  type RegisterOrganizationOutput,
  registerOrganizationInput,
  registerOrganizationOutput,
} from "../../shared/schemas/organizations";
import { dataPlaneOf, openControl } from "../data";
import type { AppBindings } from "../http";
import { readJson } from "../http";
import { describeError, type Logger } from "../log";
import { resendEmailVerification } from "../packages/system/profile/email-verification";
import { userActorOf } from "../trpc/service-context";
import { setSessionCookie } from "./cookies";
import { hashPassword } from "./password";
import { validateNewPassword } from "./password-policy";
import { consumeIpRateLimit, limits } from "./rate-limit";
import { createSession, type SessionInfo } from "./session";

export interface RegistrationMeta {
  ip: string | null;
  userAgent: string | null;
  requestId: string;
  log?: Logger;
}

export interface Registration extends RegisterOrganizationOutput {
  token: string;
  session: SessionInfo;
}

function slugTaken(): AppError {
  return new AppError("CONFLICT", "That short name is already taken. Choose another.", {
    fieldErrors: { slug: ["That short name is already taken"] },
    reason: "slug_taken",
  });
}

function emailInUse(): AppError {
  return new AppError(
    "CONFLICT",
    "This email address already has a Nexus account. Sign in instead, or register with another address.",
    { fieldErrors: { email: ["This address already has an account"] }, reason: "email_in_use" },
  );
}

/** Every message down an error's cause chain (drizzle wraps the driver's error). */
function messagesOf(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    parts.push(e instanceof Error ? e.message : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join(" | ");
}

const hasMembers = (control: ControlDb, tenantId: string) =>
  control.select({ one: memberships.id }).from(memberships).where(eq(memberships.tenantId, tenantId));

/**
 * Takes the short name for this registration, so that only one registration ever provisions it: a new
 * tenant row registered as `provisioning` (the slug's unique index picks one winner), or a tenant whose
 * provisioning failed and that nobody belongs to, claimed atomically. Deleted organizations' short names
 * are never reused. Provisioning then carries on from the claimed row.
 */
async function claimTenant(
  control: ControlDb,
  input: { slug: string; organizationName: string },
  actor: { ip: string | null; requestId: string },
): Promise<void> {
  const existing = await control.query.tenants.findFirst({ where: eq(tenants.slug, input.slug) });
  if (!existing) {
    const now = new Date();
    const id = newId();
    try {
      await control.batch([
        control.insert(tenants).values({
          id,
          slug: input.slug,
          name: input.organizationName,
          kind: "district",
          status: "provisioning",
          databaseName: tenantDatabaseName(input.slug),
          createdAt: now,
          updatedAt: now,
        }),
        control.insert(auditLog).values(
          auditRow(
            {
              actorKind: "system",
              tenantId: id,
              action: "tenant.created",
              targetType: "tenant",
              targetId: id,
              after: { slug: input.slug, name: input.organizationName },
              ...actor,
            },
            now,
          ),
        ),
      ]);
    } catch (error) {
      if (/UNIQUE constraint failed: tenants\.(slug|database_name)/.test(messagesOf(error)))
        throw slugTaken();
      throw error;
    }
    return;
  }
  if (existing.status !== "failed") throw slugTaken();
  const claimed = await control
    .update(tenants)
    .set({ status: "provisioning", updatedAt: new Date() })
    .where(
      and(
        eq(tenants.id, existing.id),
        eq(tenants.status, "failed"),
        notExists(hasMembers(control, existing.id)),
      ),
    );
  if (claimed.rowsAffected === 0) throw slugTaken();
}

/** A registration that did not finish leaves its owner-less tenant `failed`: the short name can be retried. */
async function releaseTenant(control: ControlDb, tenantId: string, reason: string): Promise<void> {
  await control
    .update(tenants)
    .set({ status: "failed", lastError: reason, updatedAt: new Date() })
    .where(
      and(eq(tenants.id, tenantId), ne(tenants.status, "deleted"), notExists(hasMembers(control, tenantId))),
    );
}

/**
 * Registers an organization: provisions its tenant (database created and migrated), then creates its first
 * user and their owner membership in one batch, then a session. An address that already has an account
 * is refused (409: the deliberate answer that says so, rate limited by `limits.registrationPerIp`). When
 * provisioning fails nothing but the `failed` tenant is left (retryable with the same details): 503.
 */
export async function registerOrganization(
  control: ControlDb,
  plane: DataPlane,
  raw: RegisterOrganizationInput,
  meta: RegistrationMeta,
): Promise<Registration> {
  const input = registerOrganizationInput.parse(raw);
  await validateNewPassword(input.password, { email: input.email });
  const { ip, requestId } = meta;
  // Counted once the details are well-formed (a typo costs nothing), before anything is looked up: the
  // answer says whether an address has an account, and provisioning is expensive.
  await consumeIpRateLimit(control, limits.registrationPerIp, ip);

  const [existingUser] = await control
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, input.email))
    .limit(1);
  if (existingUser) {
    await control.insert(auditLog).values(
      auditRow({
        actorKind: "user",
        action: "auth.registration_refused",
        targetType: "user",
        targetId: existingUser.id,
        after: { email: input.email, slug: input.slug, reason: "email_in_use" },
        ip,
        requestId,
      }),
    );
    throw emailInUse();
  }
  await claimTenant(control, input, { ip, requestId });

  let tenant: TenantRecord;
  try {
    tenant = await provisionTenant(
      control,
      plane,
      { slug: input.slug, name: input.organizationName, kind: "district" },
      // Provisioned by the system on the registration's behalf, from the registering person's request.
      { ...systemActor("registration", requestId), ip },
    );
  } catch (error) {
    const message = messagesOf(error);
    meta.log?.warn("organization provisioning failed", { slug: input.slug, error: message.slice(0, 500) });
    throw new AppError(
      "UNAVAILABLE",
      "We could not set up your organization's database just now, so no account was created. " +
        "Try again in a few minutes with the same details.",
      { reason: "provisioning_failed" },
    );
  }

  const passwordHash = await hashPassword(input.password);
  const now = new Date();
  const userId = newId();
  const membershipId = newId();
  const actor = { actorKind: "user" as const, actorId: userId, tenantId: tenant.id, ip, requestId };
  try {
    await control.batch([
      control.insert(users).values({
        id: userId,
        email: input.email,
        name: input.name,
        passwordHash,
        passwordChangedAt: now,
        defaultTenantId: tenant.id,
        createdAt: now,
        updatedAt: now,
      }),
      // The first owner only: if anyone is already a member (a registration racing for the same new
      // short name), the role is NULL, the NOT NULL constraint fails, and the whole batch is undone.
      control.run(sql`
        INSERT INTO memberships (id, user_id, tenant_id, role, status, created_at, updated_at)
        SELECT ${membershipId}, ${userId}, ${tenant.id},
          CASE WHEN ${exists(hasMembers(control, tenant.id))} THEN NULL ELSE 'owner' END,
          'active', ${now.getTime()}, ${now.getTime()}`),
      control
        .update(tenants)
        .set({ name: input.organizationName, updatedAt: now })
        .where(eq(tenants.id, tenant.id)),
      control.insert(auditLog).values([
        auditRow(
          {
            ...actor,
            action: "tenant.registered",
            targetType: "tenant",
            targetId: tenant.id,
            after: { slug: tenant.slug, name: input.organizationName },
          },
          now,
        ),
        auditRow(
          {
            ...actor,
            action: "user.created",
            targetType: "user",
            targetId: userId,
            after: { email: input.email, name: input.name },
          },
          now,
        ),
        auditRow(
          {
            ...actor,
            action: "membership.created",
            targetType: "user",
            targetId: userId,
            after: { role: "owner", status: "active" },
          },
          now,
        ),
      ]),
    ]);
  } catch (error) {
    const message = messagesOf(error);
    await releaseTenant(control, tenant.id, "Registration did not complete");
    if (/UNIQUE constraint failed: users\.email/.test(message)) throw emailInUse();
    if (/NOT NULL constraint failed: memberships\.role/.test(message)) throw slugTaken();
    throw error;
  }

  const { token, session } = await createSession(control, userId, { ip, userAgent: meta.userAgent });
  await control.insert(auditLog).values(
    auditRow({
      actorKind: "user",
      actorId: userId,
      action: "auth.signed_in",
      targetType: "session",
      targetId: session.id,
      after: { via: "registration" },
      ip,
      requestId,
    }),
  );
  return {
    user: { id: userId, email: input.email, name: input.name },
    tenant: { slug: tenant.slug, name: input.organizationName },
    token,
    session,
  };
}

/**
 * `POST /auth/register` `{ organizationName, slug, name, email, password }` → 201 `{ user, tenant }` and the
 * session cookie. Rate limited per IP (`limits.registrationPerIp`): well-formed attempts count, whatever
 * their outcome.
 */
export const registerRoutes = new Hono<AppBindings>().post("/register", async (c) => {
  const control = openControl(c.env);
  const body = (await readJson(c)) as RegisterOrganizationInput;
  const registration = await registerOrganization(control, dataPlaneOf(c.env), body, {
    ip: c.get("ip"),
    userAgent: c.req.header("user-agent") ?? null,
    requestId: c.get("requestId"),
    log: c.get("log"),
  });
  setSessionCookie(c, registration.token, registration.session.expiresAt);
  // The owner's address is confirmed by the link mailed now; the account works meanwhile. A mail that
  // cannot be queued does not undo the registration: the profile page offers to send the link again.
  try {
    await resendEmailVerification(control, {
      actor: userActorOf({
        user: { ...registration.user, twoFactorEnabled: false },
        session: registration.session,
        ip: c.get("ip"),
        requestId: c.get("requestId"),
      }),
      env: c.env,
    });
  } catch (error) {
    c.get("log").warn("verification email not queued after registration", {
      userId: registration.user.id,
      ...describeError(error),
    });
  }
  c.header("cache-control", "no-store");
  return c.json(
    registerOrganizationOutput.parse({ user: registration.user, tenant: registration.tenant }),
    201,
  );
});
