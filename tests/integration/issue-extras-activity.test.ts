import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, issueHistory, issueWatchers, notifications } from "../../db/tenant/schema";
import { AppError } from "../../shared/errors";
import { historyRows } from "../../worker/packages/projects/activity/history";
import { listActivity } from "../../worker/packages/projects/activity/list";
import { createComment } from "../../worker/packages/projects/comments/create";
import { deleteComment } from "../../worker/packages/projects/comments/delete";
import { updateComment } from "../../worker/packages/projects/comments/update";
import { createLink } from "../../worker/packages/projects/links/create";
import { listNotifications, unreadCount } from "../../worker/packages/projects/notifications/list";
import { notify, notifyWatchers } from "../../worker/packages/projects/notifications/notify";
import { markAllRead, markRead } from "../../worker/packages/projects/notifications/read";
import {
  addWatchers,
  removeWatcher,
  unwatchIssue,
  watchIssue,
} from "../../worker/packages/projects/watchers/change";
import { listWatchers } from "../../worker/packages/projects/watchers/list";
import { freshControl, freshTenantDb } from "../support/databases";
import { insertIssue, issueOrganization } from "../support/issues";

async function setup() {
  const { db: control } = await freshControl();
  const { db, namespace } = await freshTenantDb();
  return issueOrganization(control, db, namespace);
}

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("watchers", () => {
  it("watch and unwatch themselves, idempotently, each change audited once", async () => {
    const org = await setup();
    const ana = await org.person("viewer", { name: "Ana Viewer" });
    const issue = await insertIssue(org.db);
    expect(await watchIssue(ana.ctx, issue.id)).toEqual({ watching: true });
    await watchIssue(ana.ctx, issue.id);
    const listed = await listWatchers(org.db, { control: org.control, userId: ana.id, issueId: issue.id });
    expect(listed.watching).toBe(true);
    expect(listed.items).toEqual([
      expect.objectContaining({ userId: ana.id, name: "Ana Viewer", email: ana.email }),
    ]);

    expect(await unwatchIssue(ana.ctx, issue.id)).toEqual({ watching: false });
    await unwatchIssue(ana.ctx, issue.id);
    const after = await listWatchers(org.db, { control: org.control, userId: ana.id, issueId: issue.id });
    expect(after).toEqual({ items: [], watching: false });
    const audit = await org.db.select().from(auditLog).where(eq(auditLog.targetId, issue.id));
    expect(audit.map((r) => r.action).sort()).toEqual(["issue.watcher_added", "issue.watcher_removed"]);
  });

  it("are added for others only when they are active members, and removed", async () => {
    const org = await setup();
    const other = await setup();
    const ana = await org.person("member");
    const ben = await org.person("member", { name: "Ben" });
    const away = await org.person("member", { status: "deactivated" });
    const closed = await org.person("member", { account: "deactivated" });
    const outsider = await other.person("member");
    const issue = await insertIssue(org.db);
    await watchIssue(ana.ctx, issue.id);

    const result = await addWatchers(ana.ctx, {
      issueId: issue.id,
      userIds: [ben.id, ana.id, away.id, closed.id, outsider.id, "no-such-user"],
    });
    expect(result.added).toEqual([ben.id]);
    expect(result.alreadyWatching).toEqual([ana.id]);
    expect(result.rejected.map((r) => r.userId).sort()).toEqual(
      [away.id, closed.id, outsider.id, "no-such-user"].sort(),
    );
    const watchers = await org.db.select().from(issueWatchers);
    expect(watchers.map((w) => w.userId).sort()).toEqual([ana.id, ben.id].sort());

    expect(await removeWatcher(ana.ctx, { issueId: issue.id, userId: ben.id })).toEqual({
      removed: true,
    });
    expect(await removeWatcher(ana.ctx, { issueId: issue.id, userId: ben.id })).toEqual({
      removed: false,
    });
  });

  it("of another organization's issue answer NOT_FOUND and nothing is written", async () => {
    const org = await setup();
    const other = await setup();
    const ana = await org.person("member");
    const theirs = await insertIssue(other.db);
    expect((await errorOf(watchIssue(ana.ctx, theirs.id))).code).toBe("NOT_FOUND");
    expect((await errorOf(addWatchers(ana.ctx, { issueId: theirs.id, userIds: [ana.id] }))).code).toBe(
      "NOT_FOUND",
    );
    expect(await org.db.select().from(issueWatchers)).toEqual([]);
    expect(await other.db.select().from(issueWatchers)).toEqual([]);
  });
});

