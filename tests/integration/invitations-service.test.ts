import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import type { ControlDb } from "../../db/client";
import {
  auditLog,
  emailOutbox,
  invitations,
  memberships,
  sessions,
  tenants,
  users,
} from "../../db/control/schema";
import { AppError } from "../../shared/errors";
import { newId } from "../../shared/ids";
import type { Role } from "../../shared/permissions";
import { createSession, resolveAccess } from "../../worker/auth/session";
import { acceptInvitation, previewInvitation } from "../../worker/packages/system/invitations/accept";
import { bulkCreateInvitations } from "../../worker/packages/system/invitations/bulk-create";
import { createInvitation } from "../../worker/packages/system/invitations/create";
import { expireInvitations } from "../../worker/packages/system/invitations/expire";
import { listInvitations } from "../../worker/packages/system/invitations/list";
import { resendInvitation } from "../../worker/packages/system/invitations/resend";
import { revokeInvitation } from "../../worker/packages/system/invitations/revoke";
import { invitationTokenHash } from "../../worker/packages/system/invitations/tokens";
import { listOutbox } from "../../worker/packages/system/outbox/list";
import { controlContext, userActor } from "../support/actors";
import { freshControl, planeWithControl } from "../support/databases";
import { startEmailServer } from "../support/email-server";
import { createUser, tenantWithMember } from "../support/fixtures";

const env = { PUBLIC_URL: "http://nexus.test" };
const DAY = 24 * 60 * 60 * 1000;

async function setup(role: Role = "owner") {
  const control = await freshControl();
  const { tenant, user } = await tenantWithMember(control.db, planeWithControl(control.namespace), role);
  const actor = userActor(user.id, { name: "Ada Admin", ip: "203.0.113.5", requestId: "req-1" });
  const ctx = controlContext(control.db, tenant, role, actor);
  return { db: control.db, tenant, user, actor, ctx, base: { tenantId: tenant.id, actor, env } };
}

