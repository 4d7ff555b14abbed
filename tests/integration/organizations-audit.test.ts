import { describe, expect, it } from "vitest";
import { type AuditInput, auditRow } from "../../db/audit";
import type { ControlDb } from "../../db/client";
import { auditLog, memberships, tenants, users } from "../../db/control/schema";
import { AppError } from "../../shared/errors";
import { newId } from "../../shared/ids";
import { listAuditInput } from "../../shared/schemas/organizations";
import { listAudit, listAuditQuery } from "../../worker/packages/system/audit/list-audit";
import { freshControl } from "../support/databases";

async function organization(control: ControlDb) {
  const slug = `org-${crypto.randomUUID().slice(0, 8)}`;
  const now = new Date();
  const tenant = {
    id: newId(),
    slug,
    name: slug,
    status: "ready" as const,
    databaseName: `tenant-${slug}`,
    createdAt: now,
    updatedAt: now,
  };
  await control.insert(tenants).values(tenant);
  return tenant;
}

async function userIn(control: ControlDb, tenantId: string | null, name: string) {
  const now = new Date();
  const user = {
    id: newId(),
    email: `${name.toLowerCase()}@example.org`,
    name,
    createdAt: now,
    updatedAt: now,
  };
  await control.insert(users).values(user);
  if (tenantId) {
    await control
      .insert(memberships)
      .values({ id: newId(), userId: user.id, tenantId, role: "member", createdAt: now });
  }
  return user;
}

/** Entries one second apart from 2026-09-01T08:00Z, in the order given. */
async function record(control: ControlDb, inputs: AuditInput[]) {
  const start = Date.UTC(2026, 8, 1, 8);
  const rows = inputs.map((input, i) => auditRow(input, new Date(start + i * 1000)));
  await control.insert(auditLog).values(rows);
  return rows;
}

async function world() {
  const { db } = await freshControl();
  const a = await organization(db);
  const b = await organization(db);
  const ann = await userIn(db, a.id, "Ann");
  const bea = await userIn(db, b.id, "Bea");
  const loner = await userIn(db, null, "Loner");
  const user = (actorId: string) => ({ actorKind: "user" as const, actorId });
  const rows = await record(db, [
    /* 0 */ {
      ...user(ann.id),
      action: "auth.signed_in",
      targetType: "session",
      targetId: "s1",
      ip: "203.0.113.1",
    },
    /* 1 */ {
      ...user(ann.id),
      tenantId: a.id,
      action: "membership.role_changed",
      targetType: "user",
      targetId: ann.id,
      before: { role: "member" },
      after: { role: "admin" },
      ip: "203.0.113.2",
      requestId: "req-1",
    },
    /* 2 */ {
      ...user(bea.id),
      tenantId: b.id,
      action: "tenant.settings_updated",
      targetType: "tenant",
      targetId: b.id,
    },
    /* 3 */ { ...user(bea.id), action: "auth.signed_in", targetType: "session", targetId: "s2" },
    /* 4 */ { ...user(loner.id), action: "auth.signed_in", targetType: "session", targetId: "s3" },
    /* 5 */ { ...user(ann.id), tenantId: b.id, action: "auth.second_factor_failed", targetType: "user" },
    /* 6 */ { ...user(ann.id), action: "profile.updated", targetType: "user", targetId: ann.id },
    /* 7 */ {
      actorKind: "system",
      tenantId: a.id,
      action: "tenant.provisioned",
      targetType: "tenant",
      targetId: a.id,
    },
    /* 8 */ { ...user(ann.id), action: "auth.sign_in_failed", targetType: "user", targetId: ann.id },
  ]);
  return { db, a, b, ann, bea, rows };
}

