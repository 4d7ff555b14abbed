import { and, eq } from "drizzle-orm";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import type { ControlDb } from "../../db/client";
import { auditLog, invitations, memberships, sessions, tenants, users } from "../../db/control/schema";
import { toCsv } from "../../shared/csv";
import { AppError } from "../../shared/errors";
import { newId } from "../../shared/ids";
import type { Role } from "../../shared/permissions";
import { listUsersInput } from "../../shared/schemas/organizations";
import { createSession, resolveAccess } from "../../worker/auth/session";
import { changeMembership, changeMemberships } from "../../worker/packages/system/users/change-memberships";
import { exportMembers } from "../../worker/packages/system/users/export-members";
import { getUser } from "../../worker/packages/system/users/get-user";
import { listUsers, listUsersQuery } from "../../worker/packages/system/users/list-users";
import { controlContext, userActor } from "../support/actors";
import { freshControl } from "../support/databases";

/** A ready organization registered in the control database (its own database is not needed here). */
async function organization(control: ControlDb, slug = `org-${crypto.randomUUID().slice(0, 8)}`) {
  const now = new Date();
  const tenant = {
    id: newId(),
    slug,
    name: `District ${slug}`,
    status: "ready" as const,
    databaseName: `tenant-${slug}`,
    createdAt: now,
    updatedAt: now,
  };
  await control.insert(tenants).values(tenant);
  return tenant;
}

let clock = Date.UTC(2026, 8, 1);

async function person(
  control: ControlDb,
  tenantId: string,
  role: Role,
  fields: { name?: string; email?: string; status?: "active" | "deactivated"; totp?: boolean } = {},
) {
  const now = new Date(clock++);
  const user = {
    id: newId(),
    email: fields.email ?? `p-${crypto.randomUUID().slice(0, 8)}@example.org`,
    name: fields.name ?? "Pat Person",
    totpEnabledAt: fields.totp ? now : null,
    createdAt: now,
    updatedAt: now,
  };
  await control.insert(users).values(user);
  await control.insert(memberships).values({
    id: newId(),
    userId: user.id,
    tenantId,
    role,
    status: fields.status ?? "active",
    createdAt: now,
  });
  const { token } = await createSession(control, user.id, { ip: null, userAgent: "test" });
  return { ...user, token };
}

/** `user` administering `tenant` with `role`, through the session `sessionId` (none of theirs by default). */
function actorFor(
  control: ControlDb,
  tenant: { id: string; slug: string; name: string },
  user: { id: string },
  role: Role,
  sessionId = "not-a-session",
) {
  const actor = userActor(user.id, {
    credential: { kind: "session", id: sessionId, scopes: null },
    ip: "203.0.113.5",
    requestId: "req-test",
  });
  return controlContext(control, tenant, role, actor);
}

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

async function auditFor(control: ControlDb, userId: string) {
  return control.select().from(auditLog).where(eq(auditLog.targetId, userId));
}