async function caught(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** The token in the newest invitation email to `to`, read from the outbox as a person would locally. */
async function linkTokenFor(db: ControlDb, to: string): Promise<string> {
  const rows = await db.select().from(emailOutbox).where(eq(emailOutbox.to, to));
  const newest = rows.sort(
    (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (b.id > a.id ? 1 : -1),
  )[0];
  const token = newest?.text.match(/http:\/\/nexus\.test\/invitations\/([a-z2-7]{32})/)?.[1];
  if (!token) throw new Error(`no invitation link to ${to}`);
  return token;
}

async function addMember(db: ControlDb, tenantId: string, role: Role = "member") {
  const user = await createUser(db);
  await db
    .insert(memberships)
    .values({ id: newId(), userId: user.id, tenantId, role, createdAt: new Date() });
  return user;
}

const noBody = async () => {
  throw new Error("the body should not be read");
};

describe("creating invitations", () => {
  it("returns the same pending invitation for the same address instead of a second one", async () => {
    const { db, base, ctx } = await setup();
    const first = await createInvitation(ctx, {
      ...base,
      input: { email: "New.Person@Example.org", role: "member" },
    });
    expect(first.created).toBe(true);
    expect(first.invitation).toMatchObject({
      email: "new.person@example.org",
      role: "member",
      status: "pending",
      sendCount: 1,
    });
    expect(first.invitation.invitedBy?.id).toBe(base.actor.userId);
    const second = await createInvitation(ctx, {
      ...base,
      input: { email: "new.person@example.org", role: "admin" },
    });
    expect(second).toMatchObject({ created: false, delivery: null });
    expect(second.invitation.id).toBe(first.invitation.id);
    expect(second.invitation.role).toBe("member");
    expect(await db.select().from(invitations)).toHaveLength(1);
    expect(await db.select().from(emailOutbox)).toHaveLength(1);
  });

  it("leaves exactly one pending invitation when two requests race for one address", async () => {
    const { db, base, ctx } = await setup();
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        createInvitation(ctx, { ...base, input: { email: "race@example.org" } }),
      ),
    );
    const rows = await db.select().from(invitations);
    expect(rows).toHaveLength(1);
    expect(new Set(results.map((r) => r.invitation.id))).toEqual(new Set([rows[0]!.id]));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await db.select().from(emailOutbox)).toHaveLength(1);
    expect(await db.select().from(auditLog).where(eq(auditLog.action, "invitation.created"))).toHaveLength(1);
  });

  it("gives the organization's default role when none is named", async () => {
    const { db, base, ctx, tenant } = await setup();
    // Not the schema's default ("member"), so the organization's own setting is what decides.
    await db.update(tenants).set({ defaultRole: "viewer" }).where(eq(tenants.id, tenant.id));
    const { invitation } = await createInvitation(ctx, { ...base, input: { email: "default@example.org" } });
    expect(invitation.role).toBe("viewer");
    const [row] = await db.select().from(invitations).where(eq(invitations.id, invitation.id));
    expect(row?.role).toBe("viewer");
  });

  it("refuses an address that already belongs to an active member, with CONFLICT", async () => {
    const { db, base, ctx, tenant } = await setup();
    const member = await addMember(db, tenant.id);
    const error = await caught(
      createInvitation(ctx, { ...base, input: { email: member.email.toUpperCase() } }),
    );
    expect(error.code).toBe("CONFLICT");
    expect(error.details.reason).toBe("already_member");
    expect(await db.select().from(invitations)).toHaveLength(0);
  });

  it("lets only an owner invite an owner", async () => {
    const { db, base, ctx } = await setup("admin");
    const error = await caught(
      createInvitation(ctx, { ...base, input: { email: "boss@example.org", role: "owner" } }),
    );
    expect(error.code).toBe("FORBIDDEN");
    expect(await db.select().from(invitations)).toHaveLength(0);
  });

  it("captures the email in the outbox with a working link and stores only the token's hash", async () => {
    const { db, base, ctx, tenant } = await setup();
    const { invitation, delivery } = await createInvitation(ctx, {
      ...base,
      input: { email: "reader@example.org", role: "viewer" },
    });
    expect(delivery?.status).toBe("captured");
    const outbox = await listOutbox(db, { tenantId: tenant.id, input: {} });
    expect(outbox.items).toHaveLength(1);
    expect(outbox.items[0]).toMatchObject({
      to: "reader@example.org",
      status: "captured",
      kind: "invitation",
    });
    expect(outbox.items[0]!.subject).toContain(tenant.name);
    const token = await linkTokenFor(db, "reader@example.org");
    expect(outbox.items[0]!.text).toContain(`http://nexus.test/invitations/${token}`);
    const [row] = await db.select().from(invitations).where(eq(invitations.id, invitation.id));
    expect(row!.tokenHash).toBe(invitationTokenHash(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(7 * DAY);
    const preview = await previewInvitation(db, token);
    expect(preview).toMatchObject({
      organizationName: tenant.name,
      email: "reader@example.org",
      role: "viewer",
      status: "pending",
      accountExists: false,
    });
  });

  it("shows another organization's outbox none of this one's mail", async () => {
    const { db, base, ctx } = await setup();
    await createInvitation(ctx, { ...base, input: { email: "private@example.org" } });
    const other = await listOutbox(db, { tenantId: newId(), input: {} });
    expect(other.items).toEqual([]);
  });

  it("sends through a configured provider, keeping no working link in the outbox", async () => {
    const { db, base, ctx, tenant } = await setup();
    const server = await startEmailServer({ apiKey: "re_key" });
    try {
      const provider = {
        ...env,
        EMAIL_API_URL: server.url,
        EMAIL_API_KEY: "re_key",
        EMAIL_FROM: "Nexus <n@nexus.test>",
      };
      const { delivery } = await createInvitation(ctx, {
        ...base,
        env: provider,
        input: { email: "mailed@example.org" },
      });
      expect(delivery).toMatchObject({ status: "sent", error: null });
      const token = server.received[0]?.text?.match(/invitations\/([a-z2-7]{32})/)?.[1];
      expect(token).toBeTruthy();
      expect((await previewInvitation(db, token!)).status).toBe("pending");
      const [stored] = (await listOutbox(db, { tenantId: tenant.id, input: {} })).items;
      expect(stored).toMatchObject({ status: "sent", providerMessageId: expect.any(String) });
      expect(stored!.text).not.toContain(token);
      server.state.failNext = 1;
      const { delivery: failed } = await createInvitation(ctx, {
        ...base,
        env: provider,
        input: { email: "unlucky@example.org" },
      });
      expect(failed).toMatchObject({ status: "failed", error: expect.stringMatching(/^500 /) });
      // The invitation stands; an administrator can resend it.
      expect(await db.select().from(invitations)).toHaveLength(2);
    } finally {
      await server.close();
    }
  });

  it("refuses to send without a PUBLIC_URL and writes nothing", async () => {
    const { db, base, ctx } = await setup();
    const error = await caught(
      createInvitation(ctx, { ...base, env: {}, input: { email: "x@example.org" } }),
    );
    expect(error.code).toBe("UNAVAILABLE");
    expect(await db.select().from(invitations)).toHaveLength(0);
  });
});

describe("resending, revoking and expiry", () => {
  it("rotates the token on resend, so the old link stops working", async () => {
    const { db, base, ctx } = await setup();
    const { invitation } = await createInvitation(ctx, { ...base, input: { email: "again@example.org" } });
    const oldToken = await linkTokenFor(db, "again@example.org");
    const resent = await resendInvitation(ctx, {
      ...base,
      id: invitation.id,
      now: new Date(Date.now() + DAY),
    });
    expect(resent.invitation.sendCount).toBe(2);
    expect(resent.invitation.lastSentAt).toBe(
      new Date(Date.parse(resent.invitation.lastSentAt!)).toISOString(),
    );
    expect(Date.parse(resent.invitation.expiresAt)).toBeGreaterThan(Date.parse(invitation.expiresAt));
    const newToken = await linkTokenFor(db, "again@example.org");
    expect(newToken).not.toBe(oldToken);
    expect((await caught(previewInvitation(db, oldToken))).code).toBe("NOT_FOUND");
    expect((await previewInvitation(db, newToken)).status).toBe("pending");
    const audit = await db.select().from(auditLog).where(eq(auditLog.action, "invitation.resent"));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      tenantId: base.tenantId,
      actorId: base.actor.userId,
      ip: "203.0.113.5",
    });
    expect(audit[0]!.before).toMatchObject({ sendCount: 1 });
    expect(audit[0]!.after).toMatchObject({ sendCount: 2 });
  });

  it("revokes an invitation: its link answers like an unknown one and the list says revoked", async () => {
    const { db, base, ctx } = await setup();
    const { invitation } = await createInvitation(ctx, { ...base, input: { email: "gone@example.org" } });
    const token = await linkTokenFor(db, "gone@example.org");
    const revoked = await revokeInvitation(ctx, { ...base, id: invitation.id });
    expect(revoked.invitation.status).toBe("revoked");
    const unknown = await caught(previewInvitation(db, "a".repeat(32)));
    const gone = await caught(previewInvitation(db, token));
    expect(gone.code).toBe("NOT_FOUND");
    expect(gone.userMessage).toBe(unknown.userMessage);
    const accept = await caught(
      acceptInvitation(db, {
        token,
        credential: null,
        readBody: noBody,
        ip: null,
        userAgent: null,
        requestId: null,
      }),
    );
    expect(accept.code).toBe("NOT_FOUND");
    expect((await revokeInvitation(ctx, { ...base, id: invitation.id })).invitation.status).toBe("revoked");
    expect(await db.select().from(auditLog).where(eq(auditLog.action, "invitation.revoked"))).toHaveLength(1);
    const error = await caught(resendInvitation(ctx, { ...base, id: invitation.id }));
    expect(error.code).toBe("CONFLICT");
    // A new invitation to the address is possible once the old one is revoked.
    expect((await createInvitation(ctx, { ...base, input: { email: "gone@example.org" } })).created).toBe(
      true,
    );
  });

  it("answers NOT_FOUND for another organization's invitation id", async () => {
    const a = await setup();
    const { invitation } = await createInvitation(a.ctx, { ...a.base, input: { email: "mine@example.org" } });
    const stranger = { ...a.ctx, tenant: { ...a.ctx.tenant, id: newId() } };
    expect((await caught(revokeInvitation(stranger, { ...a.base, id: invitation.id }))).code).toBe(
      "NOT_FOUND",
    );
    expect((await caught(resendInvitation(stranger, { ...a.base, id: invitation.id }))).code).toBe(
      "NOT_FOUND",
    );
  });

  it("reports an invitation past its expiry as expired, marks it, and lets it be sent again", async () => {
    const { db, base, ctx } = await setup();
    const { invitation } = await createInvitation(ctx, { ...base, input: { email: "late@example.org" } });
    const token = await linkTokenFor(db, "late@example.org");
    const later = new Date(Date.now() + 8 * DAY);
    const preview = await previewInvitation(db, token, later);
    expect(preview).toMatchObject({ status: "expired", accountExists: null });
    const [row] = await db.select().from(invitations).where(eq(invitations.id, invitation.id));
    expect(row!.status).toBe("expired");
    const accept = await caught(
      acceptInvitation(db, {
        token,
        credential: null,
        readBody: noBody,
        ip: null,
        userAgent: null,
        requestId: null,
        now: later,
      }),
    );
    expect(accept.code).toBe("NOT_FOUND");
    const list = await listInvitations(db, {
      tenantId: base.tenantId,
      input: { status: "expired" },
      now: later,
    });
    expect(list.items.map((i) => i.id)).toEqual([invitation.id]);
    const resent = await resendInvitation(ctx, { ...base, id: invitation.id, now: later });
    expect(resent.invitation.status).toBe("pending");
    expect((await previewInvitation(db, await linkTokenFor(db, "late@example.org"), later)).status).toBe(
      "pending",
    );
  });

  it("creates a fresh invitation for an address whose invitation expired", async () => {
    const { db, base, ctx } = await setup();
    const first = await createInvitation(ctx, { ...base, input: { email: "renew@example.org" } });
    const later = new Date(Date.now() + 8 * DAY);
    const second = await createInvitation(ctx, {
      ...base,
      input: { email: "renew@example.org" },
      now: later,
    });
    expect(second.created).toBe(true);
    expect(second.invitation.id).not.toBe(first.invitation.id);
    const rows = await db.select().from(invitations);
    expect(rows.map((r) => r.status).sort()).toEqual(["expired", "pending"]);
  });

  it("sweeps every organization's expired invitations, auditing each once", async () => {
    const a = await setup();
    await createInvitation(a.ctx, { ...a.base, input: { email: "one@example.org" } });
    await createInvitation(a.ctx, { ...a.base, input: { email: "two@example.org" } });
    const later = new Date(Date.now() + 8 * DAY);
    expect(await expireInvitations(a.db, new Date())).toBe(0);
    const [first, second] = await Promise.all([
      expireInvitations(a.db, later),
      expireInvitations(a.db, later),
    ]);
    expect(first! + second!).toBe(2);
    const audit = await a.db.select().from(auditLog).where(eq(auditLog.action, "invitation.expired"));
    expect(audit).toHaveLength(2);
    expect(audit.every((r) => r.actorKind === "system" && r.tenantId === a.tenant.id)).toBe(true);
  });
});

