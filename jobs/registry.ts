import { type AnyJob, assembleJobs, type JobMessageOf, jobMessageSchema } from "../worker/kit/jobs";
import { projectsJobs } from "../worker/packages/projects/jobs";
import { systemJobs } from "../worker/packages/system/jobs";
import { platformJobs } from "./maintenance/migrations";

/** Every job Nexus runs from its queue: each package's `jobs.ts`, listed like the root router lists routers. */
export const jobs = assembleJobs([...platformJobs, ...systemJobs, ...projectsJobs]);

export type Job = (typeof jobs)[number];
export type JobKind = Job["kind"];

/** A message on the jobs queue. One that matches no job (or not its input) is dead-lettered with the reason. */
export const jobMessage = jobMessageSchema(jobs);
export type JobMessage = JobMessageOf<Job>;
/** A job as it is asked for (a schedule entry, a follow-up): its kind and its own fields. */
export type JobRequestOf<M = JobMessage> = M extends unknown ? Omit<M, "trigger" | "actor"> : never;

const byKind = new Map<string, AnyJob>(jobs.map((job) => [job.kind, job]));

/** The job a (valid) message names. */
export function jobOf(kind: string): AnyJob {
  const job = byKind.get(kind);
  if (!job) throw new Error(`No job ${kind}`);
  return job;
}
