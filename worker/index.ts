import { consumeDeadLetters, consumeJobs } from "../jobs/consumer";
import { DEAD_LETTER_QUEUE } from "../jobs/messages";
import { onScheduled } from "../jobs/scheduled";
import { app } from "./app";
import type { Env } from "./env";

export default {
  fetch: app.fetch,
  async scheduled(controller, env, _ctx) {
    await onScheduled(controller, env);
  },
  async queue(batch, env, _ctx) {
    if (batch.queue === DEAD_LETTER_QUEUE) await consumeDeadLetters(batch, env);
    else await consumeJobs(batch, env);
  },
} satisfies ExportedHandler<Env>;
