import { and, asc, eq, isNull } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { ControlDb, TenantDb } from "../../db/client";
import type { JobRequest, ServiceContext } from "../../db/context";
import { jobRuns, sharedIssueIndex, tenants } from "../../db/control/schema";
import type { DataPlane } from "../../db/data-plane";
import { issues, jobRuns as tenantJobRuns } from "../../db/tenant/schema";
import type { JobMessage } from "../../jobs/registry";
import { type JobDeps, runJob } from "../../jobs/runner";
import { newId } from "../../shared/ids";
import { Logger } from "../../worker/log";
import { deskIssuePage, reindexDesk } from "../../worker/packages/projects/desk/reindex";
import { syncSharedIndex } from "../../worker/packages/projects/issues/shared-index";
import { freshControl, freshTenantDb, planeWithControl } from "../support/databases";
import { insertIssue, issueOrganization } from "../support/issues";
import { sharedProject } from "./issues-support";

type Organization = Awaited<ReturnType<typeof issueOrganization>>;
type IndexRow = typeof sharedIssueIndex.$inferSelect;

let control: ControlDb;
let plane: DataPlane;
let tech: { id: string; key: string };
let maint: { id: string; key: string };
/** An organization whose desk rows every test leaves as they were: proof that a repair stays in its lane. */
let bystander: Organization;
let bystanderRows: IndexRow[];

async function newOrganization(): Promise<Organization> {
  const { db, namespace } = await freshTenantDb();
  return issueOrganization(control, db, namespace);
}

const indexRowsOf = (tenantId: string) =>
  control
    .select()
    .from(sharedIssueIndex)
    .where(eq(sharedIssueIndex.tenantId, tenantId))
    .orderBy(asc(sharedIssueIndex.issueId));

/** What the desk should hold for the organization, computed from its database without the code under test. */
async function expectedRowsOf(org: Organization): Promise<IndexRow[]> {
  const keys = new Map([
    [tech.id, tech.key],
    [maint.id, maint.key],
  ]);
  return (await org.db.select().from(issues).orderBy(asc(issues.id)))
    .filter((r) => r.projectScope === "shared" && r.archivedAt === null)
    .map((r) => ({
      tenantId: org.tenant.id,
      issueId: r.id,
      projectId: r.projectId,
      number: `${keys.get(r.projectId)}-${r.number}`,
      title: r.title,
      type: r.type,
      status: r.status,
      priority: r.priority,
      updatedAt: r.updatedAt,
    }));
}

const row = (tenantId: string, overrides: Partial<IndexRow> = {}): IndexRow => ({
  tenantId,
  issueId: newId(),
  projectId: tech.id,
  number: "TECH-999",
  title: "A summary nobody should see",
  type: "incident",
  status: "new",
  priority: "low",
  updatedAt: new Date(Date.now() - 86_400_000),
  ...overrides,
});

const techRef = () => ({ scope: "shared" as const, id: tech.id, key: tech.key, name: "Technology Service" });

const sharedIssue = (db: TenantDb, overrides: Parameters<typeof insertIssue>[1] = {}) =>
  insertIssue(db, { projectScope: "shared", projectId: tech.id, ...overrides });

beforeAll(async () => {
  const fresh = await freshControl();
  control = fresh.db;
  plane = planeWithControl(fresh.namespace);
  tech = await sharedProject(control, "TECH", "Technology Service");
  maint = await sharedProject(control, "MAINT", "Maintenance Service");
  bystander = await newOrganization();
  for (let i = 0; i < 3; i++) await sharedIssue(bystander.db, { title: `Bystander issue ${i}` });
  await reindexDesk(control, bystander.db, bystander.tenant.id);
  // A wrong row of its own too: repairing someone else must not fix (or touch) it.
  await control.insert(sharedIssueIndex).values(row(bystander.tenant.id));
  bystanderRows = await indexRowsOf(bystander.tenant.id);
  expect(bystanderRows).toHaveLength(4);
});

