import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { ControlDb, TenantDb } from "../../db/client";
import { jobRuns, tenants } from "../../db/control/schema";
import type { DataPlane } from "../../db/data-plane";
import { settings, jobRuns as tenantJobRuns } from "../../db/tenant/schema";
import type { JobMessage } from "../../jobs/registry";
import { type JobDeps, runJobOf } from "../../jobs/runner";
import { newId } from "../../shared/ids";
import {
  type AnyJobMessage,
  defineJob,
  jobMessageSchema,
  type PlatformJobContext,
  type TenantJobContext,
} from "../../worker/kit/jobs";
import { Logger } from "../../worker/log";
import { freshControl, freshTenantDb, planeWithControl, uniqueName } from "../support/databases";

let control: ControlDb;
let plane: DataPlane;

beforeAll(async () => {
  const fresh = await freshControl();
  control = fresh.db;
  plane = planeWithControl(fresh.namespace);
});

/** An organization with a database of its own (or, with `databaseName`, one that names a missing database). */
async function organization(fields: { status?: "ready" | "failed"; databaseName?: string } = {}) {
  const { db, namespace } = fields.databaseName
    ? { db: null, namespace: fields.databaseName }
    : await freshTenantDb();
  const now = new Date();
  const slug = uniqueName("jobs");
  const tenant = {
    id: newId(),
    slug,
    name: `District ${slug}`,
    status: fields.status ?? ("ready" as const),
    databaseName: namespace,
    createdAt: now,
    updatedAt: now,
  };
  await control.insert(tenants).values(tenant);
  return { tenant, db: db as TenantDb };
}

function depsWith(sent: JobMessage[][] = []): JobDeps {
  return {
    plane,
    control,
    enqueue: async (messages) => void sent.push(messages),
    log: new Logger({ test: "job-runner" }),
  };
}

const runsIn = (db: ControlDb, messageId: string) =>
  db.select().from(jobRuns).where(eq(jobRuns.messageId, messageId));

/** A tenant job that writes a setting through its context and keeps what it was given. */
function settingWriter() {
  const seen: { ctx?: TenantJobContext; input?: unknown } = {};
  const job = defineJob({
    kind: "probe.write-setting",
    scope: "tenant",
    input: z.object({ value: z.string() }),
    async run(ctx, input) {
      seen.ctx = ctx;
      seen.input = input;
      await ctx.db
        .insert(settings)
        .values({ key: "probe", value: input.value, updatedAt: new Date(), updatedById: null });
      return { written: 1 };
    },
  });
  return { job, seen };
}

async function run(job: Parameters<typeof runJobOf>[0], body: unknown, deps = depsWith()) {
  const message = jobMessageSchema([job]).parse(body) as AnyJobMessage;
  const messageId = `msg-${newId()}`;
  const outcome = await runJobOf(job, message, deps, { messageId, attempt: 2 }).then(
    (counts) => ({ counts }),
    (error: unknown) => ({ error }),
  );
  return { messageId, ...outcome };
}

