import type { JobRequestOf } from "./registry";

/**
 * The cron schedule (UTC). wrangler.toml's [triggers] crons must list exactly these expressions; a test
 * keeps them in step.
 */
export const schedule: Record<string, readonly JobRequestOf[]> = {
  "*/15 * * * *": [{ kind: "sessions.cleanup" }],
  "30 7 * * *": [{ kind: "migrations.fan-out" }, { kind: "projects.desk.reindex-all" }],
};