/**
 * An organization whose desk rows are wrong every way they can be: missing (shared issues filed without a
 * summary), stale (an older summary), and extra (an archived issue, an issue of its own project, an issue
 * that does not exist).
 */
async function driftedOrganization() {
  const org = await newOrganization();
  const filed = [];
  for (let i = 0; i < 5; i++)
    filed.push(await sharedIssue(org.db, { title: `Chromebook cart ${i} not charging` }));
  for (let i = 0; i < 2; i++)
    filed.push(await sharedIssue(org.db, { projectId: maint.id, type: "repair", status: "reported" }));
  for (let i = 0; i < 3; i++) await insertIssue(org.db, { title: `Own project issue ${i}` });
  const archived = await sharedIssue(org.db, { archivedAt: new Date() });
  const ownProject = await insertIssue(org.db);
  const stale = [filed[1]!, filed[5]!];
  await control.insert(sharedIssueIndex).values([
    ...stale.map((s) =>
      row(org.tenant.id, {
        issueId: s.id,
        projectId: s.projectId,
        title: "Old title",
        status: "new",
        updatedAt: new Date(s.updatedAt.getTime() - 60_000),
      }),
    ),
    row(org.tenant.id, { issueId: archived.id }),
    row(org.tenant.id, { issueId: ownProject.id }),
    row(org.tenant.id),
  ]);
  return { org, filed };
}

describe("the desk repair", () => {
  it("rebuilds an organization's desk rows exactly: adds missing ones, corrects stale ones, deletes extra ones", async () => {
    const { org } = await driftedOrganization();
    const counts = await reindexDesk(control, org.db, org.tenant.id, { batchSize: 3 });
    expect(counts).toEqual({ issues: 7, inserted: 5, updated: 2, unchanged: 0, removed: 3, kept: 0 });
    const rows = await indexRowsOf(org.tenant.id);
    expect(rows).toEqual(await expectedRowsOf(org));
    expect(rows.filter((r) => r.number.startsWith("MAINT-"))).toHaveLength(2);
    expect(await indexRowsOf(bystander.tenant.id)).toEqual(bystanderRows);
  });

  it("changes nothing when it runs again", async () => {
    const { org } = await driftedOrganization();
    await reindexDesk(control, org.db, org.tenant.id);
    const before = await indexRowsOf(org.tenant.id);
    const again = await reindexDesk(control, org.db, org.tenant.id, { batchSize: 2 });
    expect(again).toEqual({ issues: 7, inserted: 0, updated: 0, unchanged: 7, removed: 0, kept: 0 });
    expect(await indexRowsOf(org.tenant.id)).toEqual(before);
    expect(await indexRowsOf(bystander.tenant.id)).toEqual(bystanderRows);
  });

  it("pages through more issues and rows than one batch holds, with the same result at any batch size", async () => {
    const org = await newOrganization();
    for (let i = 0; i < 11; i++) {
      await sharedIssue(org.db, { title: `Shared ${i}` });
      if (i % 2 === 0) await insertIssue(org.db, { title: `Own ${i}` });
      if (i % 3 === 0) await sharedIssue(org.db, { title: `Archived ${i}`, archivedAt: new Date() });
    }
    const expected = await expectedRowsOf(org);
    expect(expected).toHaveLength(11);
    for (const batchSize of [1, 2, 5, 200]) {
      // Start from the worst case each time: no correct row, nine that must go.
      await control.delete(sharedIssueIndex).where(eq(sharedIssueIndex.tenantId, org.tenant.id));
      await control.insert(sharedIssueIndex).values(Array.from({ length: 9 }, () => row(org.tenant.id)));
      const counts = await reindexDesk(control, org.db, org.tenant.id, { batchSize });
      expect(counts, `batch size ${batchSize}`).toEqual({
        issues: 11,
        inserted: 11,
        updated: 0,
        unchanged: 0,
        removed: 9,
        kept: 0,
      });
      expect(await indexRowsOf(org.tenant.id)).toEqual(expected);
    }
    expect(await indexRowsOf(bystander.tenant.id)).toEqual(bystanderRows);
  });

  it("reads issues by walking the primary key, page after page, never sorting the table", async () => {
    const org = await newOrganization();
    for (const after of ["", "zzzz"]) {
      const query = deskIssuePage(org.db, after, 200).toSQL();
      const plan = await org.db.$client.execute({
        sql: `EXPLAIN QUERY PLAN ${query.sql}`,
        args: query.params as never,
      });
      const steps = plan.rows.map((r) => String(r.detail));
      expect(steps.join(" | ")).toMatch(/^SEARCH issues USING INDEX sqlite_autoindex_issues_1 \(id>\?\)$/);
    }
  });

  it("leaves a summary that a live write made newer than what it read", async () => {
    const org = await newOrganization();
    const issue = await sharedIssue(org.db, { title: "Bus radio dead zone" });
    const newer = row(org.tenant.id, {
      issueId: issue.id,
      number: `TECH-${issue.number}`,
      title: "Bus radio dead zone near the depot",
      updatedAt: new Date(issue.updatedAt.getTime() + 1000),
    });
    await control.insert(sharedIssueIndex).values(newer);
    const counts = await reindexDesk(control, org.db, org.tenant.id);
    expect(counts).toMatchObject({ issues: 1, kept: 1, inserted: 0, updated: 0 });
    expect(await indexRowsOf(org.tenant.id)).toEqual([newer]);
  });
});