describe("listing an organization's users", () => {
  it("lists only the organization's live members with their role, status and two-factor state", async () => {
    const { db } = await freshControl();
    const org = await organization(db);
    const other = await organization(db);
    const ana = await person(db, org.id, "owner", { name: "Ana Owner", totp: true });
    const ben = await person(db, org.id, "viewer", { name: "Ben Viewer", status: "deactivated" });
    const gone = await person(db, org.id, "member", { name: "Gone Member" });
    await db.update(memberships).set({ deletedAt: new Date() }).where(eq(memberships.userId, gone.id));
    await person(db, other.id, "owner", { name: "Other Org Person" });

    const page = await listUsers(db, org.id, {});
    expect(page.items.map((u) => u.name)).toEqual(["Ana Owner", "Ben Viewer"]);
    expect(page.items[0]).toMatchObject({
      userId: ana.id,
      role: "owner",
      status: "active",
      twoFactorEnabled: true,
    });
    expect(page.items[1]).toMatchObject({ userId: ben.id, status: "deactivated", twoFactorEnabled: false });
    expect(page.nextCursor).toBeNull();
  });

  it("searches names and emails, treating % and _ as ordinary characters", async () => {
    const { db } = await freshControl();
    const org = await organization(db);
    await person(db, org.id, "member", { name: "Percy 100% Sure", email: "percy@example.org" });
    await person(db, org.id, "member", { name: "Under_score", email: "under@example.org" });
    await person(db, org.id, "member", { name: "Plain Name", email: "plain_x@district.org" });

    const names = async (search: string) =>
      (await listUsers(db, org.id, { search })).items.map((u) => u.name);
    expect(await names("100%")).toEqual(["Percy 100% Sure"]);
    expect(await names("%")).toEqual(["Percy 100% Sure"]);
    expect(await names("_")).toEqual(["Plain Name", "Under_score"]);
    expect(await names("DISTRICT.ORG")).toEqual(["Plain Name"]);
  });

  it("filters by role and status", async () => {
    const { db } = await freshControl();
    const org = await organization(db);
    await person(db, org.id, "admin", { name: "A" });
    await person(db, org.id, "member", { name: "B" });
    await person(db, org.id, "member", { name: "C", status: "deactivated" });
    expect((await listUsers(db, org.id, { role: "member" })).items.map((u) => u.name)).toEqual(["B", "C"]);
    expect((await listUsers(db, org.id, { status: "deactivated" })).items.map((u) => u.name)).toEqual(["C"]);
    expect(
      (await listUsers(db, org.id, { role: "member", status: "active" })).items.map((u) => u.name),
    ).toEqual(["B"]);
  });

  it("pages through every sort in both directions without repeating or skipping anyone", async () => {
    const { db } = await freshControl();
    const org = await organization(db);
    const roles: Role[] = ["viewer", "member", "admin", "owner"];
    for (let i = 0; i < 11; i++) {
      // Repeated names and roles, mixed case: ties must be broken by id, names compared without case.
      await person(db, org.id, roles[i % 4]!, {
        name: i % 3 === 0 ? "same name" : `${i % 2 ? "b" : "B"}-${i}`,
        email: `u${String(i).padStart(2, "0")}@example.org`,
      });
    }
    for (const sort of ["name", "email", "role", "createdAt"] as const) {
      for (const direction of ["asc", "desc"] as const) {
        const all = (await listUsers(db, org.id, { sort, direction, limit: 100 })).items;
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await listUsers(db, org.id, { sort, direction, limit: 3, cursor });
          seen.push(...page.items.map((u) => u.userId));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        expect(seen, `${sort} ${direction}`).toEqual(all.map((u) => u.userId));
        expect(new Set(seen).size).toBe(11);
      }
    }
    const byRole = (await listUsers(db, org.id, { sort: "role" })).items.map((u) => u.role);
    expect(byRole.indexOf("owner")).toBe(0);
    expect(byRole.lastIndexOf("viewer")).toBe(10);
  });

  it("refuses a cursor it did not issue, or one from another sort, with 400 naming the cursor", async () => {
    const { db } = await freshControl();
    const org = await organization(db);
    for (let i = 0; i < 3; i++) await person(db, org.id, "member", { name: `N${i}` });
    const page = await listUsers(db, org.id, { limit: 1 });
    const mismatch = await errorOf(listUsers(db, org.id, { sort: "email", cursor: page.nextCursor! }));
    expect(mismatch.code).toBe("BAD_REQUEST");
    expect(mismatch.details.fieldErrors?.cursor).toBeDefined();
    expect((await errorOf(listUsers(db, org.id, { cursor: "garbage" }))).code).toBe("BAD_REQUEST");
  });

  it("finds an organization's members through the memberships index and users by key", async () => {
    const { db } = await freshControl();
    const org = await organization(db);
    for (const input of [
      { search: "x", role: "member" as const, status: "active" as const },
      { sort: "createdAt" as const, direction: "desc" as const },
    ]) {
      const query = listUsersQuery(db, org.id, listUsersInput.parse(input)).toSQL();
      const plan = await db.$client.execute({
        sql: `EXPLAIN QUERY PLAN ${query.sql}`,
        args: query.params as never,
      });
      const detail = plan.rows.map((r) => String(r.detail)).join("\n");
      expect(detail).toMatch(/SEARCH memberships USING INDEX memberships_tenant_idx \(tenant_id=\?\)/);
      expect(detail).toMatch(/SEARCH users USING INDEX sqlite_autoindex_users_1 \(id=\?\)/);
      expect(detail).not.toMatch(/SCAN (memberships|users)/);
    }
  });
});

