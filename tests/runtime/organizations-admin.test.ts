import { SELF } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { systemActor } from "../../db/context";
import { auditLog, memberships, tenants, users } from "../../db/control/schema";
import { schools } from "../../db/tenant/schema";
import { provisionTenant } from "../../db/tenants";
import { newId } from "../../shared/ids";
import type { Role } from "../../shared/permissions";
import { TENANT_HEADER } from "../../shared/transport";
import { createSession } from "../../worker/auth/session";
import { openTenant } from "../../worker/data";
import { createUser } from "../support/fixtures";
import { control, member, ORIGIN, plane, testEnv } from "./support";

// biome-ignore lint/suspicious/noExplicitAny: assertions read whatever shape each procedure answers
type Json = any;

interface Caller {
  token: string;
  tenant: string;
  ip?: string;
}

/** A tRPC query (GET) through the Worker as a bearer client. */
async function query(path: string, input: unknown, as: Caller) {
  const search = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const response = await SELF.fetch(`${ORIGIN}/trpc/${path}${search}`, { headers: headersOf(as) });
  return { status: response.status, body: (await response.json()) as Json, headers: response.headers };
}

/** A tRPC mutation (POST) through the Worker as a bearer client. */
async function mutate(path: string, input: unknown, as: Caller) {
  const response = await SELF.fetch(`${ORIGIN}/trpc/${path}`, {
    method: "POST",
    headers: { ...headersOf(as), "content-type": "application/json" },
    body: JSON.stringify(input ?? null),
  });
  return { status: response.status, body: (await response.json()) as Json, headers: response.headers };
}

function headersOf(as: Caller): Record<string, string> {
  return {
    authorization: `Bearer ${as.token}`,
    [TENANT_HEADER]: as.tenant,
    ...(as.ip ? { "cf-connecting-ip": as.ip } : {}),
  };
}

/** An organization with an owner (and their session), as the Worker's control database holds it. */
async function organization() {
  const owner = await member("owner");
  return { tenant: owner.tenant, owner: { ...owner.user, token: owner.token, tenant: owner.tenant.slug } };
}

/** Another person in `tenant` with `role`, signed in. */
async function join(tenant: { id: string; slug: string }, role: Role, name?: string) {
  const user = await createUser(control());
  if (name) await control().update(users).set({ name }).where(eq(users.id, user.id));
  await control()
    .insert(memberships)
    .values({ id: newId(), userId: user.id, tenantId: tenant.id, role, createdAt: new Date() });
  const { token } = await createSession(control(), user.id, { ip: null, userAgent: "test" });
  return { ...user, name: name ?? user.name, token, tenant: tenant.slug };
}

const data = (r: { body: Json }) => r.body.result.data;

describe("who may administer an organization", () => {
  it("refuses members and viewers every administrative procedure with FORBIDDEN, but lets them read the settings", async () => {
    const { tenant, owner } = await organization();
    for (const role of ["member", "viewer"] as const) {
      const someone = await join(tenant, role);
      const calls = [
        query("system.users.list", {}, someone),
        query("system.users.get", { userId: owner.id }, someone),
        query("system.audit.list", {}, someone),
        mutate("system.users.changeRole", { userId: someone.id, role: "admin" }, someone),
        mutate("system.users.deactivate", { userId: owner.id }, someone),
        mutate("system.users.reactivate", { userId: owner.id }, someone),
        mutate("system.users.remove", { userId: owner.id }, someone),
        mutate("system.users.bulkChangeRole", { userIds: [someone.id], role: "admin" }, someone),
        mutate("system.users.bulkDeactivate", { userIds: [owner.id] }, someone),
        mutate("system.users.export", { format: "csv", what: "users" }, someone),
        mutate("system.settings.update", { name: "Taken Over" }, someone),
        mutate("system.settings.updateSecurity", { ssoOnly: true }, someone),
        mutate("system.settings.deleteOrganization", { confirmSlug: tenant.slug }, someone),
      ];
      for (const result of await Promise.all(calls)) {
        expect(result.status, JSON.stringify(result.body)).toBe(403);
        expect(result.body.error.data.code).toBe("FORBIDDEN");
      }
      expect((await query("system.settings.get", undefined, someone)).status).toBe(200);
    }
    expect(data(await query("system.users.get", { userId: owner.id }, owner))).toMatchObject({
      role: "owner",
      status: "active",
    });
    const row = await control().query.tenants.findFirst({ where: eq(tenants.id, tenant.id) });
    expect(row).toMatchObject({ status: "ready", ssoOnly: false, name: tenant.name });
  });

  it("lets only an owner delete the organization, not an administrator", async () => {
    const { tenant } = await organization();
    const admin = await join(tenant, "admin");
    const result = await mutate("system.settings.deleteOrganization", { confirmSlug: tenant.slug }, admin);
    expect(result.status).toBe(403);
    expect((await control().query.tenants.findFirst({ where: eq(tenants.id, tenant.id) }))?.status).toBe(
      "ready",
    );
  });
});

