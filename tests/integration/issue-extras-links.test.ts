import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sharedProjects } from "../../db/control/schema";
import { auditLog, issueHistory, issueLinks } from "../../db/tenant/schema";
import { AppError } from "../../shared/errors";
import { newId } from "../../shared/ids";
import { issueLinkKinds } from "../../shared/schemas/issue-model";
import { createLink } from "../../worker/packages/projects/links/create";
import { deleteLink } from "../../worker/packages/projects/links/delete";
import { listLinks } from "../../worker/packages/projects/links/list";
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

describe("links between issues", () => {
  it("are made of every kind and listed from both ends with the other issue's number, title and status", async () => {
    const org = await setup();
    const ana = await org.person("member", { name: "Ana Agent" });
    const outage = await insertIssue(org.db, { title: "Network outage", status: "in_progress" });
    const others = await Promise.all(
      issueLinkKinds.map((kind) => insertIssue(org.db, { title: `Other ${kind}`, type: "service_request" })),
    );
    for (const [i, kind] of issueLinkKinds.entries()) {
      const link = await createLink(ana.ctx, { fromIssueId: outage.id, toIssueId: others[i]!.id, kind });
      expect(link).toMatchObject({ kind, direction: "outgoing", issue: { id: others[i]!.id } });
    }

    const fromOutage = await listLinks(org.db, { control: org.control, issueId: outage.id });
    expect(fromOutage.items.map((l) => [l.kind, l.direction, l.issue.title])).toEqual(
      issueLinkKinds.map((kind) => [kind, "outgoing", `Other ${kind}`]),
    );
    expect(fromOutage.items[0]!.createdBy).toEqual({ id: ana.id, name: "Ana Agent" });

    const blocked = others[issueLinkKinds.indexOf("blocks")]!;
    const fromBlocked = await listLinks(org.db, { control: org.control, issueId: blocked.id });
    expect(fromBlocked.items).toEqual([
      expect.objectContaining({
        kind: "blocks",
        direction: "incoming",
        issue: {
          id: outage.id,
          key: `GEN-${outage.number}`,
          number: outage.number,
          title: "Network outage",
          type: "incident",
          status: "in_progress",
          priority: "medium",
        },
      }),
    ]);
  });

  it("name an issue filed in a shared project by the shared project's key", async () => {
    const org = await setup();
    const ana = await org.person("member");
    const now = new Date();
    const desk = {
      id: newId(),
      key: `SD${crypto.randomUUID().slice(0, 4).toUpperCase()}`,
      name: "Service Desk",
    };
    await org.control.insert(sharedProjects).values({ ...desk, createdAt: now, updatedAt: now });
    const filed = await insertIssue(org.db, {
      projectScope: "shared",
      projectId: desk.id,
      title: "Filed centrally",
    });
    const local = await insertIssue(org.db);
    const link = await createLink(ana.ctx, {
      fromIssueId: local.id,
      toIssueId: filed.id,
      kind: "relates_to",
    });
    expect(link.issue.key).toBe(`${desk.key}-${filed.number}`);
    const listed = await listLinks(org.db, { control: org.control, issueId: filed.id });
    expect(listed.items.map((l) => [l.direction, l.issue.key])).toEqual([
      ["incoming", `GEN-${local.number}`],
    ]);
  });

  it("refuse the same link twice with CONFLICT, reading relates_to both ways, and allow directed cycles", async () => {
    const org = await setup();
    const ana = await org.person("member");
    const a = await insertIssue(org.db);
    const b = await insertIssue(org.db);
    await createLink(ana.ctx, { fromIssueId: a.id, toIssueId: b.id, kind: "blocks" });
    await createLink(ana.ctx, { fromIssueId: a.id, toIssueId: b.id, kind: "relates_to" });

    const again = await errorOf(createLink(ana.ctx, { fromIssueId: a.id, toIssueId: b.id, kind: "blocks" }));
    expect(again.code).toBe("CONFLICT");
    expect(again.details.fieldErrors).toHaveProperty("toIssueId");
    const reverse = await errorOf(
      createLink(ana.ctx, { fromIssueId: b.id, toIssueId: a.id, kind: "relates_to" }),
    );
    expect(reverse.code).toBe("CONFLICT");

    // "B blocks A" beside "A blocks B" is a cycle, which is allowed; so is "B duplicates A".
    await createLink(ana.ctx, { fromIssueId: b.id, toIssueId: a.id, kind: "blocks" });
    await createLink(ana.ctx, { fromIssueId: b.id, toIssueId: a.id, kind: "duplicates" });
    expect(await org.db.select().from(issueLinks)).toHaveLength(4);
  });

  it("refuse an issue linked to itself as bad input, writing nothing", async () => {
    const org = await setup();
    const ana = await org.person("member");
    const a = await insertIssue(org.db);
    const error = await createLink(ana.ctx, { fromIssueId: a.id, toIssueId: a.id, kind: "relates_to" }).then(
      () => null,
      (e: unknown) => e as { issues?: { path: unknown[] }[] },
    );
    expect(error?.issues?.[0]?.path).toEqual(["toIssueId"]);
    expect(await org.db.select().from(issueLinks)).toEqual([]);
  });

  it("refuse another organization's issue with NOT_FOUND and write nothing", async () => {
    const org = await setup();
    const other = await setup();
    const ana = await org.person("member");
    const mine = await insertIssue(org.db);
    const theirs = await insertIssue(other.db);
    for (const input of [
      { fromIssueId: mine.id, toIssueId: theirs.id, kind: "relates_to" as const },
      { fromIssueId: theirs.id, toIssueId: mine.id, kind: "blocks" as const },
    ]) {
      expect((await errorOf(createLink(ana.ctx, input))).code).toBe("NOT_FOUND");
    }
    expect((await errorOf(listLinks(org.db, { control: org.control, issueId: theirs.id }))).code).toBe(
      "NOT_FOUND",
    );
    expect(await org.db.select().from(issueLinks)).toEqual([]);
    expect(await org.db.select().from(issueHistory)).toEqual([]);
    expect(await org.db.select().from(auditLog)).toEqual([]);
    expect(await other.db.select().from(issueLinks)).toEqual([]);
  });

  it("leave history on both issues when made and removed, and are audited", async () => {
    const org = await setup();
    const ana = await org.person("member");
    const a = await insertIssue(org.db);
    const b = await insertIssue(org.db);
    const link = await createLink(ana.ctx, { fromIssueId: a.id, toIssueId: b.id, kind: "caused_by" });
    await deleteLink(ana.ctx, link.id);
    expect(await org.db.select().from(issueLinks)).toEqual([]);

    const historyOf = async (issueId: string) =>
      (await org.db.select().from(issueHistory).where(eq(issueHistory.issueId, issueId)))
        .sort((x, y) => x.at.getTime() - y.at.getTime() || x.id.localeCompare(y.id))
        .map((h) => [h.field, h.before, h.after]);
    expect(await historyOf(a.id)).toEqual([
      [
        "link",
        null,
        { id: link.id, kind: "caused_by", direction: "outgoing", issueId: b.id, number: b.number },
      ],
      [
        "link",
        { id: link.id, kind: "caused_by", direction: "outgoing", issueId: b.id, number: b.number },
        null,
      ],
    ]);
    expect((await historyOf(b.id)).map(([, before, after]) => [before === null, after === null])).toEqual([
      [true, false],
      [false, true],
    ]);
    const audit = await org.db.select().from(auditLog).where(eq(auditLog.targetId, link.id));
    expect(audit.map((r) => r.action).sort()).toEqual(["issue_link.created", "issue_link.deleted"]);

    expect((await errorOf(deleteLink(ana.ctx, link.id))).code).toBe("NOT_FOUND");
  });
});
