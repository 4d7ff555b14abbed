import { controlDatabase, openClient } from "../db/client";
import { deadLetters } from "../db/control/schema";
import { mapSettled } from "../shared/concurrency";
import { newId } from "../shared/ids";
import { dataPlaneOf } from "../worker/data";
import type { Env } from "../worker/env";
import { describeError, Logger } from "../worker/log";
import { type DeadLetter, deadLetter, MAX_ATTEMPTS, retryDelaySeconds } from "./messages";
import { jobMessage } from "./registry";
import { type JobDeps, runJob } from "./runner";

/** Messages of one batch processed at once: bounded, since a Worker may hold only six connections. */
const BATCH_CONCURRENCY = 4;

function depsFor(env: Env, log: Logger): JobDeps {
  const plane = dataPlaneOf(env);
  return {
    plane,
    control: controlDatabase(openClient(plane.control)),
    enqueue: async (messages) => {
      if (messages.length > 0) await env.JOBS.sendBatch(messages.map((body) => ({ body })));
    },
    log,
  };
}

function reasonOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 2000);
}

/**
 * The jobs queue consumer: each message is validated, dispatched and acknowledged on its own, so one
 * failure never retries its neighbours. Invalid messages and messages out of attempts go to the dead-letter
 * queue with the reason.
 */
export async function consumeJobs(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const log = new Logger({ queue: batch.queue });
  const deps = depsFor(env, log);
  const toDeadLetters = (message: Message<unknown>, reason: string) =>
    env.DEAD_LETTERS.send({
      deadLetter: true,
      queue: batch.queue,
      messageId: message.id,
      attempts: message.attempts,
      reason,
      body: message.body,
    } satisfies DeadLetter);

  await mapSettled(batch.messages, BATCH_CONCURRENCY, async (message) => {
    const parsed = jobMessage.safeParse(message.body);
    if (!parsed.success) {
      const reason = `invalid message: ${parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ")}`;
      log.warn("job message dead-lettered", { messageId: message.id, reason });
      await toDeadLetters(message, reason);
      message.ack();
      return;
    }
    try {
      await runJob(parsed.data, deps, { messageId: message.id, attempt: message.attempts });
      message.ack();
    } catch (error) {
      if (message.attempts >= MAX_ATTEMPTS) {
        log.error("job out of attempts; dead-lettered", {
          messageId: message.id,
          kind: parsed.data.kind,
          ...describeError(error),
        });
        await toDeadLetters(message, `failed ${message.attempts} times: ${reasonOf(error)}`);
        message.ack();
      } else {
        const delaySeconds = retryDelaySeconds(message.attempts);
        log.warn("job failed; will retry", {
          messageId: message.id,
          kind: parsed.data.kind,
          delaySeconds,
          ...describeError(error),
        });
        message.retry({ delaySeconds });
      }
    }
  });
}

/** The dead-letter queue consumer: keeps every dead letter in the control database for an operator. */
export async function consumeDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const control = controlDatabase(openClient(dataPlaneOf(env).control));
  for (const message of batch.messages) {
    const ours = deadLetter.safeParse(message.body);
    const row = ours.success
      ? {
          queue: ours.data.queue,
          messageId: ours.data.messageId,
          body: ours.data.body ?? null,
          reason: ours.data.reason,
          attempts: ours.data.attempts,
        }
      : {
          queue: batch.queue,
          messageId: message.id,
          body: message.body ?? null,
          reason: "retries exhausted",
          attempts: message.attempts,
        };
    try {
      await control.insert(deadLetters).values({ id: newId(), ...row, receivedAt: new Date() });
      message.ack();
    } catch {
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}
