import { z } from "zod";
import type { ControlDb } from "../../db/client";
import type { JobRequest, ServiceContext, ServiceLog, SystemActor } from "../../db/context";
import type { DataPlane } from "../../db/data-plane";

/**
 * How a package declares a job: its kind, the zod schema of its input, its scope and its handler. The
 * queue consumer (`jobs/`) finds every job in one list (`jobs/registry.ts`, assembled like the root router),
 * validates each message against the job's own input, and runs it:
 * - a **tenant** job names an organization (`tenantId` in its message, besides its input). The runner opens
 *   that organization's database once, runs the handler with a system `ServiceContext` there (actor
 *   `{ kind: "system", reason: "job:<kind>" }`) and records the run in the organization's `job_runs`. It runs
 *   only for an active organization (ready, not deleted); for any other the run is recorded as skipped in
 *   the control database.
 * - a **platform** job works on the control database (and the data plane): its run is recorded in the
 *   control database's `job_runs`, with the organization its input names (`tenantId`), if any.
 */
export type JobScope = "tenant" | "platform";

/** How a run started: a Cron Trigger, another job or write (queue), the command line, or a person. */
export const jobTriggers = ["cron", "queue", "cli", "user"] as const;
export type JobTrigger = (typeof jobTriggers)[number];

/** What a run did, as counts (`{ deleted: 3 }`): recorded on the run and shown on the home page. */
export type JobCounts = Record<string, number>;

/** Puts follow-up jobs on the queue, at most 100 messages per send. */
export interface JobEnqueue {
  /** One follow-up job (its kind and its own fields), as a service asks for it. */
  enqueue(job: JobRequest): Promise<void>;
  /** Many follow-up jobs, e.g. one per organization. */
  enqueueMany(jobs: readonly JobRequest[]): Promise<void>;
}

/** Who asked for the run, besides the system acting: the person's user id when a person did. */
export interface JobOrigin {
  trigger: JobTrigger;
  requestedBy: string | null;
}

/** A tenant job's context: the organization's `ServiceContext`, acting as the system, plus follow-up jobs. */
export type TenantJobContext = ServiceContext<SystemActor> & JobEnqueue & { origin: JobOrigin };

/** A platform job's context: the control database and the data plane, no organization's database. */
export interface PlatformJobContext extends JobEnqueue {
  control: ControlDb;
  /** Where every organization's database is, for jobs that create or migrate them. */
  plane: DataPlane;
  actor: SystemActor;
  log: ServiceLog;
  origin: JobOrigin;
}

export interface JobContexts {
  tenant: TenantJobContext;
  platform: PlatformJobContext;
}

/** A job's input: a zod object of its own fields (never `kind`, `trigger`, `actor`, nor a tenant job's `tenantId`). */
export type JobInput = z.ZodType<Record<string, unknown>>;

export interface JobDefinition<
  K extends string = string,
  S extends JobScope = JobScope,
  I extends JobInput = JobInput,
> {
  kind: K;
  scope: S;
  input: I;
  /** Does the work and says what it did; a throw fails the run, which the queue retries with backoff. */
  run(ctx: JobContexts[S], input: z.output<I>): Promise<JobCounts>;
}

/** Declares a job of a package; list it in the package's `jobs.ts`, which `jobs/registry.ts` imports. */
export function defineJob<const K extends string, S extends JobScope, I extends JobInput>(
  job: JobDefinition<K, S, I>,
): JobDefinition<K, S, I> {
  return job;
}

/** Message fields that belong to the queue, not to a job's input. */
const envelopeFields = ["kind", "trigger", "actor"] as const;
/** The organization a tenant job runs for. */
export const tenantIdField = z.string().min(1).max(64);

const envelopeShape = {
  trigger: z.enum(jobTriggers),
  /** The user who asked for the run, when a person did. */
  actor: z.string().max(64).nullable().default(null),
};

// biome-ignore lint/suspicious/noExplicitAny: a list holds jobs of every input type; each is checked where declared.
export type AnyJob = JobDefinition<string, JobScope, any>;

/** A job's own fields (an empty `z.object({})` reads as an index signature, which would swallow the rest). */
type FieldsOf<T> = { [P in keyof T as string extends P ? never : P]: T[P] };

/** The message that runs `J`: its kind, trigger and actor, a tenant job's organization, and the job's input. */
export type JobMessageOf<J> =
  J extends JobDefinition<infer K, infer S, infer I>
    ? { kind: K; trigger: JobTrigger; actor: string | null } & (S extends "tenant"
        ? { tenantId: string }
        : unknown) &
        FieldsOf<z.output<I>>
    : never;

/** A validated message of any job, as the runner reads it. */
export interface AnyJobMessage {
  kind: string;
  trigger: JobTrigger;
  actor: string | null;
  tenantId?: string;
  [field: string]: unknown;
}

/**
 * Checks a list of jobs as the consumer will use it: kinds unique, and no input declaring a field the
 * message envelope owns. Throws on the first problem (a test imports the registry, so it fails there).
 */
export function assembleJobs<const T extends readonly AnyJob[]>(list: T): T {
  const seen = new Set<string>();
  for (const job of list) {
    if (seen.has(job.kind)) throw new Error(`Job ${job.kind} is declared twice`);
    seen.add(job.kind);
    const shape = job.input instanceof z.ZodObject ? Object.keys(job.input.shape) : [];
    const reserved: readonly string[] =
      job.scope === "tenant" ? [...envelopeFields, "tenantId"] : envelopeFields;
    const clash = shape.find((field) => reserved.includes(field));
    if (clash)
      throw new Error(`Job ${job.kind} declares "${clash}" in its input; the message envelope owns it`);
  }
  return list;
}

/**
 * The zod schema of a queue message for any of `list`: the kind selects the job; then the envelope
 * (trigger, actor, a tenant job's `tenantId`) and the job's own input schema are checked together, so the
 * reason a bad message is dead-lettered names every wrong field.
 */
export function jobMessageSchema<const T extends readonly AnyJob[]>(
  list: T,
): z.ZodType<JobMessageOf<T[number]>, unknown> {
  const options = list.map((job) => {
    const envelope = z.object({
      kind: z.literal(job.kind),
      ...envelopeShape,
      ...(job.scope === "tenant" ? { tenantId: tenantIdField } : {}),
    });
    return z
      .object({ kind: z.literal(job.kind) })
      .loose()
      .pipe(z.intersection(envelope, job.input as JobInput));
  });
  if (options.length === 0) throw new Error("No jobs declared");
  return z.discriminatedUnion(
    "kind",
    options as unknown as [(typeof options)[number], ...(typeof options)[number][]],
  ) as unknown as z.ZodType<JobMessageOf<T[number]>, unknown>;
}
