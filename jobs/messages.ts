import { z } from "zod";

/** Every job Nexus runs from its queue. A message that does not match is dead-lettered with the reason. */
export const job = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("sessions.cleanup") }),
  z.object({ kind: z.literal("migrations.fan-out") }),
  z.object({ kind: z.literal("tenant.migrate"), tenantId: z.string().min(1).max(64) }),
  /** Rebuilds one organization's rows of the root desk's index from its own database. */
  z.object({ kind: z.literal("projects.desk.reindex"), tenantId: z.string().min(1).max(64) }),
  /** Enqueues projects.desk.reindex for every active organization. */
  z.object({ kind: z.literal("projects.desk.reindex-all") }),
]);
export type Job = z.infer<typeof job>;
export type JobKind = Job["kind"];

export const jobMessage = z.intersection(
  job,
  z.object({
    trigger: z.enum(["cron", "queue", "cli", "user"]),
    /** The user who asked for it, when a person did. */
    actor: z.string().max(64).nullable().default(null),
  }),
);
export type JobMessage = z.infer<typeof jobMessage>;

/** What the dead-letter queue carries when the consumer itself dead-letters a message. */
export const deadLetter = z.object({
  deadLetter: z.literal(true),
  queue: z.string(),
  messageId: z.string(),
  attempts: z.number().int(),
  reason: z.string(),
  body: z.unknown(),
});
export type DeadLetter = z.infer<typeof deadLetter>;

export const JOBS_QUEUE = "nexus-jobs";
export const DEAD_LETTER_QUEUE = "nexus-dead-letters";
/** Attempts before the consumer gives up and dead-letters a message itself (wrangler's max_retries is the backstop). */
export const MAX_ATTEMPTS = 5;

/** Exponential backoff: 10 s, 20 s, 40 s, … capped at 10 minutes. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(600, 10 * 2 ** Math.max(0, attempts - 1));
}
