import { SELF } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, emailOutbox, invitations, memberships, users } from "../../db/control/schema";
import { TENANT_HEADER } from "../../shared/transport";
import { createUser } from "../support/fixtures";
import { control, member, ORIGIN, trpcQuery } from "./support";

// biome-ignore lint/suspicious/noExplicitAny: assertions read whatever shape each answer has
type Json = any;

async function trpcMutation(path: string, input: unknown, options: { token: string; tenant: string }) {
  const response = await SELF.fetch(`${ORIGIN}/trpc/${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${options.token}`,
      [TENANT_HEADER]: options.tenant,
    },
    body: JSON.stringify(input),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

async function preview(token: string) {
  const response = await SELF.fetch(`${ORIGIN}/auth/invitations/${token}`);
  return { status: response.status, body: (await response.json()) as Json, headers: response.headers };
}

async function accept(token: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await SELF.fetch(`${ORIGIN}/auth/invitations/${token}/accept`, {
    method: "POST",
    headers: {
      origin: ORIGIN,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Json, headers: response.headers };
}

/** Invites `email` into the admin's organization and reads the link's token from the outbox, as one would locally. */
async function invite(admin: Awaited<ReturnType<typeof member>>, email: string, role = "member") {
  const created = await trpcMutation(
    "system.invitations.create",
    { email, role },
    { token: admin.token, tenant: admin.tenant.slug },
  );
  expect(created.status).toBe(200);
  const outbox = await trpcQuery(
    "system.outbox.list",
    { kind: "invitation" },
    { token: admin.token, tenant: admin.tenant.slug },
  );
  expect(outbox.status).toBe(200);
  const mail = outbox.body.result.data.items.find((m: { to: string }) => m.to === email.toLowerCase());
  const token = /\/invitations\/([a-z2-7]{32})/.exec(mail.text)?.[1];
  expect(token).toBeTruthy();
  return { invitation: created.body.result.data.invitation, token: token! };
}

const uniqueEmail = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}@example.org`;

describe("invitations through the Worker", () => {
  it("lets an invited person read the link, create an account and arrive signed in", async () => {
    const admin = await member("admin");
    const email = uniqueEmail("newcomer");
    const { token } = await invite(admin, email, "viewer");

    const shown = await preview(token);
    expect(shown.status).toBe(200);
    expect(shown.headers.get("cache-control")).toBe("no-store");
    expect(shown.body).toMatchObject({
      organizationName: admin.tenant.name,
      email,
      role: "viewer",
      status: "pending",
      accountExists: false,
    });

    const accepted = await accept(token, { name: "New Comer", password: "a sturdy long passphrase" });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ accepted: true, accountCreated: true, role: "viewer" });
    const cookie = /nexus_session=([^;]+)/.exec(accepted.headers.get("set-cookie") ?? "")?.[1];
    expect(cookie).toBeTruthy();
    expect(accepted.headers.get("set-cookie")).toMatch(/HttpOnly/i);

    const current = await trpcQuery("system.organization.current", undefined, {
      tenant: admin.tenant.slug,
      headers: { cookie: `nexus_session=${cookie}` },
    });
    expect(current.status).toBe(200);
    expect(current.body.result.data.role).toBe("viewer");

    const reused = await accept(token, { name: "Again", password: "a sturdy long passphrase" });
    expect(reused.status).toBe(404);
  });

  it("lets a signed-in person accept with their session cookie", async () => {
    const admin = await member("owner");
    const elsewhere = await member("member");
    const { token } = await invite(admin, elsewhere.user.email.toUpperCase(), "admin");
    expect((await preview(token)).body.accountExists).toBe(true);

    const anonymous = await accept(token, {});
    expect(anonymous.status).toBe(409);
    expect(anonymous.body.error.reason).toBe("sign_in_required");

    const accepted = await accept(token, undefined, { cookie: `nexus_session=${elsewhere.token}` });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({
      accountCreated: false,
      role: "admin",
      user: { id: elsewhere.user.id },
    });
    const current = await trpcQuery("system.organization.current", undefined, {
      token: elsewhere.token,
      tenant: admin.tenant.slug,
    });
    expect(current.body.result.data.role).toBe("admin");
  });

  it("refuses someone signed in as another address, changing nothing", async () => {
    const admin = await member("owner");
    const intruder = await member("member");
    const { token, invitation } = await invite(admin, uniqueEmail("intended"));
    const refused = await accept(token, undefined, { cookie: `nexus_session=${intruder.token}` });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: "FORBIDDEN", reason: "wrong_account" });
    expect(JSON.stringify(refused.body)).not.toMatch(/at .*\.ts/);
    const db = control();
    expect(
      await db
        .select()
        .from(memberships)
        .where(and(eq(memberships.userId, intruder.user.id), eq(memberships.tenantId, admin.tenant.id))),
    ).toHaveLength(0);
    const [row] = await db.select().from(invitations).where(eq(invitations.id, invitation.id));
    expect(row?.status).toBe("pending");
  });

  it("refuses a cross-site acceptance that carries a cookie", async () => {
    const admin = await member("owner");
    const person = await member("member");
    const { token } = await invite(admin, person.user.email);
    const forged = await accept(token, undefined, {
      origin: "https://evil.example",
      cookie: `nexus_session=${person.token}`,
    });
    expect(forged.status).toBe(403);
    expect(forged.body.error.reason).toBe("cross_site_request");
  });

  it("stops the old link when an invitation is resent, and every link once revoked", async () => {
    const admin = await member("admin");
    const email = uniqueEmail("rotate");
    const { token: first, invitation } = await invite(admin, email);
    const resent = await trpcMutation(
      "system.invitations.resend",
      { id: invitation.id },
      { token: admin.token, tenant: admin.tenant.slug },
    );
    expect(resent.status).toBe(200);
    expect(resent.body.result.data.invitation.sendCount).toBe(2);
    expect(resent.body.result.data.delivery.status).toBe("captured");
    expect((await preview(first)).status).toBe(404);
    const outbox = await trpcQuery(
      "system.outbox.list",
      {},
      { token: admin.token, tenant: admin.tenant.slug },
    );
    const second = /\/invitations\/([a-z2-7]{32})/.exec(
      outbox.body.result.data.items.find((m: { to: string }) => m.to === email).text,
    )?.[1];
    expect(second).not.toBe(first);
    expect((await preview(second!)).status).toBe(200);

    const revoked = await trpcMutation(
      "system.invitations.revoke",
      { id: invitation.id },
      { token: admin.token, tenant: admin.tenant.slug },
    );
    expect(revoked.body.result.data.invitation.status).toBe("revoked");
    const gone = await preview(second!);
    expect(gone.status).toBe(404);
    expect(gone.body.error.message).toBe((await preview("a".repeat(32))).body.error.message);
    const listed = await trpcQuery(
      "system.invitations.list",
      { status: "revoked" },
      { token: admin.token, tenant: admin.tenant.slug },
    );
    expect(listed.body.result.data.items.map((i: { id: string }) => i.id)).toEqual([invitation.id]);
  });

  it("answers a duplicate invitation with the pending one and a member's address with CONFLICT", async () => {
    const admin = await member("owner");
    const email = uniqueEmail("once");
    const { invitation } = await invite(admin, email);
    const again = await trpcMutation(
      "system.invitations.create",
      { email },
      { token: admin.token, tenant: admin.tenant.slug },
    );
    expect(again.body.result.data).toMatchObject({
      created: false,
      delivery: null,
      invitation: { id: invitation.id },
    });
    const self = await trpcMutation(
      "system.invitations.create",
      { email: admin.user.email },
      { token: admin.token, tenant: admin.tenant.slug },
    );
    expect(self.status).toBe(409);
    expect(self.body.error.data.reason).toBe("already_member");
  });

  it("invites from a CSV with a result per row", async () => {
    const admin = await member("owner");
    const a = uniqueEmail("bulk-a");
    const b = uniqueEmail("bulk-b");
    const csv = `email,role\n${a},admin\n${b}\nbad-address,member\n${admin.user.email},viewer\n`;
    const result = await trpcMutation(
      "system.invitations.bulkCreate",
      { csv },
      { token: admin.token, tenant: admin.tenant.slug },
    );
    expect(result.status).toBe(200);
    expect(result.body.result.data.results.map((r: { status: string }) => r.status)).toEqual([
      "invited",
      "invited",
      "error",
      "already_member",
    ]);
    const malformed = await trpcMutation(
      "system.invitations.bulkCreate",
      { csv: 'email,role\n"open quote,member' },
      { token: admin.token, tenant: admin.tenant.slug },
    );
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.data.fieldErrors.csv.length).toBeGreaterThan(0);
  });

  it("lets only administrators manage invitations and read the outbox", async () => {
    const viewer = await member("member");
    for (const [path, input] of [
      ["system.invitations.list", {}],
      ["system.outbox.list", {}],
    ] as const) {
      const result = await trpcQuery(path, input, { token: viewer.token, tenant: viewer.tenant.slug });
      expect(result.status, path).toBe(403);
    }
    const created = await trpcMutation(
      "system.invitations.create",
      { email: uniqueEmail("nope") },
      { token: viewer.token, tenant: viewer.tenant.slug },
    );
    expect(created.status).toBe(403);
    const admin = await member("admin");
    const owner = await trpcMutation(
      "system.invitations.create",
      { email: uniqueEmail("boss"), role: "owner" },
      { token: admin.token, tenant: admin.tenant.slug },
    );
    expect(owner.status).toBe(403);
  });

  it("answers NOT_FOUND for another organization's invitation, changing nothing", async () => {
    const a = await member("owner");
    const b = await member("owner");
    const { invitation } = await invite(a, uniqueEmail("theirs"));
    for (const path of ["system.invitations.resend", "system.invitations.revoke"]) {
      const result = await trpcMutation(
        path,
        { id: invitation.id },
        { token: b.token, tenant: b.tenant.slug },
      );
      expect(result.status, path).toBe(404);
    }
    const [row] = await control().select().from(invitations).where(eq(invitations.id, invitation.id));
    expect(row).toMatchObject({ status: "pending", sendCount: 1 });
    const theirs = await trpcQuery("system.outbox.list", {}, { token: b.token, tenant: b.tenant.slug });
    expect(theirs.body.result.data.items).toEqual([]);
  });

  it("answers malformed input with 400 and field errors, and writes nothing", async () => {
    const admin = await member("owner");
    const db = control();
    const auditBefore = (await db.select().from(auditLog).where(eq(auditLog.tenantId, admin.tenant.id)))
      .length;
    const queries: [string, unknown, string][] = [
      ["system.invitations.list", { limit: 0 }, "limit"],
      ["system.invitations.list", { status: "lost" }, "status"],
      ["system.outbox.list", { limit: 1000 }, "limit"],
    ];
    for (const [path, input, field] of queries) {
      const result = await trpcQuery(path, input, { token: admin.token, tenant: admin.tenant.slug });
      expect(result.status, path).toBe(400);
      expect(result.body.error.data.fieldErrors[field], path).toBeDefined();
    }
    const mutations: [string, unknown, string][] = [
      ["system.invitations.create", { email: "not-an-address" }, "email"],
      ["system.invitations.create", { email: uniqueEmail("x"), role: "emperor" }, "role"],
      ["system.invitations.bulkCreate", { csv: 42 }, "csv"],
      ["system.invitations.bulkCreate", { csv: "x".repeat(1024 * 1024 + 1) }, "csv"],
      ["system.invitations.resend", { id: "" }, "id"],
      ["system.invitations.revoke", {}, "id"],
    ];
    for (const [path, input, field] of mutations) {
      const result = await trpcMutation(path, input, { token: admin.token, tenant: admin.tenant.slug });
      expect(result.status, path).toBe(400);
      expect(result.body.error.data.fieldErrors[field], path).toBeDefined();
      expect(JSON.stringify(result.body)).not.toContain("stack");
    }
    const { token } = await invite(admin, uniqueEmail("body"));
    const badBody = await accept(token, { name: "", password: "short" });
    expect(badBody.status).toBe(400);
    expect(Object.keys(badBody.body.error.fieldErrors).sort()).toEqual(["name", "password"]);
    const common = await accept(token, { name: "Pat", password: "password1234" });
    expect(common.status).toBe(400);
    expect(common.body.error.fieldErrors.password).toBeDefined();
    const notJson = await accept(token, undefined);
    expect(notJson.status).toBe(400);
    expect(
      (await db.select().from(invitations).where(eq(invitations.tenantId, admin.tenant.id))).length,
    ).toBe(1);
    // Only the one invitation above was written and audited.
    expect((await db.select().from(auditLog).where(eq(auditLog.tenantId, admin.tenant.id))).length).toBe(
      auditBefore + 1,
    );
    expect(await db.select().from(emailOutbox).where(eq(emailOutbox.tenantId, admin.tenant.id))).toHaveLength(
      1,
    );
  });

  it("audits invitations in the control audit log with the organization, actor and request", async () => {
    const admin = await member("owner");
    const { invitation, token } = await invite(admin, uniqueEmail("audited"));
    await accept(token, { name: "Audited", password: "another sturdy passphrase" });
    const rows = await control()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetType, "invitation"), eq(auditLog.targetId, invitation.id)));
    const created = rows.find((r) => r.action === "invitation.created");
    expect(created).toMatchObject({ tenantId: admin.tenant.id, actorKind: "user", actorId: admin.user.id });
    expect(created?.requestId).toBeTruthy();
    expect(created?.after).toMatchObject({ status: "pending" });
    const accepted = rows.find((r) => r.action === "invitation.accepted");
    expect(accepted?.before).toEqual({ status: "pending" });
    expect(accepted?.after).toMatchObject({ status: "accepted" });
    const [user] = await control().select().from(users).where(eq(users.id, accepted!.actorId!));
    expect(user?.name).toBe("Audited");
  });

  it("does not reveal an existing account to someone without a working link", async () => {
    const existing = await createUser(control());
    const unknown = await preview("b".repeat(32));
    expect(unknown.status).toBe(404);
    expect(JSON.stringify(unknown.body)).not.toContain(existing.email);
    const malformed = await preview("not a token");
    expect(malformed.status).toBe(404);
  });
});
