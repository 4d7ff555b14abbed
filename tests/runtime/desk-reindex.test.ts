import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
} from "cloudflare:test";
import { and, asc, desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { TenantDb } from "../../db/client";
import type { ServiceContext } from "../../db/context";
import { deadLetters, jobRuns, sharedIssueIndex } from "../../db/control/schema";
import { jobRuns as tenantJobRuns } from "../../db/tenant/schema";
import { JOBS_QUEUE } from "../../jobs/messages";
import { newId } from "../../shared/ids";
import { openTenant } from "../../worker/data";
import worker from "../../worker/index";
import { syncSharedIndex } from "../../worker/packages/projects/issues/shared-index";
import { seedSharedProjects } from "../../worker/seed/demo-issues";
import { requestServices } from "../../worker/trpc/service-context";
import { userActor } from "../support/actors";
import { insertIssue } from "../support/issues";
import { control, eventually, member, testEnv } from "./support";

let tech: { id: string; key: string };

beforeAll(async () => {
  tech = (await seedSharedProjects(control())).get("TECH")!;
});

function batchOf(bodies: unknown[]) {
  return createMessageBatch(
    JOBS_QUEUE,
    bodies.map((body, i) => ({
      id: `msg-${crypto.randomUUID()}-${i}`,
      timestamp: new Date(),
      attempts: 1,
      body,
    })),
  );
}

async function consume(batch: MessageBatch<unknown>) {
  const ctx = createExecutionContext();
  await worker.queue(batch, testEnv, ctx);
  return getQueueResult(batch, ctx);
}

const indexRowsOf = (tenantId: string) =>
  control()
    .select()
    .from(sharedIssueIndex)
    .where(eq(sharedIssueIndex.tenantId, tenantId))
    .orderBy(asc(sharedIssueIndex.issueId));

/**
 * Runs of `kind` for the tenant that have finished (the consumer records a run as running first): in the
 * organization's own database `db` for its jobs, in the control database for platform jobs.
 */
const finishedRuns = async (kind: string, tenantId: string | null, db?: TenantDb) =>
  (db
    ? await db
        .select()
        .from(tenantJobRuns)
        .where(eq(tenantJobRuns.kind, kind))
        .orderBy(desc(tenantJobRuns.startedAt))
    : await control().select().from(jobRuns).where(eq(jobRuns.kind, kind)).orderBy(desc(jobRuns.startedAt))
  ).filter((r) => r.status !== "running" && (tenantId === null || r.tenantId === tenantId));

describe("the desk repair job", () => {
  it("is accepted by the consumer, repairs the organization's desk rows and records the run", async () => {
    const m = await member();
    const db = openTenant(testEnv, m.tenant);
    const issue = await insertIssue(db, {
      projectScope: "shared",
      projectId: tech.id,
      title: "Wi-Fi drops in the gym",
    });
    await control().insert(sharedIssueIndex).values({
      tenantId: m.tenant.id,
      issueId: newId(),
      projectId: tech.id,
      number: "TECH-0",
      title: "An issue that does not exist",
      type: "incident",
      status: "new",
      priority: "low",
      updatedAt: new Date(),
    });
    const batch = batchOf([{ kind: "projects.desk.reindex", tenantId: m.tenant.id, trigger: "cli" }]);
    const result = await consume(batch);
    expect(result.explicitAcks).toEqual([batch.messages[0]!.id]);
    expect(await indexRowsOf(m.tenant.id)).toEqual([
      {
        tenantId: m.tenant.id,
        issueId: issue.id,
        projectId: tech.id,
        number: `TECH-${issue.number}`,
        title: "Wi-Fi drops in the gym",
        type: issue.type,
        status: issue.status,
        priority: issue.priority,
        updatedAt: issue.updatedAt,
      },
    ]);
    // The organization's job: recorded in its own database.
    const [run] = await db
      .select()
      .from(tenantJobRuns)
      .where(eq(tenantJobRuns.messageId, batch.messages[0]!.id));
    expect(run).toMatchObject({ kind: "projects.desk.reindex", tenantId: m.tenant.id, status: "succeeded" });
    expect(run?.counts).toEqual({ issues: 1, inserted: 1, updated: 0, unchanged: 0, removed: 1, kept: 0 });
  });

  it("dead-letters a repair message that names no organization", async () => {
    const batch = batchOf([{ kind: "projects.desk.reindex", trigger: "queue" }]);
    const result = await consume(batch);
    const id = batch.messages[0]!.id;
    expect(result.explicitAcks).toEqual([id]);
    const letter = await eventually(
      async () => (await control().select().from(deadLetters).where(eq(deadLetters.messageId, id)))[0],
    );
    expect(letter.reason).toMatch(/invalid message: tenantId/);
  });

  it("is put on the Worker's queue when a write cannot update the desk, and the consumer then repairs it", async () => {
    const m = await member();
    const db = openTenant(testEnv, m.tenant);
    const unreachable = new Proxy(control(), {
      get(target, prop, receiver) {
        if (prop === "batch") return async () => Promise.reject(new Error("control database unreachable"));
        return Reflect.get(target, prop, receiver);
      },
    });
    const warnings: string[] = [];
    const log = { warn: (message: string) => void warnings.push(message) };
    // As a request of the owner's builds it: enqueue and mail over the Worker's own queue and settings.
    const ctx: ServiceContext = {
      db,
      control: unreachable,
      log,
      actor: userActor(m.user.id, { name: m.user.name }),
      tenant: { ...m.tenant, role: "owner", viaRoot: false },
      ...requestServices({ env: testEnv, control: unreachable, log, tenant: m.tenant, user: m.user }),
    };
    const issue = await insertIssue(db, { projectScope: "shared", projectId: tech.id });
    await syncSharedIndex(ctx, [
      { kind: "upsert", row: issue, project: { scope: "shared", id: tech.id, key: tech.key, name: "" } },
    ]);
    expect(warnings).toEqual(["shared issue index not updated; the desk shows the previous summary"]);
    const [run] = await eventually(async () => {
      const runs = await finishedRuns("projects.desk.reindex", m.tenant.id, db);
      return runs.length > 0 && runs;
    });
    expect(run).toMatchObject({ trigger: "queue", actor: null, status: "succeeded" });
    expect((await indexRowsOf(m.tenant.id)).map((r) => [r.issueId, r.number])).toEqual([
      [issue.id, `TECH-${issue.number}`],
    ]);
  });
});

describe("the daily trigger", () => {
  it("fans the desk repair out to every active organization through the queue", async () => {
    const m = await member();
    const db = openTenant(testEnv, m.tenant);
    const issue = await insertIssue(db, { projectScope: "shared", projectId: tech.id });
    const started = new Date();
    await worker.scheduled(
      createScheduledController({ cron: "30 7 * * *", scheduledTime: started }),
      testEnv,
      createExecutionContext(),
    );
    const fanOut = await eventually(async () =>
      (await finishedRuns("projects.desk.reindex-all", null)).find(
        (r) => r.trigger === "cron" && r.startedAt.getTime() >= started.getTime() - 1000,
      ),
    );
    expect(fanOut.status).toBe("succeeded");
    expect(fanOut.counts?.enqueued).toBeGreaterThanOrEqual(1);
    const run = await eventually(
      async () =>
        (
          await db
            .select()
            .from(tenantJobRuns)
            .where(
              and(eq(tenantJobRuns.kind, "projects.desk.reindex"), eq(tenantJobRuns.tenantId, m.tenant.id)),
            )
        ).find((r) => r.status !== "running"),
      20_000,
    );
    expect(run.status).toBe("succeeded");
    expect((await indexRowsOf(m.tenant.id)).map((r) => r.issueId)).toEqual([issue.id]);
  });
});