describe("bad input", () => {
  it("answers malformed input to every procedure with 400 and the fields at fault, writing nothing", async () => {
    const { tenant, owner } = await organization();
    const before = await control().select().from(auditLog).where(eq(auditLog.tenantId, tenant.id));
    const cases: [Promise<{ status: number; body: Json }>, string[]][] = [
      [
        query("system.users.list", { limit: 0, sort: "height", status: "gone" }, owner),
        ["limit", "sort", "status"],
      ],
      [query("system.users.get", {}, owner), ["userId"]],
      [mutate("system.users.changeRole", { userId: "", role: "king" }, owner), ["role", "userId"]],
      [mutate("system.users.deactivate", { userId: 7 }, owner), ["userId"]],
      [mutate("system.users.reactivate", {}, owner), ["userId"]],
      [mutate("system.users.remove", { userId: "x".repeat(65) }, owner), ["userId"]],
      [mutate("system.users.bulkChangeRole", { userIds: [], role: "member" }, owner), ["userIds"]],
      [
        mutate(
          "system.users.bulkDeactivate",
          { userIds: Array.from({ length: 201 }, (_, i) => `u${i}`) },
          owner,
        ),
        ["userIds"],
      ],
      [mutate("system.users.export", { format: "xlsx", what: "everything" }, owner), ["format", "what"]],
      [query("system.audit.list", { from: "yesterday", limit: 500 }, owner), ["from", "limit"]],
      [
        mutate("system.settings.update", { brandColor: "blue", logoUrl: "http://x.example/logo.png" }, owner),
        ["brandColor", "logoUrl"],
      ],
      [
        mutate(
          "system.settings.updateSecurity",
          { allowedDomains: ["not a domain"], sessionLifetimeMinutes: 5 },
          owner,
        ),
        ["allowedDomains.0", "sessionLifetimeMinutes"],
      ],
      [mutate("system.settings.deleteOrganization", {}, owner), ["confirmSlug"]],
    ];
    for (const [promise, fields] of cases) {
      const result = await promise;
      expect(result.status, JSON.stringify(result.body)).toBe(400);
      expect(Object.keys(result.body.error.data.fieldErrors).sort()).toEqual(fields);
      expect(JSON.stringify(result.body)).not.toMatch(/stack|at .*\.ts/);
    }
    const wrongSlug = await mutate("system.settings.deleteOrganization", { confirmSlug: "not-it" }, owner);
    expect(wrongSlug.status).toBe(400);
    expect(wrongSlug.body.error.data.fieldErrors.confirmSlug).toBeDefined();

    const settings = data(await query("system.settings.get", undefined, owner));
    expect(settings).toMatchObject({
      brandColor: null,
      logoUrl: null,
      security: { allowedDomains: [], sessionLifetimeMinutes: 480 },
    });
    expect(await control().select().from(auditLog).where(eq(auditLog.tenantId, tenant.id))).toEqual(before);
  });
});

