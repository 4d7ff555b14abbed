import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ControlDb } from "../../db/client";
import type { UserContext } from "../../db/context";
import { emailOutbox, memberships, users } from "../../db/control/schema";
import { notifications } from "../../db/tenant/schema";
import { issueNotificationEmail, MAX_LISTED_ISSUES } from "../../worker/email";
import { type NotificationMailEnv, notificationMail } from "../../worker/email/notification-mail";
import { createComment } from "../../worker/packages/projects/comments/create";
import { updateComment } from "../../worker/packages/projects/comments/update";
import { bulkAssign } from "../../worker/packages/projects/issues/bulk";
import { createIssue } from "../../worker/packages/projects/issues/create";
import { transitionIssue } from "../../worker/packages/projects/issues/transition";
import { updateIssue } from "../../worker/packages/projects/issues/update";
import { watchIssue } from "../../worker/packages/projects/watchers/change";
import { setNotificationEmail } from "../../worker/packages/system/profile/notification-email";
import { userActor } from "../support/actors";
import { startEmailServer } from "../support/email-server";
import { helpDesk, join, type Org, type Person, person, twoOrganizations } from "./issues-support";

const PUBLIC_URL = "https://nexus.example.org";
const captured: NotificationMailEnv = { PUBLIC_URL };
const apiKey = "re_notification_key";

let a: Org;
let help: Awaited<ReturnType<typeof helpDesk>>;
let server: Awaited<ReturnType<typeof startEmailServer>>;

beforeAll(async () => {
  const w = await twoOrganizations();
  a = w.a;
  help = await helpDesk(a, "MAIL");
  server = await startEmailServer({ apiKey });
});
afterAll(async () => {
  await server.close();
});

/** A request's log: what it warned about. */
function requestLog() {
  const warned: string[] = [];
  return { warned, warn: (message: string) => void warned.push(message) };
}

/** A services context acting as `who`, as a request builds it: with mail, under `env`. */
function as(who: Person, env: NotificationMailEnv = captured, log = requestLog()): UserContext {
  return {
    ...a.as(who),
    log,
    mail: notificationMail({ env, control: a.control, log, tenant: a.tenant, user: who }),
  };
}

async function newcomer(name: string) {
  const who = await person(a.control, name);
  await join(a.control, a.tenant.id, who, "member");
  return who;
}

async function mailTo(who: Person) {
  return a.control.select().from(emailOutbox).where(eq(emailOutbox.to, who.email));
}

const request = (extra: Record<string, unknown> = {}) => ({
  projectScope: "tenant" as const,
  projectId: help.id,
  type: "service_request" as const,
  title: "Projector in room 12 flickers",
  ...extra,
});

const linkOf = (issueId: string) => `${PUBLIC_URL}/${a.tenant.slug}/projects/issues/${issueId}`;