describe("a write that cannot update the desk", () => {
  const brokenControl = () =>
    new Proxy(control, {
      get(target, prop, receiver) {
        if (prop === "batch") return async () => Promise.reject(new Error("control database unreachable"));
        return Reflect.get(target, prop, receiver);
      },
    });

  async function contextOf(org: Organization, enqueue?: (job: JobRequest) => Promise<void>) {
    const warnings: string[] = [];
    const who = await org.person("owner");
    const ctx: ServiceContext = {
      ...who.ctx,
      control: brokenControl(),
      log: { warn: (message) => void warnings.push(message) },
      ...(enqueue ? { enqueue } : {}),
    };
    return { ctx, warnings };
  }

  it("asks for the repair of the organization's desk rows, besides the warning", async () => {
    const org = await newOrganization();
    const enqueued: JobRequest[] = [];
    const { ctx, warnings } = await contextOf(org, async (job) => void enqueued.push(job));
    const issue = await sharedIssue(org.db);
    await syncSharedIndex(ctx, [{ kind: "upsert", row: issue, project: techRef() }]);
    expect(warnings).toEqual(["shared issue index not updated; the desk shows the previous summary"]);
    expect(enqueued).toEqual([{ kind: "projects.desk.reindex", tenantId: org.tenant.id }]);
    // The job it asked for then repairs the row the write could not make.
    await reindexDesk(control, org.db, org.tenant.id);
    expect(await indexRowsOf(org.tenant.id)).toEqual(await expectedRowsOf(org));
  });

  it("still succeeds, with a second warning, when the repair cannot be enqueued either", async () => {
    const org = await newOrganization();
    const { ctx, warnings } = await contextOf(org, async () =>
      Promise.reject(new Error("queue unavailable")),
    );
    await expect(syncSharedIndex(ctx, [{ kind: "remove", issueId: newId() }])).resolves.toBeUndefined();
    expect(warnings).toEqual([
      "shared issue index not updated; the desk shows the previous summary",
      "desk repair not enqueued; the daily reindex will repair the desk",
    ]);
  });

  it("asks for nothing when the desk index was written", async () => {
    const org = await newOrganization();
    const enqueued: JobRequest[] = [];
    const { ctx, warnings } = await contextOf(org, async (job) => void enqueued.push(job));
    const issue = await sharedIssue(org.db);
    await syncSharedIndex({ ...ctx, control }, [{ kind: "upsert", row: issue, project: techRef() }]);
    expect(warnings).toEqual([]);
    expect(enqueued).toEqual([]);
    expect(await indexRowsOf(org.tenant.id)).toEqual(await expectedRowsOf(org));
  });
});

