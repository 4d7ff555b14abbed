import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { issueWatchers, notifications } from "../../db/tenant/schema";
import { createComment } from "../../worker/packages/projects/comments/create";
import { bulkAssign } from "../../worker/packages/projects/issues/bulk";
import { createIssue } from "../../worker/packages/projects/issues/create";
import { transitionIssue } from "../../worker/packages/projects/issues/transition";
import { updateIssue } from "../../worker/packages/projects/issues/update";
import { errorOf, helpDesk, join, type Org, person, twoOrganizations } from "./issues-support";

let a: Org;
let help: Awaited<ReturnType<typeof helpDesk>>;

beforeAll(async () => {
  const w = await twoOrganizations();
  a = w.a;
  help = await helpDesk(a, "NTF");
});

const request = (extra: Record<string, unknown> = {}) => ({
  projectScope: "tenant" as const,
  projectId: help.id,
  type: "service_request" as const,
  title: "Projector in room 12 flickers",
  ...extra,
});

async function notesOf(userId: string, issueId: string) {
  return a.db
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.issueId, issueId)));
}

async function watchersOf(issueId: string) {
  const rows = await a.db.select().from(issueWatchers).where(eq(issueWatchers.issueId, issueId));
  return rows.map((r) => r.userId).sort();
}

async function newcomer(name: string) {
  const who = await person(a.control, name);
  await join(a.control, a.tenant.id, who, "member");
  return who;
}

describe("issue notifications", () => {
  it("tell the assignee of a new issue, and make requester and assignee its watchers", async () => {
    const issue = await createIssue(a.as(a.owner), request({ assigneeUserId: a.member.id }));
    const notes = await notesOf(a.member.id, issue.id);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ kind: "assigned", actorId: a.owner.id });
    expect(notes[0]!.summary).toBe(`You were assigned ${issue.key}: Projector in room 12 flickers`);
    expect(await notesOf(a.owner.id, issue.id)).toHaveLength(0);
    expect(await watchersOf(issue.id)).toEqual([a.owner.id, a.member.id].sort());
  });

  it("never tell people they assigned themselves", async () => {
    const issue = await createIssue(a.as(a.member), request({ assigneeUserId: a.member.id }));
    expect(await notesOf(a.member.id, issue.id)).toHaveLength(0);
    expect(await watchersOf(issue.id)).toEqual([a.member.id]);
  });

  it("tell a new assignee on update, and the other watchers what changed", async () => {
    const issue = await createIssue(a.as(a.owner), request({ requesterId: a.member.id }));
    const cara = await newcomer("Cara Tech");
    const updated = await updateIssue(a.as(a.owner), {
      id: issue.id,
      version: issue.version,
      assigneeUserId: cara.id,
    });
    const caraNotes = await notesOf(cara.id, issue.id);
    expect(caraNotes.map((n) => n.kind)).toEqual(["assigned"]);
    const memberNotes = await notesOf(a.member.id, issue.id);
    expect(memberNotes.map((n) => [n.kind, n.summary])).toEqual([
      ["watched_change", `${issue.key}: assignee changed`],
    ]);
    expect(await watchersOf(issue.id)).toEqual([cara.id, a.member.id].sort());

    await updateIssue(a.as(a.owner), { id: issue.id, version: updated.version, priority: "critical" });
    const latest = (await notesOf(cara.id, issue.id)).map((n) => n.summary);
    expect(latest).toContain(`${issue.key}: priority medium → critical`);
    expect(await notesOf(a.owner.id, issue.id)).toHaveLength(0);
  });

  it("tell watchers where a transition moved the issue, and write nothing when it is refused", async () => {
    const issue = await createIssue(a.as(a.member), request());
    const moved = await transitionIssue(a.as(a.owner), {
      id: issue.id,
      version: issue.version,
      to: "in_progress",
    });
    const notes = await notesOf(a.member.id, issue.id);
    expect(notes.map((n) => [n.kind, n.summary])).toEqual([
      ["watched_change", `${issue.key} moved to In progress`],
    ]);
    await errorOf(transitionIssue(a.as(a.owner), { id: issue.id, version: moved.version, to: "closed" }));
    expect(await notesOf(a.member.id, issue.id)).toHaveLength(1);
  });

  it("tell each new assignee of a bulk assignment once, never the actor", async () => {
    const one = await createIssue(a.as(a.owner), request());
    const two = await createIssue(a.as(a.owner), request({ assigneeUserId: a.member.id }));
    const dana = await newcomer("Dana Desk");
    const result = await bulkAssign(a.as(a.owner), { ids: [one.id, two.id], assigneeUserId: dana.id });
    expect(result.changed).toBe(2);
    for (const issue of [one, two]) {
      expect((await notesOf(dana.id, issue.id)).map((n) => n.kind)).toEqual(["assigned"]);
      expect(await watchersOf(issue.id)).toContain(dana.id);
    }
    // The previous assignee watches the second issue and hears of the change.
    expect((await notesOf(a.member.id, two.id)).map((n) => n.kind)).toEqual(["assigned", "watched_change"]);
    await bulkAssign(a.as(a.owner), { ids: [one.id], assigneeUserId: a.owner.id });
    expect(await notesOf(a.owner.id, one.id)).toHaveLength(0);
  });

  it("make a comment's author a watcher of the issue", async () => {
    const issue = await createIssue(a.as(a.owner), request());
    const eve = await newcomer("Eve Editor");
    await createComment(a.as(eve), { issueId: issue.id, body: "Same in room 14.", visibility: "public" });
    expect(await watchersOf(issue.id)).toEqual([a.owner.id, eve.id].sort());
    expect((await notesOf(a.owner.id, issue.id)).map((n) => n.kind)).toEqual(["watched_change"]);
  });
});
