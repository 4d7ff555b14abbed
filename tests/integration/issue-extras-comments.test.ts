import { and, eq, isNotNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, issueComments, issueHistory, issueWatchers, notifications } from "../../db/tenant/schema";
import { AppError } from "../../shared/errors";
import { createComment } from "../../worker/packages/projects/comments/create";
import { deleteComment } from "../../worker/packages/projects/comments/delete";
import { listComments } from "../../worker/packages/projects/comments/list";
import { parseMentions } from "../../worker/packages/projects/comments/mentions";
import { updateComment } from "../../worker/packages/projects/comments/update";
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

describe("comments", () => {
  it("are listed oldest first, internal and public alike, with their authors' names", async () => {
    const org = await setup();
    const ana = await org.person("member", { name: "Ana Agent" });
    const ben = await org.person("admin", { name: "Ben Boss" });
    const issue = await insertIssue(org.db);
    const first = await createComment(ana.ctx, {
      issueId: issue.id,
      body: "  Checked the cable.  ",
      visibility: "internal",
    });
    const second = await createComment(ben.ctx, {
      issueId: issue.id,
      body: "We are on it.",
      visibility: "public",
    });
    expect(first).toMatchObject({ body: "Checked the cable.", visibility: "internal", editedAt: null });

    const page = await listComments(org.db, { control: org.control, input: { issueId: issue.id } });
    expect(page.items.map((c) => [c.id, c.author.name, c.visibility])).toEqual([
      [first.id, "Ana Agent", "internal"],
      [second.id, "Ben Boss", "public"],
    ]);
    expect(page.nextCursor).toBeNull();

    const one = await listComments(org.db, { control: org.control, input: { issueId: issue.id, limit: 1 } });
    expect(one.items.map((c) => c.id)).toEqual([first.id]);
    const rest = await listComments(org.db, {
      control: org.control,
      input: { issueId: issue.id, limit: 1, cursor: one.nextCursor! },
    });
    expect(rest.items.map((c) => c.id)).toEqual([second.id]);
    expect(rest.nextCursor).toBeNull();
  });

  it("leave a history row and an audit entry with before, after, ip and request id", async () => {
    const org = await setup();
    const ana = await org.person("member");
    const issue = await insertIssue(org.db);
    const created = await createComment(ana.ctx, {
      issueId: issue.id,
      body: "First look done",
      visibility: "public",
    });
    const history = await org.db.select().from(issueHistory).where(eq(issueHistory.issueId, issue.id));
    expect(history).toEqual([
      expect.objectContaining({
        field: "comment",
        actorId: ana.id,
        before: null,
        after: { id: created.id, visibility: "public", excerpt: "First look done" },
        requestId: ana.actor.requestId,
      }),
    ]);
    const [audit] = await org.db.select().from(auditLog).where(eq(auditLog.targetId, created.id));
    expect(audit).toMatchObject({
      action: "issue_comment.created",
      actorKind: "user",
      actorId: ana.id,
      tenantId: org.tenant.id,
      targetType: "issue_comment",
      ip: "203.0.113.7",
      requestId: ana.actor.requestId,
      after: { issueId: issue.id, body: "First look done", visibility: "public" },
    });
  });

  it("can be edited by their author only, which sets editedAt and is audited", async () => {
    const org = await setup();
    const ana = await org.person("member");
    const boss = await org.person("owner");
    const issue = await insertIssue(org.db);
    const created = await createComment(ana.ctx, {
      issueId: issue.id,
      body: "Printer is jammed",
      visibility: "internal",
    });

    const refused = await errorOf(updateComment(boss.ctx, { id: created.id, body: "Mine now" }));
    expect(refused.code).toBe("FORBIDDEN");

    const edited = await updateComment(ana.ctx, {
      id: created.id,
      body: "Printer is jammed on tray 2",
      visibility: "public",
    });
    expect(edited).toMatchObject({ body: "Printer is jammed on tray 2", visibility: "public" });
    expect(edited.editedAt).not.toBeNull();

    const [row] = await org.db.select().from(issueComments).where(eq(issueComments.id, created.id));
    expect(row).toMatchObject({ body: "Printer is jammed on tray 2", visibility: "public" });
    const audit = await org.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, created.id), eq(auditLog.action, "issue_comment.updated")));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorId: ana.id,
      before: { body: "Printer is jammed", visibility: "internal" },
      after: { body: "Printer is jammed on tray 2", visibility: "public" },
    });
  });

  it("are deleted softly by their author or an administrator, and stay in the thread without their text", async () => {
    const org = await setup();
    const ana = await org.person("member");
    const cy = await org.person("member");
    const admin = await org.person("admin");
    const issue = await insertIssue(org.db);
    const mine = await createComment(ana.ctx, {
      issueId: issue.id,
      body: "Wrong issue, sorry",
      visibility: "internal",
    });
    const theirs = await createComment(cy.ctx, {
      issueId: issue.id,
      body: "Off-topic remark",
      visibility: "public",
    });

    expect((await errorOf(deleteComment(ana.ctx, theirs.id))).code).toBe("FORBIDDEN");
    await deleteComment(ana.ctx, mine.id);
    await deleteComment(admin.ctx, theirs.id);

    const rows = await org.db.select().from(issueComments).where(eq(issueComments.issueId, issue.id));
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.deletedAt !== null)).toBe(true);
    const page = await listComments(org.db, { control: org.control, input: { issueId: issue.id } });
    expect(page.items.map((c) => c.body)).toEqual([null, null]);
    expect(page.items.every((c) => c.deletedAt !== null)).toBe(true);

    // Deleted is gone for edits and second deletes.
    expect((await errorOf(deleteComment(ana.ctx, mine.id))).code).toBe("NOT_FOUND");
    expect((await errorOf(updateComment(ana.ctx, { id: mine.id, body: "Back" }))).code).toBe("NOT_FOUND");
    const deletions = await org.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "issue_comment.deleted"));
    expect(deletions.map((r) => r.actorId).sort()).toEqual([ana.id, admin.id].sort());
    expect(deletions.find((r) => r.targetId === mine.id)?.before).toMatchObject({
      body: "Wrong issue, sorry",
    });
  });

  it("leave a history row when edited: the comment's id, visibility and an excerpt of public text", async () => {
    const org = await setup();
    const ana = await org.person("member", { name: "Ana Agent" });
    const ben = await org.person("member", { name: "Ben Boss" });
    const issue = await insertIssue(org.db);
    const created = await createComment(ana.ctx, {
      issueId: issue.id,
      body: "First look done",
      visibility: "public",
    });
    const long = `Asked @[Ben Boss](${ben.id}) to   check the\n\nswitch in closet B; ${"the uplink flaps ".repeat(8)}`;
    await updateComment(ana.ctx, { id: created.id, body: long });
    // The same text again changes nothing and records nothing; invalid input writes nothing either.
    await updateComment(ana.ctx, { id: created.id, body: long });
    await expect(updateComment(ana.ctx, { id: created.id, body: "  " })).rejects.toThrow();

    const edits = await org.db
      .select()
      .from(issueHistory)
      .where(and(eq(issueHistory.issueId, issue.id), isNotNull(issueHistory.before)));
    expect(edits).toHaveLength(1);
    // One line, mentions by name, cut after a whole word, at most 80 characters.
    const excerpt = "Asked @Ben Boss to check the switch in closet B; the uplink flaps the uplink…";
    expect(edits[0]).toMatchObject({
      field: "comment",
      actorId: ana.id,
      requestId: ana.actor.requestId,
      before: { id: created.id, visibility: "public", excerpt: "First look done" },
      after: { id: created.id, visibility: "public", excerpt },
    });
    const audit = await org.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, created.id), eq(auditLog.action, "issue_comment.updated")));
    expect(audit).toHaveLength(1);
    // Written in the same batch: the same instant.
    expect(audit[0]!.at.getTime()).toBe(edits[0]!.at.getTime());
  });

  it("never put internal text into the history, whichever way their visibility changes", async () => {
    const org = await setup();
    const ana = await org.person("member");
    const issue = await insertIssue(org.db);
    const edit = (id: string, body: string, visibility?: "internal" | "public") =>
      updateComment(ana.ctx, { id, body, ...(visibility ? { visibility } : {}) });
    const secret = await createComment(ana.ctx, {
      issueId: issue.id,
      body: "Secret: admin password is on the sticky note",
    });
    await edit(secret.id, "Secret: admin password rotated");
    const opened = await createComment(ana.ctx, {
      issueId: issue.id,
      body: "Draft note for the team",
      visibility: "internal",
    });
    await edit(opened.id, "We replaced the toner; try again", "public");
    const closed = await createComment(ana.ctx, {
      issueId: issue.id,
      body: "Posted publicly by mistake",
      visibility: "public",
    });
    await edit(closed.id, "Posted publicly by mistake, now internal", "internal");

    const history = await org.db
      .select()
      .from(issueHistory)
      .where(and(eq(issueHistory.issueId, issue.id), isNotNull(issueHistory.before)));
    const of = (id: string) => history.find((h) => (h.before as { id: string }).id === id);
    expect(of(secret.id)).toMatchObject({
      before: { id: secret.id, visibility: "internal", excerpt: null },
      after: { id: secret.id, visibility: "internal", excerpt: null },
    });
    expect(of(opened.id)).toMatchObject({
      before: { visibility: "internal", excerpt: null },
      after: { visibility: "public", excerpt: "We replaced the toner; try again" },
    });
    // Made internal: neither side is quoted, not even the text that was public before.
    expect(of(closed.id)).toMatchObject({
      before: { visibility: "public", excerpt: null },
      after: { visibility: "internal", excerpt: null },
    });
    const everything = JSON.stringify(await org.db.select().from(issueHistory));
    for (const text of ["sticky note", "rotated", "Draft note", "now internal"]) {
      expect(everything).not.toContain(text);
    }
  });

  it("leave a history row when deleted, without their text, once even when two deletions race", async () => {
    const org = await setup();
    const ana = await org.person("member");
    const admin = await org.person("admin");
    const issue = await insertIssue(org.db);
    const created = await createComment(ana.ctx, {
      issueId: issue.id,
      body: "Call me at 555-0100",
      visibility: "public",
    });
    const results = await Promise.allSettled([
      deleteComment(ana.ctx, created.id),
      deleteComment(admin.ctx, created.id),
    ]);
    expect(results.some((r) => r.status === "fulfilled")).toBe(true);
    for (const result of results) {
      if (result.status === "rejected") expect((result.reason as AppError).code).toBe("NOT_FOUND");
    }

    const deletions = await org.db
      .select()
      .from(issueHistory)
      .where(and(eq(issueHistory.issueId, issue.id), isNotNull(issueHistory.before)));
    expect(deletions).toHaveLength(1);
    expect(deletions[0]).toMatchObject({
      field: "comment",
      before: { id: created.id, visibility: "public", excerpt: null },
      after: null,
    });
    expect([ana.id, admin.id]).toContain(deletions[0]!.actorId);
    expect(JSON.stringify(deletions)).not.toContain("555-0100");
    const audit = await org.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, created.id), eq(auditLog.action, "issue_comment.deleted")));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorId).toBe(deletions[0]!.actorId);
  });

  it("edited while being deleted either keep the edit before the deletion or answer CONFLICT with nothing written", async () => {
    const org = await setup();
    const ana = await org.person("member");
    const issue = await insertIssue(org.db);
    const created = await createComment(ana.ctx, {
      issueId: issue.id,
      body: "Rebooted the switch",
      visibility: "public",
    });
    const [edit, removal] = await Promise.allSettled([
      updateComment(ana.ctx, { id: created.id, body: "Rebooted the switch twice" }),
      deleteComment(ana.ctx, created.id),
    ]);
    expect(removal.status).toBe("fulfilled");
    const edits = await org.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, created.id), eq(auditLog.action, "issue_comment.updated")));
    const history = await org.db
      .select()
      .from(issueHistory)
      .where(and(eq(issueHistory.issueId, issue.id), isNotNull(issueHistory.before)));
    if (edit.status === "rejected") {
      expect(["CONFLICT", "NOT_FOUND"]).toContain((edit.reason as AppError).code);
      expect(edits).toEqual([]);
      expect(history.map((h) => h.after)).toEqual([null]);
    } else {
      expect(edits).toHaveLength(1);
      expect(history.map((h) => (h.after ? "edited" : "deleted")).sort()).toEqual(["deleted", "edited"]);
    }
    const [row] = await org.db.select().from(issueComments).where(eq(issueComments.id, created.id));
    expect(row!.deletedAt).not.toBeNull();
  });

  it("refuse another organization's issue or comment with NOT_FOUND and write nothing", async () => {
    const org = await setup();
    const other = await setup();
    const ana = await org.person("member");
    const stranger = await other.person("member");
    const theirIssue = await insertIssue(other.db);
    const theirComment = await createComment(stranger.ctx, {
      issueId: theirIssue.id,
      body: "Theirs",
      visibility: "internal",
    });

    const create = await errorOf(
      createComment(ana.ctx, { issueId: theirIssue.id, body: "Hello", visibility: "public" }),
    );
    expect(create.code).toBe("NOT_FOUND");
    const list = await errorOf(
      listComments(org.db, { control: org.control, input: { issueId: theirIssue.id } }),
    );
    expect(list.code).toBe("NOT_FOUND");
    expect((await errorOf(deleteComment(ana.ctx, theirComment.id))).code).toBe("NOT_FOUND");
    const edit = await errorOf(
      updateComment({ ...stranger.ctx, db: org.db }, { id: theirComment.id, body: "Mine now" }),
    );
    expect(edit.code).toBe("NOT_FOUND");
    expect(await org.db.select().from(issueComments)).toEqual([]);
    expect(await org.db.select().from(issueHistory)).toEqual([]);
    expect(await org.db.select().from(auditLog)).toEqual([]);
    const [theirs] = await other.db.select().from(issueComments);
    expect(theirs).toMatchObject({ body: "Theirs", editedAt: null, deletedAt: null });
  });

  it("cannot be added to an archived issue", async () => {
    const org = await setup();
    const ana = await org.person("member");
    const issue = await insertIssue(org.db, { archivedAt: new Date() });
    const error = await errorOf(
      createComment(ana.ctx, { issueId: issue.id, body: "Anyone?", visibility: "public" }),
    );
    expect(error.code).toBe("CONFLICT");
    expect(await org.db.select().from(issueComments)).toEqual([]);
  });
});