describe("an organization's audit log", () => {
  it("holds the organization's entries and its members' sign-in events, newest first, and nothing else", async () => {
    const { db, a, rows } = await world();
    const page = await listAudit(db, a.id, {});
    expect(page.items.map((e) => e.id)).toEqual([rows[8]!.id, rows[7]!.id, rows[1]!.id, rows[0]!.id]);
    expect(page.nextCursor).toBeNull();
  });

  it("names the actor and the target user, and gives before, after, IP and request id", async () => {
    const { db, a, ann, rows } = await world();
    const entry = (await listAudit(db, a.id, {})).items.find((e) => e.id === rows[1]!.id);
    expect(entry).toEqual({
      id: rows[1]!.id,
      at: "2026-09-01T08:00:01.000Z",
      action: "membership.role_changed",
      actorKind: "user",
      actorId: ann.id,
      actor: { id: ann.id, name: "Ann", email: "ann@example.org" },
      targetType: "user",
      targetId: ann.id,
      targetUser: { id: ann.id, name: "Ann", email: "ann@example.org" },
      before: { role: "member" },
      after: { role: "admin" },
      ip: "203.0.113.2",
      requestId: "req-1",
    });
    const system = (await listAudit(db, a.id, {})).items.find((e) => e.id === rows[7]!.id);
    expect(system).toMatchObject({ actorKind: "system", actor: null, targetUser: null, before: null });
  });

  it("filters by action prefix, text in the action, actor, target type and dates", async () => {
    const { db, a, ann, rows } = await world();
    const ids = async (input: Parameters<typeof listAudit>[2]) =>
      (await listAudit(db, a.id, input)).items.map((e) => e.id);
    expect(await ids({ action: "auth." })).toEqual([rows[8]!.id, rows[0]!.id]);
    expect(await ids({ action: "auth.sign_in" })).toEqual([rows[8]!.id]);
    expect(await ids({ action: "auth%" })).toEqual([]);
    expect(await ids({ search: "ROLE" })).toEqual([rows[1]!.id]);
    expect(await ids({ search: "_" })).toEqual([rows[8]!.id, rows[1]!.id, rows[0]!.id]);
    expect(await ids({ search: "n_i" })).toEqual([rows[8]!.id]);
    expect(await ids({ actorId: ann.id })).toEqual([rows[8]!.id, rows[1]!.id, rows[0]!.id]);
    expect(await ids({ targetType: "tenant" })).toEqual([rows[7]!.id]);
    expect(await ids({ from: "2026-09-01T08:00:01Z", to: "2026-09-01T08:00:07Z" })).toEqual([
      rows[7]!.id,
      rows[1]!.id,
    ]);
  });

  it("pages newest first without repeats, also through entries recorded in the same millisecond", async () => {
    const { db, a } = await world();
    const at = new Date(Date.UTC(2026, 8, 2));
    await db
      .insert(auditLog)
      .values(
        Array.from({ length: 7 }, () =>
          auditRow({ actorKind: "system", tenantId: a.id, action: "tenant.tick", targetType: "tenant" }, at),
        ),
      );
    const all = (await listAudit(db, a.id, { limit: 100 })).items.map((e) => e.id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listAudit(db, a.id, { limit: 2, cursor });
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all);
    expect(seen).toHaveLength(11);
  });

  it("refuses a cursor it did not issue and dates the wrong way round", async () => {
    const { db, a } = await world();
    const bad = await listAudit(db, a.id, { cursor: btoa('["x"]') }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(AppError);
    expect((bad as AppError).details.fieldErrors?.cursor).toBeDefined();
    const reversed = listAuditInput.safeParse({ from: "2026-09-02T00:00:00Z", to: "2026-09-01T00:00:00Z" });
    expect(reversed.error?.issues[0]?.path).toEqual(["to"]);
  });

  it("reads through the audit log's indexes, never a full table scan", async () => {
    const { db, a, ann } = await world();
    for (const input of [{}, { actorId: ann.id }, { action: "membership." }]) {
      const query = listAuditQuery(db, a.id, listAuditInput.parse(input)).toSQL();
      const plan = await db.$client.execute({
        sql: `EXPLAIN QUERY PLAN ${query.sql}`,
        args: query.params as never,
      });
      const detail = plan.rows.map((r) => String(r.detail)).join("\n");
      expect(detail, JSON.stringify(input)).toMatch(/audit_log USING INDEX audit_log_(at|actor|tenant)_idx/);
      expect(detail).not.toMatch(/SCAN audit_log\b(?! USING)/);
      expect(detail).toMatch(/memberships USING (COVERING )?INDEX memberships_tenant_idx/);
    }
  });
});