describe("accepting invitations", () => {
  it("creates the account, the membership and a session for a new user", async () => {
    const { db, base, ctx, tenant } = await setup();
    await createInvitation(ctx, { ...base, input: { email: "fresh@example.org", role: "admin" } });
    const token = await linkTokenFor(db, "fresh@example.org");
    const outcome = await acceptInvitation(db, {
      token,
      credential: null,
      readBody: async () => ({ name: "Fresh Person", password: "correct horse battery staple" }),
      ip: "198.51.100.7",
      userAgent: "Firefox",
      requestId: "req-accept",
    });
    expect(outcome.result).toMatchObject({
      accepted: true,
      accountCreated: true,
      role: "admin",
      organization: { id: tenant.id, slug: tenant.slug },
      user: { email: "fresh@example.org", name: "Fresh Person" },
    });
    const access = await resolveAccess(db, outcome.session!.token, tenant.slug);
    expect(access?.user.email).toBe("fresh@example.org");
    expect(access?.tenant?.role).toBe("admin");
    const [user] = await db.select().from(users).where(eq(users.email, "fresh@example.org"));
    expect(user!.passwordHash).toMatch(/^scrypt\$/);
    expect(user!.emailVerifiedAt).not.toBeNull();
    const [invitation] = await db.select().from(invitations);
    expect(invitation).toMatchObject({ status: "accepted", acceptedUserId: user!.id });
    const actions = (await db.select().from(auditLog).where(eq(auditLog.requestId, "req-accept"))).map(
      (r) => r.action,
    );
    expect(actions.sort()).toEqual([
      "auth.signed_in",
      "invitation.accepted",
      "membership.created",
      "user.created",
    ]);
    // The link works once.
    const again = await caught(
      acceptInvitation(db, {
        token,
        credential: null,
        readBody: noBody,
        ip: null,
        userAgent: null,
        requestId: null,
      }),
    );
    expect(again.code).toBe("NOT_FOUND");
  });

  it("refuses a weak password with field errors and writes nothing", async () => {
    const { db, base, ctx } = await setup();
    await createInvitation(ctx, { ...base, input: { email: "weak@example.org" } });
    const token = await linkTokenFor(db, "weak@example.org");
    const short = await acceptInvitation(db, {
      token,
      credential: null,
      readBody: async () => ({ name: "Weak", password: "short" }),
      ip: null,
      userAgent: null,
      requestId: null,
    }).catch((e: unknown) => e);
    // The route turns this into a 400 with field errors.
    expect(short).toBeInstanceOf(ZodError);
    expect((short as ZodError).issues.map((i) => i.path.join("."))).toEqual(["password"]);
    const common = await caught(
      acceptInvitation(db, {
        token,
        credential: null,
        readBody: async () => ({ name: "Weak", password: "password1234" }),
        ip: null,
        userAgent: null,
        requestId: null,
      }),
    );
    expect(common.code).toBe("BAD_REQUEST");
    expect(common.details.fieldErrors?.password).toBeDefined();
    expect(await db.select().from(users).where(eq(users.email, "weak@example.org"))).toHaveLength(0);
    expect((await db.select().from(invitations))[0]!.status).toBe("pending");
  });

  it("adds the membership for a signed-in user with the invited address, whatever its case", async () => {
    const { db, base, ctx, tenant } = await setup();
    const person = await createUser(db);
    await createInvitation(ctx, { ...base, input: { email: person.email.toUpperCase(), role: "viewer" } });
    const token = await linkTokenFor(db, person.email);
    const { token: session } = await createSession(db, person.id, { ip: null, userAgent: null });
    const outcome = await acceptInvitation(db, {
      token,
      credential: session,
      readBody: noBody,
      ip: null,
      userAgent: null,
      requestId: "req-existing",
    });
    expect(outcome.session).toBeNull();
    expect(outcome.result).toMatchObject({ accountCreated: false, role: "viewer", user: { id: person.id } });
    const [membership] = await db
      .select()
      .from(memberships)
      .where(and(eq(memberships.userId, person.id), eq(memberships.tenantId, tenant.id)));
    expect(membership).toMatchObject({ role: "viewer", status: "active" });
    expect((await resolveAccess(db, session, tenant.slug))?.tenant?.role).toBe("viewer");
  });

  it("restores a removed membership with the invited role", async () => {
    const { db, base, ctx, tenant } = await setup();
    const person = await addMember(db, tenant.id, "admin");
    await db
      .update(memberships)
      .set({ status: "deactivated", deletedAt: new Date() })
      .where(eq(memberships.userId, person.id));
    await createInvitation(ctx, { ...base, input: { email: person.email, role: "member" } });
    const token = await linkTokenFor(db, person.email);
    const { token: session } = await createSession(db, person.id, { ip: null, userAgent: null });
    await acceptInvitation(db, {
      token,
      credential: session,
      readBody: noBody,
      ip: null,
      userAgent: null,
      requestId: "r",
    });
    const rows = await db.select().from(memberships).where(eq(memberships.userId, person.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ role: "member", status: "active", deletedAt: null });
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.action, "membership.reactivated"));
    expect(audit!.before).toMatchObject({ role: "admin", status: "deactivated" });
    expect(audit!.after).toMatchObject({ role: "member", status: "active" });
  });

  it("does not let someone signed in as another address accept, and changes nothing", async () => {
    const { db, base, ctx, tenant } = await setup();
    await createInvitation(ctx, { ...base, input: { email: "intended@example.org" } });
    const token = await linkTokenFor(db, "intended@example.org");
    const intruder = await createUser(db);
    const { token: session } = await createSession(db, intruder.id, { ip: null, userAgent: null });
    const auditBefore = (await db.select().from(auditLog).where(eq(auditLog.tenantId, tenant.id))).length;
    const error = await caught(
      acceptInvitation(db, {
        token,
        credential: session,
        readBody: noBody,
        ip: null,
        userAgent: null,
        requestId: null,
      }),
    );
    expect(error.code).toBe("FORBIDDEN");
    expect(error.details.reason).toBe("wrong_account");
    expect(await db.select().from(memberships).where(eq(memberships.userId, intruder.id))).toHaveLength(0);
    expect((await db.select().from(invitations))[0]!.status).toBe("pending");
    expect(await db.select().from(auditLog).where(eq(auditLog.tenantId, tenant.id))).toHaveLength(
      auditBefore,
    );
  });

  it("asks someone whose account exists to sign in first, without creating anything", async () => {
    const { db, base, ctx } = await setup();
    const person = await createUser(db);
    await createInvitation(ctx, { ...base, input: { email: person.email } });
    const token = await linkTokenFor(db, person.email);
    expect((await previewInvitation(db, token)).accountExists).toBe(true);
    const error = await caught(
      acceptInvitation(db, {
        token,
        credential: null,
        readBody: noBody,
        ip: null,
        userAgent: null,
        requestId: null,
      }),
    );
    expect(error.code).toBe("CONFLICT");
    expect(error.details.reason).toBe("sign_in_required");
    expect(await db.select().from(memberships).where(eq(memberships.userId, person.id))).toHaveLength(0);
    expect(await db.select().from(sessions).where(eq(sessions.userId, person.id))).toHaveLength(0);
  });

  it("lets only one of two concurrent acceptances create the account", async () => {
    const { db, base, ctx } = await setup();
    await createInvitation(ctx, { ...base, input: { email: "twice@example.org" } });
    const token = await linkTokenFor(db, "twice@example.org");
    const attempt = () =>
      acceptInvitation(db, {
        token,
        credential: null,
        readBody: async () => ({ name: "Twice", password: "a long enough passphrase" }),
        ip: null,
        userAgent: null,
        requestId: null,
      });
    const results = await Promise.allSettled([attempt(), attempt()]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await db.select().from(users).where(eq(users.email, "twice@example.org"))).toHaveLength(1);
    expect(await db.select().from(auditLog).where(eq(auditLog.action, "invitation.accepted"))).toHaveLength(
      1,
    );
  });
});

