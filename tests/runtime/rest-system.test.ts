import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog as controlAudit, memberships } from "../../db/control/schema";
import { groups, auditLog as tenantAudit } from "../../db/tenant/schema";
import { newId } from "../../shared/ids";
import type { Role } from "../../shared/permissions";
import { createSession } from "../../worker/auth/session";
import { openTenant } from "../../worker/data";
import { createUser } from "../support/fixtures";
import { personalAccessToken, rest } from "./rest-support";
import { control, member, testEnv } from "./support";

// System writes over /api/v1, as a provisioning script makes them: a personal access token of an owner.

let owner: Awaited<ReturnType<typeof member>>;
let pat: string;

const as = () => ({ token: pat, tenant: owner.tenant.slug });

/** Another person in the owner's organization with `role`. */
async function colleague(role: Role = "member") {
  const user = await createUser(control());
  await control()
    .insert(memberships)
    .values({ id: newId(), userId: user.id, tenantId: owner.tenant.id, role, createdAt: new Date() });
  return user;
}

/** The organization's control audit entries about `targetId` (memberships, invitations), oldest first. */
async function controlEntries(targetId: string) {
  const rows = await control()
    .select()
    .from(controlAudit)
    .where(and(eq(controlAudit.tenantId, owner.tenant.id), eq(controlAudit.targetId, targetId)));
  return rows.sort((x, y) => x.at.getTime() - y.at.getTime());
}

/** The organization's own audit entries about `targetId` (groups), oldest first. */
async function tenantEntries(targetId: string) {
  const rows = await openTenant(testEnv, owner.tenant)
    .select()
    .from(tenantAudit)
    .where(eq(tenantAudit.targetId, targetId));
  return rows.sort((x, y) => x.at.getTime() - y.at.getTime());
}

beforeAll(async () => {
  owner = await member("owner");
  pat = await personalAccessToken(owner.token, owner.tenant.slug, ["system.read", "system.admin"]);
});

