import { z } from "zod";

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
