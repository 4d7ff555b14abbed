import type { Env } from "../worker/env";
import { Logger } from "../worker/log";
import type { JobMessage } from "./registry";
import { schedule } from "./schedule";

/** Cron Trigger entry: enqueues the jobs scheduled for this expression; the queue consumer runs them. */
export async function onScheduled(controller: Pick<ScheduledController, "cron">, env: Env): Promise<number> {
  const log = new Logger({ cron: controller.cron });
  const jobs = schedule[controller.cron] ?? [];
  if (jobs.length === 0) {
    log.warn("no jobs for this cron expression");
    return 0;
  }
  const messages: JobMessage[] = jobs.map((job) => ({ ...job, trigger: "cron", actor: null }));
  await env.JOBS.sendBatch(messages.map((body) => ({ body })));
  log.info("scheduled jobs enqueued", { kinds: messages.map((m) => m.kind) });
  return messages.length;
}