describe("getting one user", () => {
  it("answers NOT_FOUND for a member of another organization", async () => {
    const { db } = await freshControl();
    const a = await organization(db);
    const b = await organization(db);
    const inA = await person(db, a.id, "member");
    expect((await getUser(db, a.id, inA.id)).userId).toBe(inA.id);
    expect((await errorOf(getUser(db, b.id, inA.id))).code).toBe("NOT_FOUND");
  });
});

describe("changing roles", () => {
  it("changes a role, ends the member's sessions, and audits before and after with IP and request id", async () => {
    const { db } = await freshControl();
    const org = await organization(db);
    const owner = await person(db, org.id, "owner");
    const bob = await person(db, org.id, "member");
    await changeMembership(actorFor(db, org, owner, "owner"), bob.id, { kind: "role", role: "admin" });

    expect((await getUser(db, org.id, bob.id)).role).toBe("admin");
    expect(await db.select().from(sessions).where(eq(sessions.userId, bob.id))).toHaveLength(0);
    expect(await resolveAccess(db, bob.token, org.slug)).toBeNull();
    const [entry] = await auditFor(db, bob.id);
    expect(entry).toMatchObject({
      action: "membership.role_changed",
      tenantId: org.id,
      actorId: owner.id,
      actorKind: "user",
      targetType: "user",
      before: { role: "member", status: "active" },
      after: { role: "admin", status: "active" },
      ip: "203.0.113.5",
      requestId: "req-test",
    });
  });

  it("does nothing and audits nothing when the role is already the one asked for", async () => {
    const { db } = await freshControl();
    const org = await organization(db);
    const owner = await person(db, org.id, "owner");
    const bob = await person(db, org.id, "member");
    const result = await changeMembership(actorFor(db, org, owner, "owner"), bob.id, {
      kind: "role",
      role: "member",
    });
    expect(result.changed).toBe(false);
    expect(await auditFor(db, bob.id)).toHaveLength(0);
    expect(await resolveAccess(db, bob.token, org.slug)).not.toBeNull();
  });

  it("lets only owners make someone an owner or change an owner", async () => {
    const { db } = await freshControl();
    const org = await organization(db);
    const owner = await person(db, org.id, "owner");
    const admin = await person(db, org.id, "admin");
    const bob = await person(db, org.id, "member");
    const asAdmin = actorFor(db, org, admin, "admin");
    expect((await errorOf(changeMembership(asAdmin, bob.id, { kind: "role", role: "owner" }))).code).toBe(
      "FORBIDDEN",
    );
    expect((await errorOf(changeMembership(asAdmin, owner.id, { kind: "role", role: "viewer" }))).code).toBe(
      "FORBIDDEN",
    );
    expect((await errorOf(changeMembership(asAdmin, owner.id, { kind: "deactivate" }))).code).toBe(
      "FORBIDDEN",
    );
    expect((await errorOf(changeMembership(asAdmin, owner.id, { kind: "remove" }))).code).toBe("FORBIDDEN");
    await changeMembership(actorFor(db, org, owner, "owner"), bob.id, { kind: "role", role: "owner" });
    expect((await getUser(db, org.id, bob.id)).role).toBe("owner");
    expect((await getUser(db, org.id, owner.id)).role).toBe("owner");
  });

  it("never demotes, deactivates or removes the last active owner", async () => {
    const { db } = await freshControl();
    const org = await organization(db);
    const owner = await person(db, org.id, "owner");
    const me = actorFor(db, org, owner, "owner");
    for (const change of [
      { kind: "role", role: "admin" },
      { kind: "deactivate" },
      { kind: "remove" },
    ] as const) {
      const error = await errorOf(changeMembership(me, owner.id, change));
      expect(error.code).toBe("CONFLICT");
      expect(error.userMessage).toMatch(/last active owner/);
    }
    expect((await getUser(db, org.id, owner.id)).role).toBe("owner");
    expect(await auditFor(db, owner.id)).toHaveLength(0);
  });

  it("does not count a deactivated owner as another active owner", async () => {
    const { db } = await freshControl();
    const org = await organization(db);
    const owner = await person(db, org.id, "owner");
    await person(db, org.id, "owner", { status: "deactivated" });
    const error = await errorOf(
      changeMembership(actorFor(db, org, owner, "owner"), owner.id, { kind: "deactivate" }),
    );
    expect(error.code).toBe("CONFLICT");
  });

  it("lets one of two owners step down but not both, even in one bulk action", async () => {
    const { db } = await freshControl();
    const org = await organization(db);
    const first = await person(db, org.id, "owner");
    const second = await person(db, org.id, "owner");
    const result = await changeMemberships(actorFor(db, org, first, "owner"), [first.id, second.id], {
      kind: "role",
      role: "admin",
    });
    expect(result.results).toEqual([
      { index: 0, ok: true, changed: true },
      { index: 1, ok: false, code: "CONFLICT", error: expect.stringMatching(/last active owner/) },
    ]);
    expect(result).toMatchObject({ changed: 1, failed: 1 });
    expect((await getUser(db, org.id, second.id)).role).toBe("owner");
    expect(await auditFor(db, second.id)).toHaveLength(0);
    expect(await auditFor(db, first.id)).toHaveLength(1);
  });

  it("keeps the current session of an owner who changes their own role", async () => {
    const { db } = await freshControl();
    const org = await organization(db);
    const first = await person(db, org.id, "owner");
    await person(db, org.id, "owner");
    const [own] = await db.select().from(sessions).where(eq(sessions.userId, first.id));
    const other = await createSession(db, first.id, { ip: null, userAgent: "other device" });
    await changeMembership(actorFor(db, org, first, "owner", own!.id), first.id, {
      kind: "role",
      role: "admin",
    });
    const left = await db.select().from(sessions).where(eq(sessions.userId, first.id));
    expect(left.map((s) => s.id)).toEqual([own!.id]);
    expect(await resolveAccess(db, other.token, org.slug)).toBeNull();
    expect((await resolveAccess(db, first.token, org.slug))?.tenant?.role).toBe("admin");
  });
});

