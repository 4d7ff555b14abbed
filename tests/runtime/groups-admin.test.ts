import { SELF } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { memberships } from "../../db/control/schema";
import { auditLog, groupMembers, groups } from "../../db/tenant/schema";
import { newId } from "../../shared/ids";
import type { Role } from "../../shared/permissions";
import { TENANT_HEADER } from "../../shared/transport";
import { createSession } from "../../worker/auth/session";
import { openTenant } from "../../worker/data";
import { createUser } from "../support/fixtures";
import { control, member, ORIGIN, testEnv, trpcQuery } from "./support";

// biome-ignore lint/suspicious/noExplicitAny: assertions read whatever shape each answer has
type Json = any;
type Member = Awaited<ReturnType<typeof member>>;

async function mutate(who: Member, path: string, input: unknown) {
  const response = await SELF.fetch(`${ORIGIN}/trpc/system.groups.${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${who.token}`,
      [TENANT_HEADER]: who.tenant.slug,
    },
    body: JSON.stringify(input),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

function query(who: Member, path: string, input: unknown) {
  return trpcQuery(`system.groups.${path}`, input, { token: who.token, tenant: who.tenant.slug });
}

/** Another person in `who`'s organization, with a membership of the given role and status. */
async function colleague(who: Member, options: { role?: Role; status?: "active" | "deactivated" } = {}) {
  const user = await createUser(control());
  await control()
    .insert(memberships)
    .values({
      id: newId(),
      userId: user.id,
      tenantId: who.tenant.id,
      role: options.role ?? "member",
      status: options.status ?? "active",
      createdAt: new Date(),
    });
  return user;
}

const tenantDb = (who: Member) => openTenant(testEnv, who.tenant);

async function createGroup(who: Member, name: string, description?: string) {
  const result = await mutate(who, "create", { name, description });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return result.body.result.data as { id: string; name: string };
}

describe("groups", () => {
  it("are created, renamed, archived and restored by administrators, each change audited", async () => {
    const admin = await member("admin");
    const created = await createGroup(admin, "  Help Desk ", "First line");
    expect(created).toMatchObject({
      name: "Help Desk",
      description: "First line",
      archived: false,
      memberCount: 0,
    });

    const renamed = await mutate(admin, "update", {
      id: created.id,
      name: "Service Desk",
      description: null,
    });
    expect(renamed.body.result.data).toMatchObject({ name: "Service Desk", description: null });
    const archived = await mutate(admin, "archive", { id: created.id });
    expect(archived.body.result.data.archived).toBe(true);
    expect((await mutate(admin, "archive", { id: created.id })).status).toBe(200);
    const restored = await mutate(admin, "restore", { id: created.id });
    expect(restored.body.result.data).toMatchObject({ archived: false, archivedAt: null });

    const audit = await tenantDb(admin).select().from(auditLog).where(eq(auditLog.targetId, created.id));
    expect(audit.map((r) => r.action).sort()).toEqual([
      "group.archived",
      "group.created",
      "group.restored",
      "group.updated",
    ]);
    for (const row of audit) {
      expect(row).toMatchObject({
        actorKind: "user",
        actorId: admin.user.id,
        tenantId: admin.tenant.id,
        targetType: "group",
      });
      expect(row.requestId).toBeTruthy();
    }
    const updated = audit.find((r) => r.action === "group.updated");
    expect(updated?.before).toEqual({ name: "Help Desk", description: "First line" });
    expect(updated?.after).toEqual({ name: "Service Desk", description: null });
  });

  it("have names unique in the organization, whatever their case", async () => {
    const admin = await member("owner");
    const other = await member("owner");
    await createGroup(admin, "Counselors");
    const clash = await mutate(admin, "create", { name: "counselors" });
    expect(clash.status).toBe(409);
    expect(clash.body.error.data.fieldErrors.name).toBeDefined();
    const second = await createGroup(admin, "Nurses");
    const rename = await mutate(admin, "update", { id: second.id, name: "COUNSELORS" });
    expect(rename.status).toBe(409);
    // Another organization has names of its own.
    await createGroup(other, "Counselors");
    expect(await tenantDb(admin).select().from(groups)).toHaveLength(2);
  });

  it("take only active members of this organization, rejecting every other id", async () => {
    const admin = await member("owner");
    const stranger = await member("owner");
    const alice = await colleague(admin);
    const bob = await colleague(admin, { role: "viewer" });
    const away = await colleague(admin, { status: "deactivated" });
    const group = await createGroup(admin, "Transportation");
    const missing = newId();

    const added = await mutate(admin, "addMembers", {
      groupId: group.id,
      userIds: [alice.id, bob.id, away.id, stranger.user.id, missing, alice.id],
    });
    expect(added.status).toBe(200);
    const data = added.body.result.data;
    expect(data.added.sort()).toEqual([alice.id, bob.id].sort());
    expect(data.alreadyMembers).toEqual([]);
    expect(data.rejected.map((r: { userId: string }) => r.userId).sort()).toEqual(
      [away.id, stranger.user.id, missing].sort(),
    );
    expect(data.group.memberCount).toBe(2);

    const again = await mutate(admin, "addMembers", { groupId: group.id, userIds: [alice.id] });
    expect(again.body.result.data).toMatchObject({ added: [], alreadyMembers: [alice.id] });

    const detail = await query(admin, "get", { id: group.id });
    expect(detail.status).toBe(200);
    expect(
      detail.body.result.data.members.map((m: { userId: string; email: string; membership: string }) => [
        m.userId,
        m.email,
        m.membership,
      ]),
    ).toEqual(
      expect.arrayContaining([
        [alice.id, alice.email, "active"],
        [bob.id, bob.email, "active"],
      ]),
    );
    expect(detail.body.result.data.members).toHaveLength(2);

    const removed = await mutate(admin, "removeMember", { groupId: group.id, userId: bob.id });
    expect(removed.body.result.data.group.memberCount).toBe(1);
    expect((await mutate(admin, "removeMember", { groupId: group.id, userId: bob.id })).status).toBe(404);

    const audit = await tenantDb(admin).select().from(auditLog).where(eq(auditLog.targetId, group.id));
    expect(
      audit
        .filter((r) => r.action === "group.member_added")
        .map((r) => (r.after as { userId: string }).userId)
        .sort(),
    ).toEqual([alice.id, bob.id].sort());
    expect(audit.filter((r) => r.action === "group.member_removed")).toHaveLength(1);
  });

  it("shows a member whose membership ended as removed", async () => {
    const admin = await member("owner");
    const carol = await colleague(admin);
    const group = await createGroup(admin, "Library");
    await mutate(admin, "addMembers", { groupId: group.id, userIds: [carol.id] });
    await control()
      .update(memberships)
      .set({ deletedAt: new Date() })
      .where(eq(memberships.userId, carol.id));
    const detail = await query(admin, "get", { id: group.id });
    expect(detail.body.result.data.members[0]).toMatchObject({ userId: carol.id, membership: "removed" });
  });

  it("are listed by name with member counts, archived ones only when asked, a page at a time", async () => {
    const admin = await member("owner");
    const dave = await colleague(admin);
    const names = ["Athletics", "Band", "Cafeteria", "Drama"];
    const made = [];
    for (const name of names) made.push(await createGroup(admin, name));
    await mutate(admin, "addMembers", { groupId: made[1]!.id, userIds: [dave.id] });
    await mutate(admin, "archive", { id: made[3]!.id });

    const first = await query(admin, "list", { limit: 2 });
    expect(first.body.result.data.items.map((g: { name: string }) => g.name)).toEqual(["Athletics", "Band"]);
    expect(first.body.result.data.items[1].memberCount).toBe(1);
    const rest = await query(admin, "list", { limit: 2, cursor: first.body.result.data.nextCursor });
    expect(rest.body.result.data.items.map((g: { name: string }) => g.name)).toEqual(["Cafeteria"]);
    expect(rest.body.result.data.nextCursor).toBeNull();
    const all = await query(admin, "list", { includeArchived: true });
    expect(all.body.result.data.items.map((g: { name: string }) => g.name)).toEqual(names);
    const search = await query(admin, "list", { search: "caf" });
    expect(search.body.result.data.items.map((g: { name: string }) => g.name)).toEqual(["Cafeteria"]);
  });

  it("are read-only while archived", async () => {
    const admin = await member("owner");
    const erin = await colleague(admin);
    const group = await createGroup(admin, "Old Committee");
    await mutate(admin, "archive", { id: group.id });
    const add = await mutate(admin, "addMembers", { groupId: group.id, userIds: [erin.id] });
    expect(add.status).toBe(409);
    expect(add.body.error.data.reason).toBe("group_archived");
    expect((await mutate(admin, "update", { id: group.id, name: "New name" })).status).toBe(409);
    expect(await tenantDb(admin).select().from(groupMembers)).toHaveLength(0);
  });

  it("can be read by members but changed only by administrators", async () => {
    const admin = await member("owner");
    const group = await createGroup(admin, "Facilities");
    const reader = await colleague(admin, { role: "member" });
    const { token } = await createSession(control(), reader.id, { ip: null, userAgent: null });
    const asReader = { ...admin, user: reader, token } as Member;
    expect((await query(asReader, "list", {})).status).toBe(200);
    expect((await query(asReader, "get", { id: group.id })).status).toBe(200);
    for (const [path, input] of [
      ["create", { name: "Mine" }],
      ["update", { id: group.id, name: "Mine" }],
      ["archive", { id: group.id }],
      ["restore", { id: group.id }],
      ["addMembers", { groupId: group.id, userIds: [reader.id] }],
      ["removeMember", { groupId: group.id, userId: reader.id }],
    ] as const) {
      const result = await mutate(asReader, path, input);
      expect(result.status, path).toBe(403);
    }
    expect(await tenantDb(admin).select().from(groups)).toHaveLength(1);
  });

  it("answer NOT_FOUND to another organization, changing nothing", async () => {
    const a = await member("owner");
    const b = await member("owner");
    const frank = await colleague(a);
    const group = await createGroup(a, "Principals");
    await mutate(a, "addMembers", { groupId: group.id, userIds: [frank.id] });
    expect((await query(b, "get", { id: group.id })).status).toBe(404);
    for (const [path, input] of [
      ["update", { id: group.id, name: "Taken" }],
      ["archive", { id: group.id }],
      ["restore", { id: group.id }],
      ["addMembers", { groupId: group.id, userIds: [b.user.id] }],
      ["removeMember", { groupId: group.id, userId: frank.id }],
    ] as const) {
      const result = await mutate(b, path, input);
      expect(result.status, path).toBe(404);
    }
    expect((await query(b, "list", { includeArchived: true })).body.result.data.items).toEqual([]);
    const [row] = await tenantDb(a).select().from(groups);
    expect(row).toMatchObject({ name: "Principals", archivedAt: null });
    expect(await tenantDb(a).select().from(groupMembers)).toHaveLength(1);
  });

  it("answer malformed input with 400 and field errors, writing nothing", async () => {
    const admin = await member("owner");
    const group = await createGroup(admin, "Valid");
    const cases: [string, string, unknown, string][] = [
      ["query", "list", { limit: 0 }, "limit"],
      ["query", "list", { includeArchived: "yes" }, "includeArchived"],
      ["query", "get", {}, "id"],
      ["mutation", "create", { name: "" }, "name"],
      ["mutation", "create", { name: "x".repeat(101) }, "name"],
      ["mutation", "create", { name: "Fine", description: 7 }, "description"],
      ["mutation", "update", { id: group.id }, "name"],
      ["mutation", "archive", { id: "" }, "id"],
      ["mutation", "restore", {}, "id"],
      ["mutation", "addMembers", { groupId: group.id, userIds: [] }, "userIds"],
      [
        "mutation",
        "addMembers",
        { groupId: group.id, userIds: Array.from({ length: 201 }, () => newId()) },
        "userIds",
      ],
      ["mutation", "removeMember", { groupId: group.id }, "userId"],
    ];
    for (const [kind, path, input, field] of cases) {
      const result = kind === "query" ? await query(admin, path, input) : await mutate(admin, path, input);
      expect(result.status, `${path} ${JSON.stringify(input).slice(0, 60)}`).toBe(400);
      expect(result.body.error.data.fieldErrors[field], path).toBeDefined();
    }
    const db = tenantDb(admin);
    expect(await db.select().from(groups)).toHaveLength(1);
    expect(await db.select().from(groupMembers)).toHaveLength(0);
    expect(await db.select().from(auditLog).where(eq(auditLog.targetType, "group"))).toHaveLength(1);
  });
});