describe("listing invitations", () => {
  it("lists newest first, filters by status and address, and pages with a cursor", async () => {
    const { db, base, ctx } = await setup();
    const t0 = Date.now();
    for (let i = 0; i < 5; i++) {
      await createInvitation(ctx, {
        ...base,
        input: { email: `p${i}@example.org` },
        now: new Date(t0 + i * 1000),
      });
    }
    const all = await listInvitations(db, { tenantId: base.tenantId, input: { limit: 2 } });
    expect(all.items.map((i) => i.email)).toEqual(["p4@example.org", "p3@example.org"]);
    const next = await listInvitations(db, {
      tenantId: base.tenantId,
      input: { limit: 2, cursor: all.nextCursor! },
    });
    expect(next.items.map((i) => i.email)).toEqual(["p2@example.org", "p1@example.org"]);
    const last = await listInvitations(db, {
      tenantId: base.tenantId,
      input: { limit: 2, cursor: next.nextCursor! },
    });
    expect(last.items.map((i) => i.email)).toEqual(["p0@example.org"]);
    expect(last.nextCursor).toBeNull();
    const search = await listInvitations(db, { tenantId: base.tenantId, input: { search: "P3" } });
    expect(search.items.map((i) => i.email)).toEqual(["p3@example.org"]);
    await revokeInvitation(ctx, { ...base, id: search.items[0]!.id });
    const revoked = await listInvitations(db, { tenantId: base.tenantId, input: { status: "revoked" } });
    expect(revoked.items.map((i) => i.email)).toEqual(["p3@example.org"]);
    const bad = await caught(listInvitations(db, { tenantId: base.tenantId, input: { cursor: "nonsense" } }));
    expect(bad.details.fieldErrors?.cursor).toBeDefined();
  });
});