describe("System writes over REST with a personal access token", () => {
  it("create (201), rename, archive and restore a group and change its members, each change audited", async () => {
    const created = await rest("POST", "/system/groups", {
      ...as(),
      body: { name: "Network team", description: "Switches and Wi-Fi" },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ name: "Network team", archived: false, memberCount: 0 });
    const id = created.body.id as string;

    const renamed = await rest("PATCH", "/system/groups/{id}", {
      ...as(),
      params: { id },
      body: { name: "Network and Wi-Fi team" },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe("Network and Wi-Fi team");

    const ana = await colleague();
    const added = await rest("POST", "/system/groups/{groupId}/members", {
      ...as(),
      params: { groupId: id },
      body: { userIds: [ana.id, "no-such-user"] },
    });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({
      added: [ana.id],
      rejected: [{ userId: "no-such-user", reason: "not_an_active_member" }],
      group: { memberCount: 1 },
    });
    const removed = await rest("POST", "/system/groups/{groupId}/members/{userId}/remove", {
      ...as(),
      params: { groupId: id, userId: ana.id },
    });
    expect(removed.status).toBe(200);
    expect(removed.body.group.memberCount).toBe(0);

    const archived = await rest("POST", "/system/groups/{id}/archive", { ...as(), params: { id } });
    expect(archived.status).toBe(200);
    expect(archived.body.archived).toBe(true);
    const restored = await rest("POST", "/system/groups/{id}/restore", { ...as(), params: { id } });
    expect(restored.status).toBe(200);
    expect(restored.body.archived).toBe(false);
    const read = await rest("GET", "/system/groups/{id}", { ...as(), params: { id } });
    expect(read.body).toMatchObject({ name: "Network and Wi-Fi team", members: [] });

    const entries = await tenantEntries(id);
    expect(entries.map((e) => e.action)).toEqual([
      "group.created",
      "group.updated",
      "group.member_added",
      "group.member_removed",
      "group.archived",
      "group.restored",
    ]);
    for (const entry of entries) {
      expect(entry).toMatchObject({ actorKind: "user", actorId: owner.user.id, tenantId: owner.tenant.id });
      expect(entry.requestId).toEqual(expect.any(String));
    }
  });

  it("invite (201), list, resend and revoke, each in the organization's audit log, and invite a CSV", async () => {
    const created = await rest("POST", "/system/invitations", {
      ...as(),
      body: { email: "New.Teacher@Example.org", role: "member" },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      created: true,
      invitation: { email: "new.teacher@example.org", role: "member", status: "pending" },
      delivery: { status: "captured" },
    });
    const id = created.body.invitation.id as string;

    const listed = await rest("GET", "/system/invitations", {
      ...as(),
      query: "status=pending&search=new.teacher",
    });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((i: { id: string }) => i.id)).toEqual([id]);

    const resent = await rest("POST", "/system/invitations/{id}/resend", { ...as(), params: { id } });
    expect(resent.status).toBe(200);
    expect(resent.body.invitation.sendCount).toBe(2);
    const revoked = await rest("POST", "/system/invitations/{id}/revoke", { ...as(), params: { id } });
    expect(revoked.status).toBe(200);
    expect(revoked.body.invitation.status).toBe("revoked");

    const entries = await controlEntries(id);
    expect(entries.map((e) => e.action)).toEqual([
      "invitation.created",
      "invitation.resent",
      "invitation.revoked",
    ]);
    expect(entries.every((e) => e.actorKind === "user" && e.actorId === owner.user.id)).toBe(true);

    const bulk = await rest("POST", "/system/invitations/bulk", {
      ...as(),
      body: { csv: "email,role\nbulk.one@example.org,viewer\nnot an address,member\n" },
    });
    expect(bulk.status, JSON.stringify(bulk.body)).toBe(200);
    expect(bulk.body.results.map((r: { row: number; status: string }) => [r.row, r.status])).toEqual([
      [2, "invited"],
      [3, "error"],
    ]);
  });

  it("change a member's role, deactivate, reactivate and remove them, each audited with before and after", async () => {
    const ben = await colleague("member");
    const role = await rest("POST", "/system/users/{userId}/role", {
      ...as(),
      params: { userId: ben.id },
      body: { role: "viewer" },
    });
    expect(role.status).toBe(200);
    expect(role.body).toMatchObject({ userId: ben.id, role: "viewer", status: "active" });
    const off = await rest("POST", "/system/users/{userId}/deactivate", {
      ...as(),
      params: { userId: ben.id },
    });
    expect(off.body.status).toBe("deactivated");
    const on = await rest("POST", "/system/users/{userId}/reactivate", {
      ...as(),
      params: { userId: ben.id },
    });
    expect(on.body.status).toBe("active");
    const removed = await rest("DELETE", "/system/users/{userId}", { ...as(), params: { userId: ben.id } });
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ removed: true });
    const gone = await rest("GET", "/system/users/{userId}", { ...as(), params: { userId: ben.id } });
    expect(gone.status).toBe(404);

    const entries = await controlEntries(ben.id);
    expect(entries.map((e) => [e.action, e.before, e.after])).toEqual([
      ["membership.role_changed", { role: "member", status: "active" }, { role: "viewer", status: "active" }],
      [
        "membership.deactivated",
        { role: "viewer", status: "active" },
        { role: "viewer", status: "deactivated" },
      ],
      [
        "membership.reactivated",
        { role: "viewer", status: "deactivated" },
        { role: "viewer", status: "active" },
      ],
      [
        "membership.removed",
        { role: "viewer", status: "active" },
        { role: "viewer", status: "active", removed: true },
      ],
    ]);
    expect(entries.every((e) => e.actorId === owner.user.id && e.requestId)).toBe(true);

    const cy = await colleague("member");
    const bulk = await rest("POST", "/system/users/bulk/role", {
      ...as(),
      body: { userIds: [cy.id, "no-such-user"], role: "viewer" },
    });
    expect(bulk.status).toBe(200);
    expect(bulk.body).toMatchObject({
      changed: 1,
      results: [
        { index: 0, ok: true },
        { index: 1, ok: false },
      ],
    });
  });
});

