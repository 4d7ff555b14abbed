import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
} from "cloudflare:test";
import { and, desc, eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { openClient, tenantDatabase } from "../../db/client";
import {
  accessTokens,
  deadLetters,
  invitations,
  jobRuns,
  sessions,
  tenants,
  tokenFamilies,
} from "../../db/control/schema";
import { jobRuns as tenantJobRuns } from "../../db/tenant/schema";
import { JOBS_QUEUE, MAX_ATTEMPTS } from "../../jobs/messages";
import { newId } from "../../shared/ids";
import { createSession, SESSION_ABSOLUTE_MS } from "../../worker/auth/session";
import worker from "../../worker/index";
import { expectConsoleError } from "../support/console-guard";
import { createUser } from "../support/fixtures";
import { control, eventually, member, plane, testEnv } from "./support";

/** Tenants whose databases these tests broke are retired afterwards, so /readyz elsewhere sees only live ones. */
const broken: string[] = [];
afterAll(async () => {
  for (const id of broken)
    await control().update(tenants).set({ status: "deleted" }).where(eq(tenants.id, id));
});

function batchOf(bodies: unknown[], attempts = 1) {
  return createMessageBatch(
    JOBS_QUEUE,
    bodies.map((body, i) => ({
      id: `msg-${crypto.randomUUID()}-${i}`,
      timestamp: new Date(),
      attempts,
      body,
    })),
  );
}

async function consume(batch: MessageBatch<unknown>) {
  const ctx = createExecutionContext();
  await worker.queue(batch, testEnv, ctx);
  return getQueueResult(batch, ctx);
}

describe("the jobs queue consumer", () => {
  it("dead-letters a message that fails validation, with the reason, through the real dead-letter queue", async () => {
    const batch = batchOf([{ kind: "tenant.migrate", trigger: "cron" }]);
    const result = await consume(batch);
    const id = batch.messages[0]!.id;
    expect(result.explicitAcks).toContain(id);
    const letter = await eventually(
      async () => (await control().select().from(deadLetters).where(eq(deadLetters.messageId, id)))[0],
    );
    expect(letter.reason).toMatch(/invalid message: tenantId/);
    expect(letter.body).toEqual({ kind: "tenant.migrate", trigger: "cron" });
  });

  it("runs sessions.cleanup, acknowledges it, and records the run with its counts", async () => {
    const user = await createUser(control());
    await createSession(
      control(),
      user.id,
      { ip: null, userAgent: null },
      new Date(Date.now() - SESSION_ABSOLUTE_MS - 60_000),
    );
    const batch = batchOf([{ kind: "sessions.cleanup", trigger: "cli", actor: null }]);
    const result = await consume(batch);
    expect(result.explicitAcks).toEqual([batch.messages[0]!.id]);
    expect(await control().select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
    const [run] = await control().select().from(jobRuns).where(eq(jobRuns.messageId, batch.messages[0]!.id));
    expect(run?.status).toBe("succeeded");
    expect(run?.counts?.deleted).toBeGreaterThanOrEqual(1);
  });

  it("also deletes expired access tokens and expires overdue invitations in the same cleanup", async () => {
    const m = await member();
    const past = new Date(Date.now() - 60_000);
    const familyId = newId();
    const tokenId = `expired-${newId()}`;
    const invitationId = newId();
    await control().batch([
      control().insert(tokenFamilies).values({ id: familyId, userId: m.user.id, createdAt: past }),
      control()
        .insert(accessTokens)
        .values({ id: tokenId, familyId, userId: m.user.id, createdAt: past, expiresAt: past }),
      control()
        .insert(invitations)
        .values({
          id: invitationId,
          tenantId: m.tenant.id,
          email: `overdue-${newId()}@example.org`,
          role: "member",
          tokenHash: `overdue-${newId()}`,
          status: "pending",
          expiresAt: past,
          createdAt: past,
          updatedAt: past,
        }),
    ]);
    const batch = batchOf([{ kind: "sessions.cleanup", trigger: "cli" }]);
    await consume(batch);
    expect(await control().select().from(accessTokens).where(eq(accessTokens.id, tokenId))).toHaveLength(0);
    const [invitation] = await control().select().from(invitations).where(eq(invitations.id, invitationId));
    expect(invitation?.status).toBe("expired");
    const [run] = await control().select().from(jobRuns).where(eq(jobRuns.messageId, batch.messages[0]!.id));
    expect(run?.counts?.accessTokens).toBeGreaterThanOrEqual(1);
    expect(run?.counts?.invitationsExpired).toBeGreaterThanOrEqual(1);
  });

  it("retries a failing job with backoff, acknowledging its healthy neighbours", async () => {
    const down = await member();
    broken.push(down.tenant.id);
    await plane().provisioner.deleteDatabase(down.tenant.databaseName);
    // The tenant's database is gone and its status says ready: migrating it fails until an operator acts.
    const batch = batchOf([
      { kind: "tenant.migrate", tenantId: down.tenant.id, trigger: "cli" },
      { kind: "sessions.cleanup", trigger: "cli" },
    ]);
    const result = await consume(batch);
    expect(result.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual([batch.messages[0]!.id]);
    expect(result.explicitAcks).toEqual([batch.messages[1]!.id]);
    const [run] = await control().select().from(jobRuns).where(eq(jobRuns.messageId, batch.messages[0]!.id));
    expect(run?.status).toBe("failed");
    expect(run?.tenantId).toBe(down.tenant.id);
    await plane().provisioner.createDatabase(down.tenant.databaseName);
  });

  it("skips a migration job for a tenant that no longer exists", async () => {
    const batch = batchOf([{ kind: "tenant.migrate", tenantId: "no-such-tenant", trigger: "cli" }]);
    const result = await consume(batch);
    expect(result.explicitAcks).toEqual([batch.messages[0]!.id]);
    const [run] = await control().select().from(jobRuns).where(eq(jobRuns.messageId, batch.messages[0]!.id));
    expect(run?.counts).toEqual({ skipped: 1 });
  });

  it("dead-letters a job that has used its last attempt, with the reason", async () => {
    expectConsoleError(/job out of attempts/);
    const down = await member();
    broken.push(down.tenant.id);
    await plane().provisioner.deleteDatabase(down.tenant.databaseName);
    const batch = batchOf(
      [{ kind: "tenant.migrate", tenantId: down.tenant.id, trigger: "cli" }],
      MAX_ATTEMPTS,
    );
    const result = await consume(batch);
    const id = batch.messages[0]!.id;
    expect(result.explicitAcks).toEqual([id]);
    expect(result.retryMessages).toEqual([]);
    const letter = await eventually(
      async () => (await control().select().from(deadLetters).where(eq(deadLetters.messageId, id)))[0],
    );
    expect(letter.reason).toMatch(new RegExp(`failed ${MAX_ATTEMPTS} times: SERVER_ERROR`));
    await plane().provisioner.createDatabase(down.tenant.databaseName);
  });

  it("fans migrations out to every tenant through the queue, recording a run in each tenant's database", async () => {
    const a = await member();
    const batch = batchOf([{ kind: "migrations.fan-out", trigger: "cli", actor: null }]);
    const result = await consume(batch);
    expect(result.explicitAcks).toHaveLength(1);
    const tenantDb = tenantDatabase(openClient(plane().tenant(a.tenant)));
    // Wait for the run to finish, not merely to start: the consumer records it as running first.
    const run = await eventually(async () =>
      (await tenantDb.select().from(tenantJobRuns).where(eq(tenantJobRuns.kind, "tenant.migrate"))).find(
        (r) => r.status !== "running",
      ),
    );
    expect(run.status).toBe("succeeded");
    expect(run.counts).toEqual({ applied: 0 });
  });
});

describe("the cron schedule", () => {
  it("enqueues expired-session cleanup every quarter hour, and the consumer runs it", async () => {
    const started = new Date();
    const ctx = createExecutionContext();
    await worker.scheduled(
      createScheduledController({ cron: "*/15 * * * *", scheduledTime: started }),
      testEnv,
      ctx,
    );
    const run = await eventually(async () =>
      (
        await control()
          .select()
          .from(jobRuns)
          .where(and(eq(jobRuns.kind, "sessions.cleanup"), eq(jobRuns.trigger, "cron")))
          .orderBy(desc(jobRuns.startedAt))
      ).find((r) => r.status !== "running" && r.startedAt.getTime() >= started.getTime() - 1000),
    );
    expect(run.status).toBe("succeeded");
  });
});