describe("bulk invitations from CSV", () => {
  it("gives a result for every row", async () => {
    const { db, base, ctx, tenant } = await setup("admin");
    const member = await addMember(db, tenant.id);
    await createInvitation(ctx, { ...base, input: { email: "pending@example.org", role: "viewer" } });
    const csv = [
      "Email,Role",
      "new1@example.org,admin",
      "NEW2@example.org,",
      "new3@example.org",
      `${member.email},member`,
      "pending@example.org,member",
      "not-an-address,member",
      "new4@example.org,superuser",
      "boss@example.org,owner",
      "new1@example.org,viewer",
      "",
    ].join("\r\n");
    const { results, counts } = await bulkCreateInvitations(ctx, { ...base, input: { csv } });
    expect(results.map((r) => [r.row, r.email, r.status])).toEqual([
      [2, "new1@example.org", "invited"],
      [3, "new2@example.org", "invited"],
      [4, "new3@example.org", "invited"],
      [5, member.email, "already_member"],
      [6, "pending@example.org", "already_invited"],
      [7, "not-an-address", "error"],
      [8, "new4@example.org", "error"],
      [9, "boss@example.org", "error"],
      [10, "new1@example.org", "error"],
    ]);
    expect(results[7]!.message).toMatch(/owner/);
    expect(results[8]!.message).toMatch(/row 2/);
    expect(counts).toEqual({ invited: 3, already_invited: 1, already_member: 1, error: 4 });
    const rows = await db.select().from(invitations).where(eq(invitations.status, "pending"));
    const roleOf = new Map(rows.map((r) => [r.email, r.role]));
    expect(roleOf.get("new1@example.org")).toBe("admin");
    expect(roleOf.get("new2@example.org")).toBe("member");
    expect(roleOf.get("pending@example.org")).toBe("viewer");
    expect(rows).toHaveLength(4);
    expect(await db.select().from(emailOutbox)).toHaveLength(4);
    expect(await db.select().from(auditLog).where(eq(auditLog.action, "invitation.created"))).toHaveLength(4);
  });

  it("refuses a malformed CSV whole, writing nothing", async () => {
    const { db, base, ctx } = await setup();
    for (const csv of [
      'email,role\n"unterminated@example.org,member\nok@example.org,member',
      "email,role\na@example.org,member,extra",
      "address,role\na@example.org,member",
      "email,role,team\na@example.org,member,x",
      "email,role\n",
    ]) {
      const error = await caught(bulkCreateInvitations(ctx, { ...base, input: { csv } }));
      expect(error.code).toBe("BAD_REQUEST");
      expect(error.details.fieldErrors?.csv?.length).toBeGreaterThan(0);
    }
    expect(await db.select().from(invitations)).toHaveLength(0);
    expect(await db.select().from(emailOutbox)).toHaveLength(0);
  });

  it("refuses more than 500 rows, writing nothing", async () => {
    const { db, base, ctx } = await setup();
    const csv = ["email", ...Array.from({ length: 501 }, (_, i) => `many${i}@example.org`)].join("\n");
    const error = await caught(bulkCreateInvitations(ctx, { ...base, input: { csv } }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.userMessage).toMatch(/501 rows/);
    expect(await db.select().from(invitations)).toHaveLength(0);
  });

  it("trips the organization's invitation rate limit", async () => {
    const { db, base, ctx } = await setup();
    const csv = ["email", ...Array.from({ length: 201 }, (_, i) => `limit${i}@example.org`)].join("\n");
    const { counts, results } = await bulkCreateInvitations(ctx, { ...base, input: { csv } });
    expect(counts.invited).toBe(200);
    expect(counts.error).toBe(1);
    expect(results.find((r) => r.status === "error")?.message).toMatch(/Too many/);
    const error = await caught(createInvitation(ctx, { ...base, input: { email: "one-more@example.org" } }));
    expect(error.code).toBe("TOO_MANY_REQUESTS");
    expect(error.details.retryAfterSeconds).toBeGreaterThan(0);
    // An address already invited is answered without counting against the limit.
    const again = await createInvitation(ctx, { ...base, input: { email: "limit0@example.org" } });
    expect(again.created).toBe(false);
    expect(await db.select().from(invitations)).toHaveLength(200);
  });
});