describe("System writes over REST refused", () => {
  it("to a token without system.admin (403 insufficient_scope) and to a member (403), writing nothing", async () => {
    const readOnly = await personalAccessToken(owner.token, owner.tenant.slug, ["system.read"]);
    const scoped = await rest("POST", "/system/groups", {
      token: readOnly,
      tenant: owner.tenant.slug,
      body: { name: "Scoped out" },
    });
    expect(scoped.status).toBe(403);
    expect(scoped.body.error.reason).toBe("insufficient_scope");
    const invite = await rest("POST", "/system/invitations", {
      token: readOnly,
      tenant: owner.tenant.slug,
      body: { email: "scoped-out@example.org" },
    });
    expect(invite.status).toBe(403);
    // Reads that need system.admin are refused to it as well.
    expect(
      (await rest("GET", "/system/invitations", { token: readOnly, tenant: owner.tenant.slug })).status,
    ).toBe(403);

    const dee = await colleague("member");
    const { token } = await createSession(control(), dee.id, { ip: null, userAgent: "test" });
    const memberPat = await personalAccessToken(token, owner.tenant.slug, ["system.read", "projects.write"]);
    const asMember = { token: memberPat, tenant: owner.tenant.slug };
    const results = [
      await rest("POST", "/system/groups", { ...asMember, body: { name: "Member's group" } }),
      await rest("POST", "/system/users/{userId}/role", {
        ...asMember,
        params: { userId: dee.id },
        body: { role: "admin" },
      }),
      await rest("POST", "/system/invitations", { ...asMember, body: { email: "friend@example.org" } }),
    ];
    expect(results.map((r) => r.status)).toEqual([403, 403, 403]);

    const names = (await openTenant(testEnv, owner.tenant).select({ name: groups.name }).from(groups)).map(
      (g) => g.name,
    );
    expect(names).not.toContain("Scoped out");
    expect(names).not.toContain("Member's group");
    const [membership] = await control().select().from(memberships).where(eq(memberships.userId, dee.id));
    expect(membership!.role).toBe("member");
    const invited = await rest("GET", "/system/invitations", {
      ...as(),
      query: "search=friend%40example.org",
    });
    expect(invited.body.items).toEqual([]);
  });

  it("answer bad input with 400 and field errors, writing nothing", async () => {
    const ed = await colleague("member");
    const cases: {
      method: string;
      path: string;
      params?: Record<string, string>;
      body: unknown;
      field: string;
    }[] = [
      { method: "POST", path: "/system/groups", body: { name: "  " }, field: "name" },
      { method: "POST", path: "/system/groups", body: { name: "x".repeat(101) }, field: "name" },
      { method: "PATCH", path: "/system/groups/{id}", params: { id: "any" }, body: {}, field: "name" },
      {
        method: "POST",
        path: "/system/groups/{groupId}/members",
        params: { groupId: "any" },
        body: { userIds: [] },
        field: "userIds",
      },
      { method: "POST", path: "/system/invitations", body: { email: "not an address" }, field: "email" },
      {
        method: "POST",
        path: "/system/invitations",
        body: { email: "a@example.org", role: "boss" },
        field: "role",
      },
      { method: "POST", path: "/system/invitations/bulk", body: { csv: "" }, field: "csv" },
      {
        method: "POST",
        path: "/system/users/{userId}/role",
        params: { userId: ed.id },
        body: { role: "superuser" },
        field: "role",
      },
      { method: "POST", path: "/system/users/bulk/deactivate", body: { userIds: [] }, field: "userIds" },
    ];
    for (const c of cases) {
      const result = await rest(c.method, c.path, { ...as(), params: c.params, body: c.body });
      expect(result.status, `${c.method} ${c.path} ${JSON.stringify(c.body)}`).toBe(400);
      expect(Object.keys(result.body.error.fieldErrors ?? {}), `${c.method} ${c.path}`).toContain(c.field);
    }
    const invalidJson = await rest("POST", "/system/groups", { ...as(), rawBody: '{"name": "half' });
    expect(invalidJson.status).toBe(400);

    expect(await controlEntries(ed.id)).toEqual([]);
    const [membership] = await control().select().from(memberships).where(eq(memberships.userId, ed.id));
    expect(membership!.role).toBe("member");
    const names = (await openTenant(testEnv, owner.tenant).select({ name: groups.name }).from(groups)).map(
      (g) => g.name,
    );
    expect(names.filter((n) => n.trim() === "" || n.startsWith("xxx"))).toEqual([]);
  });
});