describe("members' roles and lifecycle", () => {
  it("keeps the last active owner an owner", async () => {
    const { owner } = await organization();
    for (const [path, input] of [
      ["system.users.changeRole", { userId: owner.id, role: "admin" }],
      ["system.users.deactivate", { userId: owner.id }],
      ["system.users.remove", { userId: owner.id }],
    ] as const) {
      const result = await mutate(path, input, owner);
      expect(result.status).toBe(409);
      expect(result.body.error.message).toMatch(/last active owner/);
    }
    expect(data(await query("system.users.get", { userId: owner.id }, owner))).toMatchObject({
      role: "owner",
      status: "active",
    });
  });

  it("cuts a deactivated member off at once, even right after a cached request, and lets them back when reactivated", async () => {
    const { tenant, owner } = await organization();
    const bob = await join(tenant, "member");
    expect((await query("system.settings.get", undefined, bob)).status).toBe(200);
    const deactivated = await mutate("system.users.deactivate", { userId: bob.id }, owner);
    expect(deactivated.status).toBe(200);
    expect(data(deactivated)).toMatchObject({ userId: bob.id, status: "deactivated" });
    expect((await query("system.settings.get", undefined, bob)).status).toBe(401);

    const again = await createSession(control(), bob.id, { ip: null, userAgent: "new sign-in" });
    const refused = await query("system.settings.get", undefined, {
      token: again.token,
      tenant: tenant.slug,
    });
    expect(refused.status).toBe(404);

    expect((await mutate("system.users.reactivate", { userId: bob.id }, owner)).status).toBe(200);
    expect(
      (await query("system.settings.get", undefined, { token: again.token, tenant: tenant.slug })).status,
    ).toBe(200);
  });

  it("ends a member's sessions when their role changes, and the new role applies at their next sign-in", async () => {
    const { tenant, owner } = await organization();
    const bob = await join(tenant, "member");
    expect((await query("system.users.list", {}, bob)).status).toBe(403);
    const changed = await mutate("system.users.changeRole", { userId: bob.id, role: "admin" }, owner);
    expect(data(changed)).toMatchObject({ role: "admin" });
    expect((await query("system.users.list", {}, bob)).status).toBe(401);
    const again = await createSession(control(), bob.id, { ip: null, userAgent: "new sign-in" });
    expect((await query("system.users.list", {}, { token: again.token, tenant: tenant.slug })).status).toBe(
      200,
    );
  });

  it("removes a member, keeping their membership and its history", async () => {
    const { tenant, owner } = await organization();
    const bob = await join(tenant, "viewer");
    expect(data(await mutate("system.users.remove", { userId: bob.id }, owner))).toEqual({ removed: true });
    expect((await query("system.users.get", { userId: bob.id }, owner)).status).toBe(404);
    const kept = await control()
      .select()
      .from(memberships)
      .where(and(eq(memberships.userId, bob.id), eq(memberships.tenantId, tenant.id)));
    expect(kept[0]?.deletedAt).toBeInstanceOf(Date);
    const history = data(await query("system.audit.list", { action: "membership.removed" }, owner)).items;
    expect(history).toEqual([
      expect.objectContaining({ targetId: bob.id, targetUser: expect.objectContaining({ id: bob.id }) }),
    ]);
  });

  it("reports each row of a bulk action: changed, already so, not a member, not allowed", async () => {
    const { tenant, owner } = await organization();
    const other = await organization();
    const admin = await join(tenant, "admin");
    const m1 = await join(tenant, "member");
    const v1 = await join(tenant, "viewer");
    const result = await mutate(
      "system.users.bulkChangeRole",
      { userIds: [m1.id, v1.id, other.owner.id, owner.id], role: "viewer" },
      admin,
    );
    expect(result.status).toBe(200);
    expect(data(result)).toEqual({
      results: [
        { index: 0, ok: true, changed: true },
        { index: 1, ok: true, changed: false },
        { index: 2, ok: false, code: "NOT_FOUND", error: expect.any(String) },
        { index: 3, ok: false, code: "FORBIDDEN", error: expect.any(String) },
      ],
      changed: 1,
      failed: 2,
    });
    const deactivate = await mutate("system.users.bulkDeactivate", { userIds: [m1.id, v1.id] }, owner);
    expect(data(deactivate)).toMatchObject({ changed: 2, failed: 0 });
    const listed = data(
      await query("system.users.list", { status: "deactivated", sort: "email" }, owner),
    ).items;
    expect(listed.map((u: { userId: string }) => u.userId).sort()).toEqual([m1.id, v1.id].sort());
    expect((await query("system.settings.get", undefined, m1)).status).toBe(401);
    expect(data(await query("system.users.get", { userId: other.owner.id }, other.owner)).role).toBe("owner");
  });
});