describe("the activity feed", () => {
  it("merges field history and comments in time order, with the actors' names, both ways and page by page", async () => {
    const org = await setup();
    const ana = await org.person("member", { name: "Ana Agent" });
    const ben = await org.person("member", { name: "Ben Boss" });
    const issue = await insertIssue(org.db);
    const other = await insertIssue(org.db, { title: "Switch failure" });
    const t0 = Date.UTC(2026, 8, 1, 8);
    // A status change recorded by the issue core through historyRows, an hour before the rest.
    await org.db
      .insert(issueHistory)
      .values(
        historyRows(
          issue.id,
          ben.id,
          { status: "new", priority: "medium" },
          { status: "in_progress", priority: "medium" },
          "req-1",
          new Date(t0),
        ),
      );
    const comment = await createComment(ana.ctx, {
      issueId: issue.id,
      body: "Replaced the patch cable",
      visibility: "internal",
    });
    const link = await createLink(ben.ctx, { fromIssueId: issue.id, toIssueId: other.id, kind: "caused_by" });
    const deleted = await createComment(ben.ctx, { issueId: issue.id, body: "Oops", visibility: "public" });
    await deleteComment(ben.ctx, deleted.id);

    const feed = await listActivity(org.db, { control: org.control, input: { issueId: issue.id } });
    expect(
      feed.items.map((item) =>
        item.kind === "change"
          ? ["change", item.field, item.actor?.name, item.before, item.after]
          : ["comment", item.comment.body, item.actor.name],
      ),
    ).toEqual([
      ["change", "status", "Ben Boss", "new", "in_progress"],
      ["comment", "Replaced the patch cable", "Ana Agent"],
      [
        "change",
        "link",
        "Ben Boss",
        null,
        { id: link.id, kind: "caused_by", direction: "outgoing", issueId: other.id, number: other.number },
      ],
      ["comment", null, "Ben Boss"],
      ["change", "comment", "Ben Boss", { id: deleted.id, visibility: "public", excerpt: null }, null],
    ]);
    expect(feed.items[1]).toMatchObject({
      kind: "comment",
      id: comment.id,
      comment: { visibility: "internal" },
    });
    expect(feed.nextCursor).toBeNull();

    const newest = await listActivity(org.db, {
      control: org.control,
      input: { issueId: issue.id, order: "desc" },
    });
    expect(newest.items.map((i) => i.id)).toEqual(feed.items.map((i) => i.id).reverse());

    for (const order of ["asc", "desc"] as const) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listActivity(org.db, {
          control: org.control,
          input: { issueId: issue.id, order, limit: 1, cursor },
        });
        expect(page.items.length).toBeLessThanOrEqual(1);
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual((order === "asc" ? feed : newest).items.map((i) => i.id));
    }
  });

  it("shows comment edits and deletions as changes of `comment`, quoting only comments still public and not deleted", async () => {
    const org = await setup();
    const ana = await org.person("member", { name: "Ana Agent" });
    const issue = await insertIssue(org.db);
    const comment = (body: string, visibility: "internal" | "public") =>
      createComment(ana.ctx, { issueId: issue.id, body, visibility });
    const edit = (id: string, body: string, visibility?: "internal" | "public") =>
      updateComment(ana.ctx, { id, body, ...(visibility ? { visibility } : {}) });
    const shown = await comment("Toner ordered", "public");
    await edit(shown.id, "Toner ordered, arrives Monday");
    const internal = await comment("Vendor contract number 4471", "internal");
    await edit(internal.id, "Vendor contract number 4472");
    const hidden = await comment("Try turning it off and on", "public");
    await edit(hidden.id, "Try turning it off and on again");
    await edit(hidden.id, "Try turning it off and on again", "internal");
    const removed = await comment("Room 12 projector fixed", "public");
    await edit(removed.id, "Room 12 projector fixed for good");
    await deleteComment(ana.ctx, removed.id);

    const feed = await listActivity(org.db, { control: org.control, input: { issueId: issue.id } });
    const changes = feed.items.filter((i) => i.kind === "change");
    expect(changes.every((c) => c.field === "comment" && c.actor?.name === "Ana Agent")).toBe(true);
    const view = (id: string) =>
      changes.filter((c) => (c.before as { id: string }).id === id).map((c) => [c.before, c.after]);
    const side = (id: string, visibility: string, excerpt: string | null) => ({ id, visibility, excerpt });
    // Additions are the comments themselves, never a change as well.
    expect(feed.items.filter((i) => i.kind === "comment").map((i) => i.id)).toEqual([
      shown.id,
      internal.id,
      hidden.id,
      removed.id,
    ]);
    expect(view(shown.id)).toEqual([
      [side(shown.id, "public", "Toner ordered"), side(shown.id, "public", "Toner ordered, arrives Monday")],
    ]);
    expect(view(internal.id)).toEqual([
      [side(internal.id, "internal", null), side(internal.id, "internal", null)],
    ]);
    // Made internal later: what the history quoted while it was public is no longer shown.
    expect(view(hidden.id)).toEqual([
      [side(hidden.id, "public", null), side(hidden.id, "public", null)],
      [side(hidden.id, "public", null), side(hidden.id, "internal", null)],
    ]);
    // Deleted: its edits lose their quotes, and the deletion is a change to null.
    expect(view(removed.id)).toEqual([
      [side(removed.id, "public", null), side(removed.id, "public", null)],
      [side(removed.id, "public", null), null],
    ]);
    const text = JSON.stringify(changes);
    for (const gone of ["4471", "4472", "off and on", "projector fixed"]) expect(text).not.toContain(gone);
  });

  it("of another organization's issue answers NOT_FOUND", async () => {
    const org = await setup();
    const other = await setup();
    const theirs = await insertIssue(other.db);
    const error = await errorOf(
      listActivity(org.db, { control: org.control, input: { issueId: theirs.id } }),
    );
    expect(error.code).toBe("NOT_FOUND");
  });

  it("records only changed fields through historyRows, comparing dates, arrays and objects by value", () => {
    const due = new Date(Date.UTC(2026, 9, 1));
    const rows = historyRows(
      "issue-1",
      "user-1",
      {
        status: "new",
        dueAt: due,
        tags: ["wifi"],
        details: { risk: "low", window: { from: 1 } },
        updatedAt: new Date(1),
        version: 1,
        title: "Same",
      },
      {
        status: "in_progress",
        dueAt: new Date(due.getTime()),
        tags: ["wifi", "library"],
        details: { window: { from: 1 }, risk: "low" },
        updatedAt: new Date(2),
        version: 2,
        title: "Same",
        assigneeUserId: "user-2",
        description: undefined,
      },
      "req-9",
    );
    expect(rows.map((r) => [r.field, r.before, r.after, r.requestId, r.actorId])).toEqual([
      ["status", "new", "in_progress", "req-9", "user-1"],
      ["tags", ["wifi"], ["wifi", "library"], "req-9", "user-1"],
      ["assigneeUserId", null, "user-2", "req-9", "user-1"],
    ]);
  });
});