describe("member lifecycle", () => {
  it("deactivates (ending sessions), reactivates, and removes while keeping the membership and its history", async () => {
    const { db } = await freshControl();
    const org = await organization(db);
    const owner = await person(db, org.id, "owner");
    const bob = await person(db, org.id, "member");
    const me = actorFor(db, org, owner, "owner");

    await changeMembership(me, bob.id, { kind: "deactivate" });
    expect((await getUser(db, org.id, bob.id)).status).toBe("deactivated");
    expect(await resolveAccess(db, bob.token, org.slug)).toBeNull();
    const fresh = await createSession(db, bob.id, { ip: null, userAgent: "again" });
    expect((await resolveAccess(db, fresh.token, org.slug))?.tenant?.role).toBeNull();

    await changeMembership(me, bob.id, { kind: "reactivate" });
    expect((await resolveAccess(db, fresh.token, org.slug))?.tenant?.role).toBe("member");

    await changeMembership(me, bob.id, { kind: "remove" });
    expect((await errorOf(getUser(db, org.id, bob.id))).code).toBe("NOT_FOUND");
    const [kept] = await db
      .select()
      .from(memberships)
      .where(and(eq(memberships.userId, bob.id), eq(memberships.tenantId, org.id)));
    expect(kept?.deletedAt).toBeInstanceOf(Date);
    expect((await auditFor(db, bob.id)).map((a) => a.action).sort()).toEqual([
      "membership.deactivated",
      "membership.reactivated",
      "membership.removed",
    ]);
    expect((await errorOf(changeMembership(me, bob.id, { kind: "reactivate" }))).code).toBe("NOT_FOUND");
  });

  it("cannot reach a user of another organization", async () => {
    const { db } = await freshControl();
    const a = await organization(db);
    const b = await organization(db);
    const ownerB = await person(db, b.id, "owner");
    const inA = await person(db, a.id, "member");
    for (const change of [
      { kind: "deactivate" },
      { kind: "remove" },
      { kind: "role", role: "viewer" },
    ] as const) {
      expect((await errorOf(changeMembership(actorFor(db, b, ownerB, "owner"), inA.id, change))).code).toBe(
        "NOT_FOUND",
      );
    }
    expect((await getUser(db, a.id, inA.id)).status).toBe("active");
    expect(await resolveAccess(db, inA.token, a.slug)).not.toBeNull();
  });
});