describe("the desk repair jobs", () => {
  function depsWith(enqueued: JobMessage[] = []): JobDeps {
    return {
      plane,
      control,
      enqueue: async (messages) => void enqueued.push(...messages),
      log: new Logger({ test: "desk-reindex" }),
    };
  }

  /**
   * Runs the job and reads its run: from the organization's database `recordedIn` (where an organization's
   * job is recorded), or from the control database (platform jobs, and runs skipped before one was opened).
   */
  async function run(message: JobMessage, deps = depsWith(), recordedIn?: TenantDb) {
    const messageId = `msg-${newId()}`;
    const counts = await runJob(message, deps, { messageId, attempt: 1 });
    const [recorded] = recordedIn
      ? await recordedIn.select().from(tenantJobRuns).where(eq(tenantJobRuns.messageId, messageId))
      : await control.select().from(jobRuns).where(eq(jobRuns.messageId, messageId));
    return { counts, recorded };
  }

  it("repairs an organization through its own database and records the run with its counts", async () => {
    const { org } = await driftedOrganization();
    const { counts, recorded } = await run(
      { kind: "projects.desk.reindex", tenantId: org.tenant.id, trigger: "queue", actor: null },
      depsWith(),
      org.db,
    );
    expect(counts).toMatchObject({ issues: 7, inserted: 5, updated: 2, removed: 3 });
    expect(recorded).toMatchObject({
      kind: "projects.desk.reindex",
      tenantId: org.tenant.id,
      status: "succeeded",
      counts,
    });
    expect(await indexRowsOf(org.tenant.id)).toEqual(await expectedRowsOf(org));
    expect(await indexRowsOf(bystander.tenant.id)).toEqual(bystanderRows);
  });

  it("skips organizations that are gone or not active", async () => {
    const { org } = await driftedOrganization();
    await control.update(tenants).set({ deletedAt: new Date() }).where(eq(tenants.id, org.tenant.id));
    const before = await indexRowsOf(org.tenant.id);
    for (const tenantId of [org.tenant.id, "no-such-tenant"]) {
      const { counts, recorded } = await run({
        kind: "projects.desk.reindex",
        tenantId,
        trigger: "cli",
        actor: null,
      });
      expect(counts).toEqual({ skipped: 1 });
      expect(recorded?.status).toBe("succeeded");
    }
    expect(await indexRowsOf(org.tenant.id)).toEqual(before);
  });

  it("fan out one repair per active organization from the daily run", async () => {
    const gone = await newOrganization();
    await control.update(tenants).set({ deletedAt: new Date() }).where(eq(tenants.id, gone.tenant.id));
    const failed = await newOrganization();
    await control.update(tenants).set({ status: "failed" }).where(eq(tenants.id, failed.tenant.id));
    const enqueued: JobMessage[] = [];
    const { counts, recorded } = await run(
      { kind: "projects.desk.reindex-all", trigger: "cron", actor: null },
      depsWith(enqueued),
    );
    const active = await control
      .select({ id: tenants.id })
      .from(tenants)
      .where(and(eq(tenants.status, "ready"), isNull(tenants.deletedAt)));
    const activeIds = active.map((t) => t.id);
    expect(enqueued.map((m) => m.kind)).toEqual(activeIds.map(() => "projects.desk.reindex"));
    const targets = enqueued.map((m) => ("tenantId" in m ? m.tenantId : null));
    expect(new Set(targets)).toEqual(new Set(activeIds));
    expect(targets).toContain(bystander.tenant.id);
    expect(targets).not.toContain(gone.tenant.id);
    expect(targets).not.toContain(failed.tenant.id);
    expect(enqueued.every((m) => m.trigger === "queue")).toBe(true);
    expect(counts).toEqual({ tenants: activeIds.length, enqueued: activeIds.length });
    expect(recorded?.status).toBe("succeeded");
  });
});