describe("the notification centre", () => {
  it("never notifies the actor and sends each person one notification per event", async () => {
    const org = await setup();
    const ana = await org.person("member");
    const ben = await org.person("member");
    const issue = await insertIssue(org.db);
    const statements = notify(org.db, {
      userIds: [ana.id, ben.id, ben.id],
      kind: "assigned",
      issueId: issue.id,
      actorId: ana.id,
      summary: "Ana assigned you #1",
    });
    expect(statements).toHaveLength(1);
    expect(
      notify(org.db, {
        userIds: [ana.id],
        kind: "assigned",
        issueId: issue.id,
        actorId: ana.id,
        summary: "x",
      }),
    ).toEqual([]);
    await org.db.batch([statements[0]!]);
    const sent = await org.db.select().from(notifications);
    expect(sent.map((n) => n.userId)).toEqual([ben.id]);

    await org.db.insert(issueWatchers).values([
      { issueId: issue.id, userId: ana.id, createdAt: new Date() },
      { issueId: issue.id, userId: ben.id, createdAt: new Date() },
    ]);
    expect(await notifyWatchers(org.db, issue.id, ben.id, "Ben changed the status")).toHaveLength(1);
    expect(await notifyWatchers(org.db, issue.id, ben.id, "Ben changed it", { except: [ana.id] })).toEqual(
      [],
    );
  });

  it("lists the caller's own notifications newest first, counts unread ones and marks them read", async () => {
    const org = await setup();
    const ana = await org.person("member", { name: "Ana Agent" });
    const ben = await org.person("member");
    const issue = await insertIssue(org.db, { title: "Broken chair" });
    const at = (minute: number) => new Date(Date.UTC(2026, 8, 1, 9, minute));
    for (const [minute, who] of [
      [1, ben.id],
      [2, ben.id],
      [3, ben.id],
      [4, ana.id],
    ] as const) {
      const statements = notify(
        org.db,
        {
          userIds: [who],
          kind: "watched_change",
          issueId: issue.id,
          actorId: ana.id,
          summary: `change ${minute}`,
        },
        at(minute),
      );
      for (const statement of statements) await statement;
    }
    // Ana's own notification above was dropped (she was the actor): she has none.
    expect(await unreadCount(org.db, ana.id)).toEqual({ count: 0 });
    expect(await unreadCount(org.db, ben.id)).toEqual({ count: 3 });

    const page = await listNotifications(org.db, {
      control: org.control,
      userId: ben.id,
      input: { limit: 2 },
    });
    expect(page.items.map((n) => n.summary)).toEqual(["change 3", "change 2"]);
    expect(page.items[0]).toMatchObject({
      kind: "watched_change",
      issue: { id: issue.id, title: "Broken chair" },
      actor: { id: ana.id, name: "Ana Agent" },
      readAt: null,
    });
    const rest = await listNotifications(org.db, {
      control: org.control,
      userId: ben.id,
      input: { limit: 2, cursor: page.nextCursor! },
    });
    expect(rest.items.map((n) => n.summary)).toEqual(["change 1"]);

    // Ana cannot mark Ben's notifications read.
    expect(await markRead(ana.ctx, { ids: [page.items[0]!.id] })).toEqual({ updated: 0 });
    expect(await markRead(ben.ctx, { ids: [page.items[0]!.id] })).toEqual({ updated: 1 });
    expect(await markRead(ben.ctx, { ids: [page.items[0]!.id] })).toEqual({ updated: 0 });
    expect(await unreadCount(org.db, ben.id)).toEqual({ count: 2 });
    const unread = await listNotifications(org.db, {
      control: org.control,
      userId: ben.id,
      input: { unreadOnly: true },
    });
    expect(unread.items.map((n) => n.summary)).toEqual(["change 2", "change 1"]);

    // Only what was there up to the moment the person looked.
    expect(await markAllRead(ben.ctx, { upTo: at(1).toISOString() })).toEqual({
      updated: 1,
    });
    expect(await markAllRead(ben.ctx, {})).toEqual({ updated: 1 });
    expect(await unreadCount(org.db, ben.id)).toEqual({ count: 0 });
    const audit = await org.db.select().from(auditLog).where(eq(auditLog.actorId, ben.id));
    expect(audit.map((r) => r.action).sort()).toEqual([
      "notification.all_marked_read",
      "notification.all_marked_read",
      "notification.marked_read",
    ]);
  });
});