describe("bulk actions", () => {
  it("report one result per position asked: changed, already so, not found, forbidden, repeated", async () => {
    const { db } = await freshControl();
    const org = await organization(db);
    const other = await organization(db);
    const owner = await person(db, org.id, "owner");
    const admin = await person(db, org.id, "admin");
    const m1 = await person(db, org.id, "member");
    const m2 = await person(db, org.id, "member", { status: "deactivated" });
    const stranger = await person(db, other.id, "member");
    const result = await changeMemberships(
      actorFor(db, org, admin, "admin"),
      [m1.id, m2.id, stranger.id, owner.id, m1.id],
      { kind: "deactivate" },
    );
    expect(result.results).toEqual([
      { index: 0, ok: true, changed: true },
      { index: 1, ok: true, changed: false },
      { index: 2, ok: false, code: "NOT_FOUND", error: expect.any(String) },
      { index: 3, ok: false, code: "FORBIDDEN", error: expect.any(String) },
      { index: 4, ok: true, changed: false },
    ]);
    expect(JSON.stringify(result)).not.toContain(stranger.id);
    expect(result).toMatchObject({ changed: 1, failed: 2 });
    expect((await getUser(db, org.id, owner.id)).status).toBe("active");
    expect(await resolveAccess(db, stranger.token, other.slug)).not.toBeNull();
  });

  it("changes many roles in one call", async () => {
    const { db } = await freshControl();
    const org = await organization(db);
    const owner = await person(db, org.id, "owner");
    const people = [];
    for (let i = 0; i < 25; i++) people.push(await person(db, org.id, "viewer"));
    const result = await changeMemberships(
      actorFor(db, org, owner, "owner"),
      people.map((p) => p.id),
      {
        kind: "role",
        role: "member",
      },
    );
    expect(result).toMatchObject({ changed: 25, failed: 0 });
    expect((await listUsers(db, org.id, { role: "member", limit: 100 })).items).toHaveLength(25);
    const entries = await db.select().from(auditLog).where(eq(auditLog.action, "membership.role_changed"));
    expect(entries).toHaveLength(25);
  });
});

