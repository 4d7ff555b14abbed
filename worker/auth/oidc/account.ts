import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { auditRow } from "../../../db/audit";
import type { ControlDb } from "../../../db/client";
import { auditLog, externalIdentities, memberships, tenants, users } from "../../../db/control/schema";
import { newId } from "../../../shared/ids";
import { SsoError } from "./errors";
import type { ExternalIdentity } from "./identity";

export interface SsoUser {
  id: string;
  email: string;
  totpEnabledAt: Date | null;
}

export interface SsoAccount {
  user: SsoUser;
  /** How the account was found: an identity linked before, an existing account linked now, or a new one. */
  via: "linked_identity" | "email" | "allowed_domain";
  /** Organizations joined through their allowed domains (new accounts only). */
  joinedTenantIds: string[];
}

interface Meta {
  ip: string | null;
  requestId: string;
  now?: Date;
}

/**
 * Finds or makes the Nexus account of a verified external identity:
 * 1. an identity linked before (provider + subject) signs in its user;
 * 2. else an account with the same address gets the identity linked;
 * 3. else, when the address's domain is an allowed domain of live district organizations, a new account
 *    (no password) is created with a membership in each, at the organization's default role;
 * 4. else there is no account: nothing is created.
 * Deactivated and deleted accounts are refused. Every write and its audit rows go in one batch.
 */
export async function findOrCreateSsoAccount(
  control: ControlDb,
  identity: ExternalIdentity,
  meta: Meta,
): Promise<SsoAccount> {
  const now = meta.now ?? new Date();
  const audit = { ip: meta.ip, requestId: meta.requestId };

  const [linked] = await control
    .select({ user: users })
    .from(externalIdentities)
    .innerJoin(users, eq(users.id, externalIdentities.userId))
    .where(
      and(
        eq(externalIdentities.provider, identity.provider),
        eq(externalIdentities.subject, identity.subject),
      ),
    )
    .limit(1);
  if (linked) {
    assertActive(linked.user);
    return { user: linked.user, via: "linked_identity", joinedTenantIds: [] };
  }

  const identityRow = {
    id: newId(),
    provider: identity.provider,
    subject: identity.subject,
    email: identity.email,
    createdAt: now,
  };

  const existing = await control.query.users.findFirst({ where: eq(users.email, identity.email) });
  if (existing) {
    assertActive(existing);
    // An account whose address was never confirmed may have been set up by someone else with this
    // address (registration, an email change): linking it would sign the provider's person into an
    // account another controls. They confirm the address with their password first.
    if (!existing.emailVerifiedAt) {
      throw new SsoError("account_unconfirmed", "an account has this address but has not confirmed it");
    }
    await control.batch([
      control.insert(externalIdentities).values({ ...identityRow, userId: existing.id }),
      control.insert(auditLog).values(
        auditRow(
          {
            actorKind: "user",
            actorId: existing.id,
            action: "auth.identity_linked",
            targetType: "user",
            targetId: existing.id,
            after: { provider: identity.provider, email: identity.email },
            ...audit,
          },
          now,
        ),
      ),
    ]);
    return { user: existing, via: "email", joinedTenantIds: [] };
  }

  const domain = identity.email.slice(identity.email.lastIndexOf("@") + 1);
  const joinable = await control
    .select({ id: tenants.id, defaultRole: tenants.defaultRole })
    .from(tenants)
    .where(
      and(
        isNull(tenants.deletedAt),
        ne(tenants.status, "deleted"),
        // The root organization administers every other one: it is joined by invitation only.
        eq(tenants.kind, "district"),
        sql`exists (select 1 from json_each(${tenants.allowedDomains}) where lower(json_each.value) = ${domain})`,
      ),
    );
  if (joinable.length === 0)
    throw new SsoError("no_account", `no account and no organization allows ${domain}`);

  const user = {
    id: newId(),
    email: identity.email,
    name: identity.name,
    passwordHash: null,
    status: "active" as const,
    emailVerifiedAt: now,
    defaultTenantId: joinable[0]!.id,
    createdAt: now,
    updatedAt: now,
  };
  const membershipRows = joinable.map((t) => ({
    id: newId(),
    userId: user.id,
    tenantId: t.id,
    role: t.defaultRole,
    createdAt: now,
  }));
  await control.batch([
    control.insert(users).values(user),
    control.insert(externalIdentities).values({ ...identityRow, userId: user.id }),
    control.insert(memberships).values(membershipRows),
    control.insert(auditLog).values([
      auditRow(
        {
          actorKind: "user",
          actorId: user.id,
          action: "user.created",
          targetType: "user",
          targetId: user.id,
          after: { email: user.email, name: user.name, provider: identity.provider, via: "allowed_domain" },
          ...audit,
        },
        now,
      ),
      ...membershipRows.map((m) =>
        auditRow(
          {
            actorKind: "user",
            actorId: user.id,
            tenantId: m.tenantId,
            action: "membership.joined_by_domain",
            targetType: "membership",
            targetId: m.id,
            after: { userId: user.id, role: m.role, domain, provider: identity.provider },
            ...audit,
          },
          now,
        ),
      ),
    ]),
  ]);
  return {
    user: { id: user.id, email: user.email, totpEnabledAt: null },
    via: "allowed_domain",
    joinedTenantIds: membershipRows.map((m) => m.tenantId),
  };
}

function assertActive(user: { status: string; deletedAt: Date | null }): void {
  if (user.status !== "active" || user.deletedAt) {
    throw new SsoError("account_disabled", "the account is deactivated or deleted");
  }
}
