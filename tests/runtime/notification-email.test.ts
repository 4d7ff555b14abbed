import { SELF } from "cloudflare:test";
import { and, desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, emailOutbox, memberships, users } from "../../db/control/schema";
import { newId } from "../../shared/ids";
import { TENANT_HEADER } from "../../shared/transport";
import { createSession } from "../../worker/auth/session";
import { createUser } from "../support/fixtures";
import { trpcMutation } from "./credentials-support";
import { control, member, ORIGIN, trpcQuery } from "./support";

// biome-ignore lint/suspicious/noExplicitAny: assertions read whatever shape each answer has
type Json = any;
type Caller = { token: string; tenant: { slug: string } };

async function mutate(who: Caller, path: string, input: unknown) {
  const response = await SELF.fetch(`${ORIGIN}/trpc/${path}`, {
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

async function colleague(owner: Awaited<ReturnType<typeof member>>) {
  const user = await createUser(control());
  await control().insert(memberships).values({
    id: newId(),
    userId: user.id,
    tenantId: owner.tenant.id,
    role: "member",
    createdAt: new Date(),
  });
  const { token } = await createSession(control(), user.id, { ip: null, userAgent: "test" });
  return { user, token, tenant: owner.tenant };
}

const preferenceAudits = (userId: string) =>
  control()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.actorId, userId), eq(auditLog.action, "profile.notification_email_set")))
    .orderBy(desc(auditLog.at));

describe("the notification email preference", () => {
  it("is on for both kinds until changed, is changed key by key with an audit entry, and shows on the profile", async () => {
    const { user, token } = await member("member");
    const fresh = await trpcQuery("system.profile.get", undefined, { token });
    expect(fresh.status).toBe(200);
    expect(fresh.body.result.data.preferences.notificationEmail).toEqual({ assigned: true, mentioned: true });

    // Something else in the preferences JSON stays as it is.
    const context = { "t-other": { projectId: "p1" } };
    await control()
      .update(users)
      .set({ preferences: { contexts: context } })
      .where(eq(users.id, user.id));

    const off = await trpcMutation("system.profile.notifications.set", { assigned: false }, { token });
    expect(off.status).toBe(200);
    expect(off.body.result.data).toEqual({ assigned: false, mentioned: true });
    const [audit] = await preferenceAudits(user.id);
    expect(audit).toMatchObject({
      actorKind: "user",
      actorId: user.id,
      targetType: "user",
      targetId: user.id,
      tenantId: null,
      before: { assigned: true, mentioned: true },
      after: { assigned: false, mentioned: true },
    });
    expect(audit!.requestId).toBeTruthy();

    const profile = await trpcQuery("system.profile.get", undefined, { token });
    expect(profile.body.result.data.preferences.notificationEmail).toEqual({
      assigned: false,
      mentioned: true,
    });
    const stored = await control().query.users.findFirst({ where: eq(users.id, user.id) });
    expect(stored!.preferences).toEqual({ contexts: context, notificationEmail: { assigned: false } });

    // Nothing changes: nothing is written.
    const same = await trpcMutation("system.profile.notifications.set", { assigned: false }, { token });
    expect(same.status).toBe(200);
    expect(await preferenceAudits(user.id)).toHaveLength(1);

    const both = await trpcMutation(
      "system.profile.notifications.set",
      { assigned: true, mentioned: false },
      { token },
    );
    expect(both.body.result.data).toEqual({ assigned: true, mentioned: false });
    expect(await preferenceAudits(user.id)).toHaveLength(2);
  });

  it("answers malformed input with 400 and field errors, and writes nothing", async () => {
    const { user, token } = await member("member");
    for (const [input, field] of [
      [{ assigned: "no" }, "assigned"],
      [{ mentioned: 0 }, "mentioned"],
      [{ watchedChange: true }, null],
    ] as const) {
      const result = await trpcMutation("system.profile.notifications.set", input, { token });
      expect(result.status, JSON.stringify(input)).toBe(400);
      if (field) expect(Object.keys(result.body.error.data.fieldErrors ?? {})).toContain(field);
    }
    expect(await preferenceAudits(user.id)).toHaveLength(0);
    const stored = await control().query.users.findFirst({ where: eq(users.id, user.id) });
    expect(stored!.preferences).toEqual({});
  });

  it("needs a signed-in person", async () => {
    const result = await trpcMutation("system.profile.notifications.set", { assigned: false });
    expect(result.status).toBe(401);
  });
});

describe("notification email through the Worker", () => {
  it("mails the assignee of an issue and a person mentioned in a comment, in the organization's outbox", async () => {
    const owner = await member("owner");
    const tech = await colleague(owner);
    const project = await mutate(owner, "projects.projects.create", { key: "mlx", name: "Mail desk" });
    expect(project.status, JSON.stringify(project.body)).toBe(200);
    const filed = await mutate(owner, "projects.issues.create", {
      projectScope: "tenant",
      projectId: project.body.result.data.id,
      type: "service_request",
      title: "Smartboard in room 8 is dark",
      assigneeUserId: tech.user.id,
    });
    expect(filed.status, JSON.stringify(filed.body)).toBe(200);
    const issue = filed.body.result.data;
    const link = `${ORIGIN}/${owner.tenant.slug}/projects/issues/${issue.id}`;

    const mailTo = (email: string) => control().select().from(emailOutbox).where(eq(emailOutbox.to, email));
    const assigned = await mailTo(tech.user.email);
    expect(assigned).toHaveLength(1);
    expect(assigned[0]).toMatchObject({
      tenantId: owner.tenant.id,
      kind: "issue_assigned",
      subject: `${owner.user.name} assigned you ${issue.key}: Smartboard in room 8 is dark`,
    });
    expect(assigned[0]!.text).toContain(link);

    const commented = await mutate(tech, "projects.comments.create", {
      issueId: issue.id,
      body: `@[Owner](${owner.user.id}) the lamp hours are at 4000`,
      visibility: "internal",
    });
    expect(commented.status, JSON.stringify(commented.body)).toBe(200);
    const mentioned = await mailTo(owner.user.email);
    expect(mentioned).toHaveLength(1);
    expect(mentioned[0]).toMatchObject({ tenantId: owner.tenant.id, kind: "issue_mentioned" });
    expect(mentioned[0]!.text).toContain(link);
    expect(mentioned[0]!.text).not.toContain("lamp hours");

    // The organization's administrators see both in its Outbox page.
    const outbox = await trpcQuery(
      "system.outbox.list",
      {},
      { token: owner.token, tenant: owner.tenant.slug },
    );
    expect(outbox.status).toBe(200);
    const kinds = (outbox.body.result.data.items as Json[]).map((m) => m.kind).sort();
    expect(kinds).toEqual(["issue_assigned", "issue_mentioned"]);
  });
});