describe("assignment emails", () => {
  it("tell the assignee of a new issue who assigned what, where, with a link, in the organization's outbox", async () => {
    const olive = await newcomer("Olive Assigner");
    const tess = await newcomer("Tess Tech");
    const issue = await createIssue(as(olive), request({ assigneeUserId: tess.id }));

    const mail = await mailTo(tess);
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({
      tenantId: a.tenant.id,
      kind: "issue_assigned",
      status: "captured",
      subject: `Olive Assigner assigned you ${issue.key}: Projector in room 12 flickers`,
    });
    expect(mail[0]!.text).toContain(
      `Olive Assigner assigned you ${issue.key} “Projector in room 12 flickers” in ${a.tenant.name}.`,
    );
    expect(mail[0]!.text).toContain(linkOf(issue.id));
    expect(mail[0]!.html).toContain(`href="${linkOf(issue.id)}"`);
    expect(mail[0]!.text).toContain(`${PUBLIC_URL}/me/profile`);
    // Never the actor.
    expect(await mailTo(olive)).toHaveLength(0);
  });

  it("tell a new assignee on update, and nobody when people assign themselves", async () => {
    const olive = await newcomer("Olive Owner-Two");
    const uma = await newcomer("Uma Updater");
    const issue = await createIssue(as(olive), request());
    const updated = await updateIssue(as(olive), {
      id: issue.id,
      version: issue.version,
      assigneeUserId: uma.id,
    });
    expect((await mailTo(uma)).map((m) => m.subject)).toEqual([
      `Olive Owner-Two assigned you ${issue.key}: Projector in room 12 flickers`,
    ]);

    await updateIssue(as(olive), { id: issue.id, version: updated.version, assigneeUserId: olive.id });
    const mine = await createIssue(as(olive), request({ assigneeUserId: olive.id }));
    expect(mine.assigneeUserId).toBe(olive.id);
    expect(await mailTo(olive)).toHaveLength(0);
  });

  it("are not sent to someone who turned them off, who still gets the in-app notification", async () => {
    const olive = await newcomer("Olive Quiet");
    const quinn = await newcomer("Quinn Quiet");
    await setNotificationEmail(a.control, {
      actor: userActor(quinn.id, { requestId: "req-pref" }),
      assigned: false,
    });
    const issue = await createIssue(as(olive), request({ assigneeUserId: quinn.id }));
    expect(await mailTo(quinn)).toHaveLength(0);
    const notes = await a.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, quinn.id), eq(notifications.issueId, issue.id)));
    expect(notes.map((n) => n.kind)).toEqual(["assigned"]);

    // Mentions are a separate choice: still on.
    await createComment(as(olive), {
      issueId: issue.id,
      body: `@[Quinn](${quinn.id}) can you look?`,
      visibility: "public",
    });
    expect((await mailTo(quinn)).map((m) => m.kind)).toEqual(["issue_mentioned"]);
  });

  it("are not sent to a member deactivated (or an account disabled) before the mail goes out", async () => {
    // The services refuse to assign or mention inactive people; the mail checks again, for a membership
    // ended between the write and the mail.
    const olive = await newcomer("Olive Late");
    const dee = await newcomer("Dee Deactivated");
    const acc = await newcomer("Acc Disabled");
    const dup = await newcomer("Dup Active");
    await a.control
      .update(memberships)
      .set({ status: "deactivated" })
      .where(and(eq(memberships.userId, dee.id), eq(memberships.tenantId, a.tenant.id)));
    await a.control.update(users).set({ status: "deactivated" }).where(eq(users.id, acc.id));
    const issue = { id: "iss_fake", key: "MAIL-999", title: "Printer on fire" };
    await as(olive).mail!.send(
      [dee, acc, dup].map((who) => ({ kind: "assigned" as const, userId: who.id, issue })),
    );
    expect(await mailTo(dee)).toHaveLength(0);
    expect(await mailTo(acc)).toHaveLength(0);
    expect(await mailTo(dup)).toHaveLength(1);
  });

  it("for a bulk assignment of three issues are one email listing them all", async () => {
    const olive = await newcomer("Olive Bulk");
    const bea = await newcomer("Bea Bulk");
    const issues = [];
    for (const title of ["Laptop cart 3 will not charge", "Badge reader at gym door", "Wi-Fi in library"]) {
      issues.push(await createIssue(as(olive), request({ title })));
    }
    const result = await bulkAssign(as(olive), { ids: issues.map((i) => i.id), assigneeUserId: bea.id });
    expect(result.changed).toBe(3);
    const mail = await mailTo(bea);
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({
      tenantId: a.tenant.id,
      kind: "issue_assigned",
      subject: `Olive Bulk assigned you 3 issues in ${a.tenant.name}`,
    });
    for (const issue of issues) {
      expect(mail[0]!.text).toContain(`${issue.key} “${issue.title}”`);
      expect(mail[0]!.text).toContain(linkOf(issue.id));
    }
    expect(mail[0]!.text).not.toContain("more");
    // Bulk moves assign nobody: no mail.
    await transitionIssue(as(olive), {
      id: issues[0]!.id,
      version: issues[0]!.version + 1,
      to: "in_progress",
    });
    expect(await mailTo(bea)).toHaveLength(1);
  });

  it("name twenty issues and count the rest", () => {
    const items = Array.from({ length: 23 }, (_, i) => ({
      kind: "assigned" as const,
      key: `MAIL-${i + 1}`,
      title: `Issue ${i + 1}`,
      link: `${PUBLIC_URL}/d/projects/issues/${i + 1}`,
    }));
    const message = issueNotificationEmail({
      tenantId: "t1",
      organizationName: "Lincoln District",
      to: "tech@example.org",
      recipientName: "Tess",
      actorName: "Olive",
      items,
      listLink: `${PUBLIC_URL}/d/projects/issues`,
      preferencesLink: `${PUBLIC_URL}/me/profile`,
    });
    expect(MAX_LISTED_ISSUES).toBe(20);
    expect(message.text).toContain("MAIL-20 “Issue 20”");
    expect(message.text).not.toContain("MAIL-21 ");
    expect(message.text).toContain(`and 3 more: ${PUBLIC_URL}/d/projects/issues`);
    expect(message.html).toContain("and 3 more");
  });
});