describe("a tenant job", () => {
  it("runs with its organization's context, as the system, and is recorded in the organization's database", async () => {
    const org = await organization();
    const bystander = await organization();
    const { job, seen } = settingWriter();
    const { messageId, ...outcome } = await run(job, {
      kind: job.kind,
      tenantId: org.tenant.id,
      trigger: "user",
      actor: "u-1",
      value: "from the job",
    });
    expect(outcome).toEqual({ counts: { written: 1 } });
    expect(seen.input).toEqual({ value: "from the job" });
    expect(seen.ctx?.actor).toEqual({
      kind: "system",
      reason: "job:probe.write-setting",
      ip: null,
      requestId: messageId,
    });
    expect(seen.ctx?.tenant).toEqual({
      id: org.tenant.id,
      slug: org.tenant.slug,
      name: org.tenant.name,
      role: null,
      viaRoot: false,
    });
    expect(seen.ctx?.origin).toEqual({ trigger: "user", requestedBy: "u-1" });
    // It wrote to its own organization's database, and to no other.
    expect((await org.db.select().from(settings)).map((s) => s.value)).toEqual(["from the job"]);
    expect(await bystander.db.select().from(settings)).toEqual([]);
    const [recorded] = await org.db
      .select()
      .from(tenantJobRuns)
      .where(eq(tenantJobRuns.messageId, messageId));
    expect(recorded).toMatchObject({
      kind: job.kind,
      tenantId: org.tenant.id,
      trigger: "user",
      actor: "u-1",
      attempt: 2,
      status: "succeeded",
      counts: { written: 1 },
      error: null,
    });
    expect(recorded?.finishedAt).not.toBeNull();
    expect(await runsIn(control, messageId)).toEqual([]);
  });

  it("records a failure with its error in the organization's database, and throws it for the queue to retry", async () => {
    const org = await organization();
    const job = defineJob({
      kind: "probe.fail",
      scope: "tenant",
      input: z.object({}),
      async run() {
        throw new Error("the source answered 502");
      },
    });
    const { messageId, ...outcome } = await run(job, {
      kind: job.kind,
      tenantId: org.tenant.id,
      trigger: "cron",
    });
    expect(outcome).toEqual({ error: new Error("the source answered 502") });
    const [recorded] = await org.db
      .select()
      .from(tenantJobRuns)
      .where(eq(tenantJobRuns.messageId, messageId));
    expect(recorded).toMatchObject({ status: "failed", error: "the source answered 502" });
    expect(await runsIn(control, messageId)).toEqual([]);
  });

  it("is skipped for an organization that is not active, recorded in the control database", async () => {
    const failed = await organization({ status: "failed" });
    const { job, seen } = settingWriter();
    for (const tenantId of [failed.tenant.id, "no-such-tenant"]) {
      const { messageId, ...outcome } = await run(job, {
        kind: job.kind,
        tenantId,
        trigger: "cron",
        value: "never written",
      });
      expect(outcome).toEqual({ counts: { skipped: 1 } });
      const [recorded] = await runsIn(control, messageId);
      expect(recorded).toMatchObject({ tenantId, status: "succeeded", counts: { skipped: 1 } });
    }
    expect(seen.ctx).toBeUndefined();
    expect(await failed.db.select().from(settings)).toEqual([]);
  });

  it("fails, recorded in the control database with the organization's id, when its database cannot be reached", async () => {
    const gone = await organization({ databaseName: uniqueName("missing") });
    const { job, seen } = settingWriter();
    const { messageId, ...outcome } = await run(job, {
      kind: job.kind,
      tenantId: gone.tenant.id,
      trigger: "queue",
      value: "x",
    });
    expect(outcome).toHaveProperty("error");
    expect(seen.ctx).toBeUndefined();
    const [recorded] = await runsIn(control, messageId);
    expect(recorded).toMatchObject({ kind: job.kind, tenantId: gone.tenant.id, status: "failed" });
    expect(recorded?.error).toBeTruthy();
  });
});

describe("a platform job", () => {
  it("gets the control database alone, and is recorded there with the organization its input names", async () => {
    let seen: PlatformJobContext | undefined;
    const job = defineJob({
      kind: "probe.platform",
      scope: "platform",
      input: z.object({ tenantId: z.string() }),
      async run(ctx) {
        seen = ctx;
        return { looked: 1 };
      },
    });
    const { messageId, ...outcome } = await run(job, { kind: job.kind, tenantId: "t-42", trigger: "cli" });
    expect(outcome).toEqual({ counts: { looked: 1 } });
    expect(seen?.actor).toMatchObject({ kind: "system", reason: "job:probe.platform" });
    expect(seen).not.toHaveProperty("db");
    expect(seen).not.toHaveProperty("tenant");
    const [recorded] = await runsIn(control, messageId);
    expect(recorded).toMatchObject({
      tenantId: "t-42",
      trigger: "cli",
      status: "succeeded",
      counts: { looked: 1 },
    });
  });

  it("enqueues follow-up jobs in sends of at most 100, started by the queue for whoever asked for the run", async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `t-${i}`);
    const job = defineJob({
      kind: "probe.fan-out",
      scope: "platform",
      input: z.object({}),
      async run(ctx) {
        await ctx.enqueueMany(ids.map((tenantId) => ({ kind: "projects.desk.reindex", tenantId })));
        await ctx.enqueue({ kind: "sessions.cleanup" });
        return { enqueued: ids.length + 1 };
      },
    });
    const sent: JobMessage[][] = [];
    const outcome = await run(job, { kind: job.kind, trigger: "user", actor: "u-7" }, depsWith(sent));
    expect(outcome).toMatchObject({ counts: { enqueued: 251 } });
    expect(sent.map((batch) => batch.length)).toEqual([100, 100, 50, 1]);
    const messages = sent.flat();
    expect(messages.map((m) => ("tenantId" in m ? m.tenantId : null))).toEqual([...ids, null]);
    expect(messages.every((m) => m.trigger === "queue" && m.actor === "u-7")).toBe(true);
  });

  it("fails instead of enqueueing a follow-up that no job would accept", async () => {
    const job = defineJob({
      kind: "probe.bad-follow-up",
      scope: "platform",
      input: z.object({}),
      async run(ctx) {
        await ctx.enqueue({ kind: "projects.desk.reindex" });
        return {};
      },
    });
    const sent: JobMessage[][] = [];
    const { messageId, ...outcome } = await run(job, { kind: job.kind, trigger: "cron" }, depsWith(sent));
    expect(outcome).toHaveProperty("error");
    expect(sent).toEqual([]);
    const [recorded] = await runsIn(control, messageId);
    expect(recorded?.status).toBe("failed");
    expect(recorded?.error).toMatch(/tenantId/);
  });
});
