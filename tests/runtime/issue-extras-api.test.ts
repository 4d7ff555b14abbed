import { SELF } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openClient } from "../../db/client";
import { memberships } from "../../db/control/schema";
import { issueWatchers, notifications } from "../../db/tenant/schema";
import { newId } from "../../shared/ids";
import type { Role } from "../../shared/permissions";
import { TENANT_HEADER } from "../../shared/transport";
import { createSession } from "../../worker/auth/session";
import { openTenant } from "../../worker/data";
import { createUser } from "../support/fixtures";
import { insertIssue } from "../support/issues";
import { control, member, ORIGIN, plane, testEnv, trpcQuery } from "./support";

// biome-ignore lint/suspicious/noExplicitAny: assertions read whatever shape each answer has
type Json = any;
type Caller = { token: string; tenant: { id: string; slug: string } };

async function mutate(who: Caller, path: string, input: unknown) {
  const response = await SELF.fetch(`${ORIGIN}/trpc/projects.${path}`, {
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

function query(who: Caller, path: string, input: unknown) {
  return trpcQuery(`projects.${path}`, input, { token: who.token, tenant: who.tenant.slug });
}

/** Another person in `who`'s organization with `role`, signed in. */
async function colleague(who: Caller, role: Role, name = "Colleague") {
  const user = await createUser(control());
  await control().insert(memberships).values({
    id: newId(),
    userId: user.id,
    tenantId: who.tenant.id,
    role,
    createdAt: new Date(),
  });
  const { token } = await createSession(control(), user.id, { ip: null, userAgent: "test" });
  return { user: { ...user, name }, token, tenant: who.tenant };
}

/** Every row of every table of the organization's database: equal before and after means nothing changed. */
async function digest(tenant: Parameters<ReturnType<typeof plane>["tenant"]>[0]) {
  const client = openClient(plane().tenant(tenant));
  const tables = await client.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_\\_%' ESCAPE '\\' ORDER BY name",
  );
  const parts: unknown[] = [];
  for (const { name } of tables.rows) {
    const rows = (await client.execute(`SELECT * FROM "${String(name)}"`)).rows.map((r) => JSON.stringify(r));
    parts.push([name, rows.sort()]);
  }
  client.close();
  return JSON.stringify(parts);
}

describe("the API around issues", () => {
  it("answers malformed input to every procedure with 400 and field errors, and writes nothing", async () => {
    const owner = await member("owner");
    const db = openTenant(testEnv, owner.tenant);
    const issue = await insertIssue(db);
    const before = await digest(owner.tenant);
    const queries: [string, unknown][] = [
      ["comments.list", { issueId: "" }],
      ["attachments.list", {}],
      ["links.list", { issueId: 42 }],
      ["watchers.list", {}],
      ["activity.list", { issueId: issue.id, order: "sideways" }],
      ["activity.list", { issueId: issue.id, cursor: "not-a-cursor" }],
      ["comments.list", { issueId: issue.id, limit: 0 }],
      ["notifications.list", { limit: 1000 }],
      ["notifications.unreadCount", { everything: true }],
      ["catalog.categories.list", { includeArchived: "yes" }],
      ["catalog.requestTypes.list", { categoryId: "" }],
      ["catalog.requestTypes.get", {}],
    ];
    const mutations: [string, unknown][] = [
      ["comments.create", { issueId: issue.id, body: "x".repeat(20_001) }],
      ["comments.create", { issueId: issue.id, body: "   " }],
      ["comments.create", { issueId: issue.id, body: "Fine", visibility: "secret" }],
      ["comments.update", { id: newId(), body: 5 }],
      ["comments.delete", { id: 7 }],
      ["attachments.delete", { id: "" }],
      ["links.create", { fromIssueId: issue.id, toIssueId: issue.id, kind: "relates_to" }],
      ["links.create", { fromIssueId: issue.id, toIssueId: newId(), kind: "parent_of" }],
      ["links.delete", {}],
      ["watchers.watch", { issueId: "" }],
      ["watchers.unwatch", {}],
      ["watchers.add", { issueId: issue.id, userIds: [] }],
      ["watchers.add", { issueId: issue.id, userIds: Array.from({ length: 51 }, () => newId()) }],
      ["watchers.remove", { issueId: issue.id }],
      ["notifications.markRead", { ids: [] }],
      ["notifications.markAllRead", { upTo: "yesterday" }],
      ["catalog.categories.create", { name: "" }],
      ["catalog.categories.update", { id: newId() }],
      ["catalog.categories.archive", {}],
      ["catalog.categories.restore", { id: "" }],
      ["catalog.requestTypes.create", { categoryId: newId(), name: "Laptop", issueType: "ticket" }],
      [
        "catalog.requestTypes.create",
        {
          categoryId: newId(),
          name: "Laptop",
          issueType: "repair",
          fields: [{ key: "Asset Tag", label: "Asset tag", kind: "select" }],
        },
      ],
      [
        "catalog.requestTypes.create",
        {
          categoryId: newId(),
          name: "Laptop",
          issueType: "repair",
          defaultProject: { scope: "global", id: "x" },
        },
      ],
      ["catalog.requestTypes.update", { id: newId() }],
      ["catalog.requestTypes.archive", {}],
      ["catalog.requestTypes.restore", { id: 1 }],
    ];
    for (const [path, input] of queries) {
      const result = await query(owner, path, input);
      expect(result.status, `${path} ${JSON.stringify(result.body)}`).toBe(400);
      expect(Object.keys(result.body.error.data.fieldErrors ?? {}).length, path).toBeGreaterThan(0);
    }
    for (const [path, input] of mutations) {
      const result = await mutate(owner, path, input);
      expect(result.status, `${path} ${JSON.stringify(result.body)}`).toBe(400);
      expect(Object.keys(result.body.error.data.fieldErrors ?? {}).length, path).toBeGreaterThan(0);
    }
    expect(await digest(owner.tenant)).toBe(before);
  });

  it("lets members discuss an issue and mention a colleague, who is notified and marks it read", async () => {
    const ana = await member("member");
    const ben = await colleague(ana, "viewer", "Ben Viewer");
    const db = openTenant(testEnv, ana.tenant);
    const issue = await insertIssue(db, { title: "Smartboard flickers in room 4" });

    const created = await mutate(ana, "comments.create", {
      issueId: issue.id,
      body: `Could you look, @[Ben](${ben.user.id})?`,
      visibility: "internal",
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body.result.data).toMatchObject({ author: { id: ana.user.id }, visibility: "internal" });

    // Viewers read everything, write nothing, but follow issues and handle their own notifications.
    const thread = await query(ben, "comments.list", { issueId: issue.id });
    expect(thread.body.result.data.items).toHaveLength(1);
    expect((await mutate(ben, "comments.create", { issueId: issue.id, body: "Me too" })).status).toBe(403);
    expect((await mutate(ben, "watchers.watch", { issueId: issue.id })).status).toBe(200);
    // Ana watches too: commenting made her a watcher.
    const watching = await db.select().from(issueWatchers).where(eq(issueWatchers.issueId, issue.id));
    expect(watching.map((w) => w.userId).sort()).toEqual([ana.user.id, ben.user.id].sort());

    const count = await query(ben, "notifications.unreadCount", undefined);
    expect(count.body.result.data).toEqual({ count: 1 });
    const inbox = await query(ben, "notifications.list", { unreadOnly: true });
    const [note] = inbox.body.result.data.items;
    expect(note).toMatchObject({
      kind: "mentioned",
      issue: { id: issue.id, title: "Smartboard flickers in room 4" },
      actor: { id: ana.user.id },
    });
    expect((await query(ana, "notifications.unreadCount", undefined)).body.result.data).toEqual({ count: 0 });

    const marked = await mutate(ben, "notifications.markRead", { ids: [note.id] });
    expect(marked.body.result.data).toEqual({ updated: 1 });
    expect((await query(ben, "notifications.unreadCount", undefined)).body.result.data).toEqual({ count: 0 });

    // Ana's next comment reaches Ben as a watcher.
    await mutate(ana, "comments.create", { issueId: issue.id, body: "Replaced the HDMI cable." });
    const rows = await db.select().from(notifications).where(eq(notifications.userId, ben.user.id));
    expect(rows.map((r) => r.kind).sort()).toEqual(["mentioned", "watched_change"]);

    const feed = await query(ana, "activity.list", { issueId: issue.id });
    expect(feed.status).toBe(200);
    expect(feed.body.result.data.items.map((i: Json) => i.kind)).toEqual(["comment", "comment"]);
  });

  it("keeps the catalog's changes to administrators, and answers a missing default project with 404", async () => {
    const admin = await member("admin");
    const agent = await colleague(admin, "member");
    expect((await mutate(agent, "catalog.categories.create", { name: "Hardware" })).status).toBe(403);
    const category = await mutate(admin, "catalog.categories.create", { name: "Hardware" });
    expect(category.status).toBe(200);
    const missing = await mutate(admin, "catalog.requestTypes.create", {
      categoryId: category.body.result.data.id,
      name: "Laptop repair",
      issueType: "repair",
      defaultProject: { scope: "tenant", id: newId() },
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error.data.fieldErrors).toHaveProperty(["defaultProject.id"]);
    const made = await mutate(admin, "catalog.requestTypes.create", {
      categoryId: category.body.result.data.id,
      name: "Laptop repair",
      issueType: "repair",
      fields: [{ key: "asset_tag", label: "Asset tag", kind: "text", required: true }],
    });
    expect(made.status).toBe(200);
    const listed = await query(agent, "catalog.requestTypes.list", {});
    expect(listed.body.result.data.items.map((t: Json) => t.name)).toEqual(["Laptop repair"]);
  });
});