describe("mention emails", () => {
  it("for an internal comment say who mentioned whom on which issue, never quoting the comment", async () => {
    const olive = await newcomer("Olive Mentioner");
    const max = await newcomer("Max Mentioned");
    const issue = await createIssue(as(olive), request({ title: "Staff laptop stolen" }));
    const secret = "serial number 5CG1234XYZ and the principal's password";
    await createComment(as(olive), {
      issueId: issue.id,
      body: `@[Max](${max.id}) internal only: ${secret}. Also @[Me](${olive.id}).`,
      visibility: "internal",
    });
    const mail = await mailTo(max);
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({
      tenantId: a.tenant.id,
      kind: "issue_mentioned",
      subject: `Olive Mentioner mentioned you on ${issue.key}: Staff laptop stolen`,
    });
    expect(mail[0]!.text).toContain(
      `Olive Mentioner mentioned you in a comment on ${issue.key} “Staff laptop stolen” in ${a.tenant.name}.`,
    );
    expect(mail[0]!.text).toContain(linkOf(issue.id));
    for (const part of [mail[0]!.subject, mail[0]!.text, mail[0]!.html ?? ""]) {
      expect(part).not.toContain("5CG1234XYZ");
      expect(part).not.toContain("internal only");
    }
    // The author mentioning themself is not emailed.
    expect(await mailTo(olive)).toHaveLength(0);
  });

  it("on an edit go only to the people the edit newly mentions", async () => {
    const olive = await newcomer("Olive Editor");
    const first = await newcomer("First Mentioned");
    const second = await newcomer("Second Mentioned");
    const issue = await createIssue(as(olive), request());
    const comment = await createComment(as(olive), {
      issueId: issue.id,
      body: `@[F](${first.id}) look`,
      visibility: "public",
    });
    await updateComment(as(olive), { id: comment.id, body: `@[F](${first.id}) and @[S](${second.id}) look` });
    expect(await mailTo(first)).toHaveLength(1);
    expect((await mailTo(second)).map((m) => m.kind)).toEqual(["issue_mentioned"]);
  });
});

describe("notification emails", () => {
  it("are never sent for changes to watched issues", async () => {
    const olive = await newcomer("Olive Watched");
    const wes = await newcomer("Wes Watcher");
    const issue = await createIssue(as(olive), request());
    await watchIssue(as(wes), issue.id);
    const moved = await transitionIssue(as(olive), {
      id: issue.id,
      version: issue.version,
      to: "in_progress",
    });
    await updateIssue(as(olive), { id: issue.id, version: moved.version, priority: "high" });
    await createComment(as(olive), { issueId: issue.id, body: "Ordered a new lamp.", visibility: "public" });
    const notes = await a.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, wes.id), eq(notifications.issueId, issue.id)));
    expect(notes.map((n) => n.kind)).toEqual(["watched_change", "watched_change", "watched_change"]);
    expect(await mailTo(wes)).toHaveLength(0);
  });

  it("are skipped without PUBLIC_URL: the write succeeds and the request warns once", async () => {
    const olive = await newcomer("Olive Unlinked");
    const nia = await newcomer("Nia No-Link");
    const log = requestLog();
    const ctx = as(olive, {}, log);
    const one = await createIssue(ctx, request({ assigneeUserId: nia.id }));
    const two = await createIssue(ctx, request({ assigneeUserId: nia.id }));
    expect([one.assigneeUserId, two.assigneeUserId]).toEqual([nia.id, nia.id]);
    expect(await mailTo(nia)).toHaveLength(0);
    expect(log.warned).toEqual(["notification email not sent: PUBLIC_URL is not configured"]);
  });

  it("that cannot be queued leave the write standing, with a warning", async () => {
    const olive = await newcomer("Olive Outage");
    const ola = await newcomer("Ola Outage");
    const broken = new Proxy(a.control, {
      get(target, prop, receiver) {
        if (prop === "insert") {
          return () => ({ values: () => Promise.reject(new Error("control database unreachable")) });
        }
        return Reflect.get(target, prop, receiver);
      },
    }) as ControlDb;
    const log = requestLog();
    const ctx: UserContext = {
      ...as(olive, captured, log),
      mail: notificationMail({ env: captured, control: broken, log, tenant: a.tenant, user: olive }),
    };
    const issue = await createIssue(ctx, request({ assigneeUserId: ola.id }));
    expect(issue.version).toBe(1);
    expect(await mailTo(ola)).toHaveLength(0);
    expect(log.warned).toEqual(["notification email could not be queued; the change stands"]);
  });

  it("with an email provider are handed over after the write and recorded as sent", async () => {
    const olive = await newcomer("Olive Provider");
    const pia = await newcomer("Pia Provider");
    const env: NotificationMailEnv = {
      PUBLIC_URL: `${PUBLIC_URL}/`,
      EMAIL_API_URL: server.url,
      EMAIL_API_KEY: apiKey,
      EMAIL_FROM: "Nexus <no-reply@nexus.test>",
    };
    const before = server.received.length;
    const issue = await createIssue(as(olive, env), request({ assigneeUserId: pia.id }));
    const received = server.received.slice(before);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      to: [pia.email],
      subject: `Olive Provider assigned you ${issue.key}: Projector in room 12 flickers`,
    });
    expect(received[0]!.text).toContain(linkOf(issue.id));
    const [row] = await mailTo(pia);
    expect(row).toMatchObject({ tenantId: a.tenant.id, status: "sent" });
  });
});