describe("exports", () => {
  it("exports users as CSV with formula-looking cells neutralised, and as JSON", async () => {
    const { tenant, owner } = await organization();
    await join(tenant, "member", "=cmd|' /C calc'!A0");
    await join(tenant, "viewer", "Ordinary, Person");
    const csv = await mutate("system.users.export", { format: "csv", what: "users" }, owner);
    expect(csv.status).toBe(200);
    const file = data(csv);
    expect(file).toMatchObject({ contentType: "text/csv; charset=utf-8", rows: 3 });
    expect(file.filename).toMatch(new RegExp(`^${tenant.slug}-users-.*\\.csv$`));
    const rows = Papa.parse<Record<string, string>>(file.content, { header: true }).data;
    expect(rows.map((r) => r.name).sort()).toEqual(["'=cmd|' /C calc'!A0", "Ordinary, Person", "Test User"]);
    expect(file.content).toContain(`"'=cmd|' /C calc'!A0"`);

    const json = data(await mutate("system.users.export", { format: "json", what: "invitations" }, owner));
    expect(json).toMatchObject({ contentType: "application/json", content: "[]", rows: 0 });
  });
});

describe("organization settings", () => {
  it("saves settings and security settings and audits them with before, after, IP and request id", async () => {
    const { tenant, owner } = await organization();
    const ip = "198.51.100.23";
    const saved = await mutate(
      "system.settings.updateSecurity",
      { allowedDomains: ["Prairie.K12.MO.US"], sessionLifetimeMinutes: 120 },
      { ...owner, ip },
    );
    expect(saved.status).toBe(200);
    expect(data(saved).security).toMatchObject({
      allowedDomains: ["prairie.k12.mo.us"],
      sessionLifetimeMinutes: 120,
    });
    const requestId = saved.headers.get("x-request-id");
    const [entry] = data(
      await query("system.audit.list", { action: "tenant.security_updated" }, owner),
    ).items;
    expect(entry).toMatchObject({
      actor: { id: owner.id, email: owner.email },
      targetType: "tenant",
      targetId: tenant.id,
      before: { allowedDomains: [], sessionLifetimeMinutes: 480 },
      after: { allowedDomains: ["prairie.k12.mo.us"], sessionLifetimeMinutes: 120 },
      ip,
      requestId,
    });
  });

  it("audits a role change with before, after, IP and request id, and shows members' sign-ins", async () => {
    const { tenant, owner } = await organization();
    const bob = await join(tenant, "member");
    const ip = "203.0.113.99";
    const changed = await mutate(
      "system.users.changeRole",
      { userId: bob.id, role: "viewer" },
      { ...owner, ip },
    );
    const requestId = changed.headers.get("x-request-id");
    await control().insert(auditLog).values({
      id: newId(),
      at: new Date(),
      actorKind: "user",
      actorId: bob.id,
      action: "auth.signed_in",
      targetType: "session",
      ip: "192.0.2.1",
    });
    const items = data(await query("system.audit.list", {}, owner)).items;
    expect(items[0]).toMatchObject({ action: "auth.signed_in", actor: { id: bob.id } });
    expect(items[1]).toMatchObject({
      action: "membership.role_changed",
      actor: { id: owner.id },
      targetUser: { id: bob.id },
      before: { role: "member", status: "active" },
      after: { role: "viewer", status: "active" },
      ip,
      requestId,
    });
  });

  it("soft-deletes an organization: its members get NOT_FOUND at once, and its records and history remain", async () => {
    const { tenant, owner } = await organization();
    const bob = await join(tenant, "member");
    await openTenant(testEnv, tenant).insert(schools).values({
      id: newId(),
      code: "4242",
      name: "Kept Elementary",
      level: "elementary",
      lowGrade: 0,
      highGrade: 5,
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    expect((await query("system.organization.current", undefined, bob)).status).toBe(200);
    const deleted = await mutate("system.settings.deleteOrganization", { confirmSlug: tenant.slug }, owner);
    expect(deleted.status).toBe(200);
    for (const who of [owner, bob]) {
      const result = await query("system.organization.current", undefined, who);
      expect(result.status).toBe(404);
      expect(result.body.error.data.code).toBe("NOT_FOUND");
      expect((await query("system.settings.get", undefined, who)).status).toBe(404);
      const me = data(await query("system.me", undefined, who));
      expect(me.memberships.map((m: { tenant: { id: string } }) => m.tenant.id)).not.toContain(tenant.id);
    }
    const row = await control().query.tenants.findFirst({ where: eq(tenants.id, tenant.id) });
    expect(row).toMatchObject({ status: "deleted", deletedAt: expect.any(Date) });
    const history = await control().select().from(auditLog).where(eq(auditLog.tenantId, tenant.id));
    expect(history.map((h) => h.action)).toEqual(
      expect.arrayContaining(["tenant.created", "tenant.deleted"]),
    );
    expect(
      await control().select().from(memberships).where(eq(memberships.tenantId, tenant.id)),
    ).toHaveLength(2);
    expect(await openTenant(testEnv, tenant).select().from(schools)).toHaveLength(1);
  });
});

describe("isolation between organizations", () => {
  it("never lets organization B read or change organization A's users", async () => {
    const a = await organization();
    const b = await organization();
    const inA = await join(a.tenant, "member", "Alice of A");
    const attempts = [
      query("system.users.get", { userId: inA.id }, b.owner),
      mutate("system.users.changeRole", { userId: inA.id, role: "viewer" }, b.owner),
      mutate("system.users.deactivate", { userId: inA.id }, b.owner),
      mutate("system.users.reactivate", { userId: inA.id }, b.owner),
      mutate("system.users.remove", { userId: inA.id }, b.owner),
    ];
    for (const result of await Promise.all(attempts)) {
      expect(result.status).toBe(404);
      expect(JSON.stringify(result.body)).not.toContain("Alice");
    }
    const bulk = data(await mutate("system.users.bulkDeactivate", { userIds: [inA.id] }, b.owner));
    expect(bulk.results[0]).toMatchObject({ ok: false, code: "NOT_FOUND" });
    const listed = data(await query("system.users.list", { search: "Alice" }, b.owner));
    expect(listed.items).toEqual([]);
    const exported = data(await mutate("system.users.export", { format: "json", what: "users" }, b.owner));
    expect(exported.content).not.toContain(inA.email);
    const audit = data(await query("system.audit.list", { actorId: a.owner.id }, b.owner));
    expect(audit.items).toEqual([]);

    // B's owner naming organization A gets nothing at all.
    const asA = { ...b.owner, tenant: a.tenant.slug };
    expect((await query("system.users.list", {}, asA)).status).toBe(404);
    expect((await mutate("system.users.deactivate", { userId: inA.id }, asA)).status).toBe(404);
    expect((await mutate("system.settings.update", { name: "Hijacked" }, asA)).status).toBe(404);

    expect(data(await query("system.users.get", { userId: inA.id }, a.owner))).toMatchObject({
      role: "member",
      status: "active",
    });
    expect((await query("system.settings.get", undefined, a.owner)).body.result.data.name).toBe(
      a.tenant.name,
    );
  });
});

describe("the Global organization", () => {
  it("lets its administrators list and manage the users of any organization, as administrators", async () => {
    let root = await control().query.tenants.findFirst({ where: eq(tenants.kind, "root") });
    root ??= await provisionTenant(
      control(),
      plane(),
      { slug: "global", name: "Global", kind: "root" },
      systemActor("test"),
    );
    expect(root.status).toBe("ready");
    const rootAdmin = await join(root, "admin", "Root Administrator");
    const { tenant, owner } = await organization();
    const bob = await join(tenant, "member", "Bob Member");
    const asRoot = { token: rootAdmin.token, tenant: tenant.slug };

    const listed = data(await query("system.users.list", {}, asRoot)).items;
    expect(listed.map((u: { userId: string }) => u.userId).sort()).toEqual([owner.id, bob.id].sort());
    expect(listed.map((u: { userId: string }) => u.userId)).not.toContain(rootAdmin.id);

    expect(
      data(await mutate("system.users.changeRole", { userId: bob.id, role: "viewer" }, asRoot)).role,
    ).toBe("viewer");
    const [entry] = data(
      await query("system.audit.list", { action: "membership.role_changed" }, owner),
    ).items;
    expect(entry).toMatchObject({
      actor: { id: rootAdmin.id, name: "Root Administrator" },
      targetId: bob.id,
    });

    // Administrators, not owners: they cannot touch owners or delete the organization.
    expect((await mutate("system.users.deactivate", { userId: owner.id }, asRoot)).status).toBe(403);
    expect(
      (await mutate("system.settings.deleteOrganization", { confirmSlug: tenant.slug }, asRoot)).status,
    ).toBe(403);
  });
});