describe("mentions", () => {
  it("are read from @email and @[Name](id) tokens, not from code or from inside addresses", () => {
    const mentions = parseMentions(
      [
        "Hi @Ana@Example.org and @[Ben Boss](0190-ben), see `@code@example.org` and",
        "```",
        "@fenced@example.org",
        "```",
        "mail me at plain@example.org or x@y@example.org.",
      ].join("\n"),
    );
    expect(mentions.ids).toEqual(["0190-ben"]);
    expect(mentions.emails).toEqual(["ana@example.org"]);
  });

  it("notify the active members mentioned, never the author, nobody twice, nobody outside", async () => {
    const org = await setup();
    const other = await setup();
    const ana = await org.person("member", { name: "Ana Agent", email: "ana@district.org" });
    const ben = await org.person("viewer", { name: "Ben Viewer", email: "ben@district.org" });
    const gone = await org.person("member", { email: "gone@district.org", status: "deactivated" });
    const outsider = await other.person("member", { email: "outsider@elsewhere.org" });
    const issue = await insertIssue(org.db, { title: "Wi-Fi down in the library" });

    await createComment(ana.ctx, {
      issueId: issue.id,
      body: `@ben@district.org and @[Ben](${ben.id}) please check; cc @ana@district.org @gone@district.org @outsider@elsewhere.org @[X](${outsider.id})`,
      visibility: "internal",
    });

    const sent = await org.db.select().from(notifications);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      userId: ben.id,
      kind: "mentioned",
      issueId: issue.id,
      actorId: ana.id,
      readAt: null,
    });
    expect(sent[0]!.summary).toContain("Ana Agent mentioned you");
    expect(sent[0]!.summary).toContain(`GEN-${issue.number} “Wi-Fi down in the library”`);
    expect(sent.some((n) => n.userId === gone.id || n.userId === outsider.id)).toBe(false);
  });

  it("added by an edit notify only the people newly mentioned", async () => {
    const org = await setup();
    const ana = await org.person("member");
    const ben = await org.person("member", { email: "ben@district.org" });
    const cy = await org.person("member", { email: "cy@district.org" });
    const issue = await insertIssue(org.db);
    const created = await createComment(ana.ctx, {
      issueId: issue.id,
      body: "@ben@district.org look",
      visibility: "internal",
    });
    await updateComment(ana.ctx, { id: created.id, body: "@ben@district.org and @cy@district.org look" });
    const sent = await org.db.select().from(notifications);
    expect(sent.map((n) => n.userId).sort()).toEqual([ben.id, cy.id].sort());
  });

  it("and comments tell the issue's watchers, except the author and those already told by a mention", async () => {
    const org = await setup();
    const ana = await org.person("member");
    const ben = await org.person("member", { email: "ben@district.org" });
    const cy = await org.person("member");
    const issue = await insertIssue(org.db);
    const now = new Date();
    await org.db.insert(issueWatchers).values([
      { issueId: issue.id, userId: ana.id, createdAt: now },
      { issueId: issue.id, userId: ben.id, createdAt: now },
      { issueId: issue.id, userId: cy.id, createdAt: now },
    ]);
    await createComment(ana.ctx, { issueId: issue.id, body: "Ping @ben@district.org", visibility: "public" });
    const sent = await org.db.select().from(notifications);
    expect(sent.map((n) => [n.userId, n.kind]).sort()).toEqual(
      [
        [ben.id, "mentioned"],
        [cy.id, "watched_change"],
      ].sort(),
    );
  });
});