describe("exporting", () => {
  it("writes users as CSV with formula-looking cells made harmless, and audits the export", async () => {
    const { db } = await freshControl();
    const org = await organization(db);
    const owner = await person(db, org.id, "owner", { name: "Ada Lovelace" });
    await person(db, org.id, "member", { name: '=HYPERLINK("http://evil.example","x")' });
    await person(db, org.id, "member", { name: "+1 Plus" });
    await person(db, org.id, "member", { name: "-minus, with comma" });
    await person(db, org.id, "member", { name: "@at sign" });
    await person(db, org.id, "viewer", { name: 'Quote "Q" Person' });

    const file = await exportMembers(actorFor(db, org, owner, "owner"), { format: "csv", what: "users" });
    expect(file.contentType).toBe("text/csv; charset=utf-8");
    expect(file.filename).toMatch(new RegExp(`^${org.slug}-users-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    expect(file.rows).toBe(6);
    const lines = file.content.split("\r\n");
    expect(lines[0]).toBe("userId,name,email,role,status,twoFactorEnabled,joinedAt");
    const parsed = Papa.parse<Record<string, string>>(file.content, { header: true }).data;
    const names = parsed.map((r) => r.name);
    expect(names).toContain(`'=HYPERLINK("http://evil.example","x")`);
    expect(names).toContain("'+1 Plus");
    expect(names).toContain("'-minus, with comma");
    expect(names).toContain("'@at sign");
    expect(names).toContain('Quote "Q" Person');
    expect(names).toContain("Ada Lovelace");
    expect(parsed.every((r) => !/^[=+\-@]/.test(r.name ?? ""))).toBe(true);
    expect(parsed.find((r) => r.name === "Ada Lovelace")).toMatchObject({ role: "owner", status: "active" });

    const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, "users.exported"));
    expect(entry).toMatchObject({ tenantId: org.id, actorId: owner.id, after: { format: "csv", rows: 6 } });
  });

  it("writes invitations as JSON and CSV, showing a pending invitation past its expiry as expired", async () => {
    const { db } = await freshControl();
    const org = await organization(db);
    const other = await organization(db);
    const owner = await person(db, org.id, "owner");
    const now = new Date("2026-09-10T12:00:00Z");
    const invite = (tenantId: string, email: string, expiresAt: Date) => ({
      id: newId(),
      tenantId,
      email,
      role: "member" as const,
      tokenHash: newId(),
      status: "pending" as const,
      expiresAt,
      sendCount: 2,
      lastSentAt: new Date("2026-09-01T00:00:00Z"),
      createdAt: new Date("2026-08-30T00:00:00Z"),
      updatedAt: new Date("2026-08-30T00:00:00Z"),
    });
    await db
      .insert(invitations)
      .values([
        invite(org.id, "fresh@example.org", new Date("2026-09-20T00:00:00Z")),
        invite(org.id, "old@example.org", new Date("2026-09-05T00:00:00Z")),
        invite(other.id, "elsewhere@example.org", new Date("2026-09-20T00:00:00Z")),
      ]);
    const json = await exportMembers(
      actorFor(db, org, owner, "owner"),
      { format: "json", what: "invitations" },
      now,
    );
    expect(json.contentType).toBe("application/json");
    const rows = JSON.parse(json.content) as { email: string; status: string; sendCount: number }[];
    expect(rows.map((r) => [r.email, r.status]).sort()).toEqual([
      ["fresh@example.org", "pending"],
      ["old@example.org", "expired"],
    ]);
    expect(rows[0]).toMatchObject({ sendCount: 2, lastSentAt: "2026-09-01T00:00:00.000Z" });
    const csv = await exportMembers(
      actorFor(db, org, owner, "owner"),
      { format: "csv", what: "invitations" },
      now,
    );
    expect(csv.content.split("\r\n")[0]).toBe("email,role,status,expiresAt,createdAt,lastSentAt,sendCount");
    expect(csv.content).not.toContain("elsewhere");
  });

  it("makes formula-looking cells harmless however they start", () => {
    const csv = toCsv(["a"], [["=1+1"], ["\t=cmd"], ["plain"], [-5], [null]]);
    expect(csv.split("\r\n")).toEqual(["a", `"'=1+1"`, `"'\t=cmd"`, "plain", "-5", ""]);
  });
});
