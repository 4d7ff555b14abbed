import { eq } from "drizzle-orm";
import { type ControlDb, openClient, tenantDatabase } from "../db/client";
import { type JobRequest, systemActor, systemContext } from "../db/context";
import { tenants } from "../db/control/schema";
import type { DataPlane } from "../db/data-plane";
import type {
  AnyJob,
  AnyJobMessage,
  JobCounts,
  JobEnqueue,
  JobOrigin,
  PlatformJobContext,
  TenantJobContext,
} from "../worker/kit/jobs";
import type { Logger } from "../worker/log";
import { type JobMessage, jobMessage, jobOf } from "./registry";
import { RunRecorder, type RunStart } from "./runs";

/** What the runner needs from its Worker: where the databases are, the queue, and a log. */
export interface JobDeps {
  plane: DataPlane;
  control: ControlDb;
  /** Puts messages on the jobs queue (at most 100 per call). */
  enqueue(messages: JobMessage[]): Promise<void>;
  log: Logger;
}

export interface RunMeta {
  messageId: string | null;
  attempt: number;
}

/** Messages per send: a queue's sendBatch takes at most 100. */
const SEND_BATCH = 100;

/**
 * Follow-up jobs a run asks for, as queue messages: started by the queue, on behalf of whoever asked for
 * this run. Each is checked against its job's input before it is sent, so a wrong one fails this run
 * instead of being dead-lettered later.
 */
function enqueueFor(message: AnyJobMessage, deps: JobDeps): JobEnqueue {
  const toMessage = (job: JobRequest): JobMessage =>
    jobMessage.parse({ ...job, trigger: "queue", actor: message.actor });
  const enqueueMany = async (jobs: readonly JobRequest[]) => {
    const messages = jobs.map(toMessage);
    for (let i = 0; i < messages.length; i += SEND_BATCH)
      await deps.enqueue(messages.slice(i, i + SEND_BATCH));
  };
  return { enqueue: (job) => enqueueMany([job]), enqueueMany };
}

/**
 * The job's input from a validated message (already read by the job's input schema): the message without
 * its envelope (kind, trigger, actor and a tenant job's organization).
 */
function inputOf(job: AnyJob, message: AnyJobMessage): Record<string, unknown> {
  const { kind: _kind, trigger: _trigger, actor: _actor, ...fields } = message;
  if (job.scope === "tenant") delete fields.tenantId;
  return fields;
}

/** Runs `work` under a run record: succeeded with its counts, or failed with the error (then rethrown). */
async function recorded(
  recorder: RunRecorder,
  log: Logger,
  work: () => Promise<JobCounts>,
): Promise<JobCounts> {
  try {
    const counts = await work();
    await recorder.succeed(counts);
    log.info("job succeeded", { runId: recorder.id, counts });
    return counts;
  } catch (error) {
    await recorder.fail(error).catch(() => undefined);
    throw error;
  }
}

/** Records in the control database a run that ended before it began (skipped, or no database to record in). */
async function recordInControl(
  control: ControlDb,
  start: RunStart,
  outcome: { counts: JobCounts } | { error: unknown },
): Promise<RunRecorder> {
  const recorder = await RunRecorder.start({ control }, start);
  if ("error" in outcome) await recorder.fail(outcome.error);
  else await recorder.succeed(outcome.counts);
  return recorder;
}

async function runTenantJob(
  job: AnyJob,
  message: AnyJobMessage & { tenantId: string },
  deps: JobDeps,
  start: RunStart,
  origin: JobOrigin,
  log: Logger,
): Promise<JobCounts> {
  const { control, plane } = deps;
  const tenant = await control.query.tenants.findFirst({ where: eq(tenants.id, message.tenantId) });
  // Only an active organization runs its jobs; the others' databases may be gone or not made yet.
  if (tenant?.status !== "ready" || tenant.deletedAt) {
    const counts = { skipped: 1 };
    const recorder = await recordInControl(control, start, { counts });
    log.info("job skipped: the organization is not active", { runId: recorder.id, counts });
    return counts;
  }
  const input = inputOf(job, message);
  const db = tenantDatabase(openClient(plane.tenant(tenant)));
  try {
    let recorder: RunRecorder;
    try {
      recorder = await RunRecorder.start({ tenant: db }, start);
    } catch (error) {
      // The organization's database cannot be reached: the control database keeps the failed run.
      await recordInControl(control, start, { error }).catch(() => undefined);
      throw error;
    }
    const ctx: TenantJobContext = {
      ...systemContext({
        db,
        control,
        tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
        reason: `job:${job.kind}`,
        log,
        requestId: start.messageId,
      }),
      ...enqueueFor(message, deps),
      origin,
    };
    return await recorded(recorder, log, () => job.run(ctx, input));
  } finally {
    db.$client.close();
  }
}

async function runPlatformJob(
  job: AnyJob,
  message: AnyJobMessage,
  deps: JobDeps,
  start: RunStart,
  origin: JobOrigin,
  log: Logger,
): Promise<JobCounts> {
  const input = inputOf(job, message);
  const concerns = typeof input.tenantId === "string" ? input.tenantId : null;
  const recorder = await RunRecorder.start({ control: deps.control }, { ...start, tenantId: concerns });
  const ctx: PlatformJobContext = {
    control: deps.control,
    plane: deps.plane,
    actor: systemActor(`job:${job.kind}`, start.messageId),
    log,
    ...enqueueFor(message, deps),
    origin,
  };
  return recorded(recorder, log, () => job.run(ctx, input));
}

/**
 * Runs one valid message's job and records the run: a tenant job in its organization's database with that
 * organization's `ServiceContext`, a platform job in the control database. Throws when the job failed (the
 * consumer retries or dead-letters it).
 */
export function runJob(message: JobMessage, deps: JobDeps, meta: RunMeta): Promise<JobCounts> {
  return runJobOf(jobOf(message.kind), message, deps, meta);
}

/** Runs `job` for a message already validated against it (`jobMessageSchema`): what `runJob` does. */
export async function runJobOf(
  job: AnyJob,
  message: AnyJobMessage,
  deps: JobDeps,
  meta: RunMeta,
): Promise<JobCounts> {
  const log = deps.log.child({ kind: job.kind, messageId: meta.messageId ?? undefined });
  const origin: JobOrigin = { trigger: message.trigger, requestedBy: message.actor };
  const start: RunStart = {
    kind: job.kind,
    trigger: message.trigger,
    actor: message.actor,
    messageId: meta.messageId,
    attempt: meta.attempt,
    tenantId: job.scope === "tenant" ? (message.tenantId ?? null) : null,
  };
  if (job.scope === "platform") return runPlatformJob(job, message, deps, start, origin, log);
  const { tenantId } = message;
  if (typeof tenantId !== "string")
    throw new Error(`${job.kind} is a tenant job; its message names no tenantId`);
  return runTenantJob(job, { ...message, tenantId }, deps, start, origin, log);
}
