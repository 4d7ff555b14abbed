/**
 * Runs the Worker locally on wrangler's own dev engine — the one `wrangler dev` drives: the bundler, workerd,
 * local Queues and Cron, R2 and the static assets of wrangler.toml — with the DevTools inspector off.
 *
 * Why not the `wrangler dev` command: it always attaches the inspector, which mirrors every subrequest (each
 * database query, with its body) and every log line over a side channel into wrangler's Node process. Under a
 * mixed load that channel falls behind and fails, and the Worker answers late or not at all
 * (docs/decisions/0018-local-worker-without-inspector.md).
 *
 *   tsx scripts/worker-dev.ts --port 8787 --persist-to .data/wrangler --env-file <file> [--entry <module>] [--watch]
 *
 * Vars and secrets come only from the `--env-file`s (`.dev.vars` syntax), never from the command line.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    "persist-to": { type: "string" },
    "env-file": { type: "string", multiple: true, default: [] },
    entry: { type: "string" },
    /** Rebuild and reload when the Worker's sources change (the dev command); tests and load runs leave it off. */
    watch: { type: "boolean", default: false },
    "log-level": { type: "string", default: "log" },
  },
});

const logLevels = ["debug", "info", "log", "warn", "error", "none"] as const;
type LogLevel = (typeof logLevels)[number];

async function main() {
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error("--port must be a port number.");
  if (!values["persist-to"]) throw new Error("--persist-to must name a folder.");
  const logLevel = values["log-level"] as LogLevel;
  if (!logLevels.includes(logLevel)) throw new Error(`--log-level must be one of ${logLevels.join(", ")}.`);
  const root = resolve(import.meta.dirname, "..");
  const { unstable_startWorker } = await import("wrangler");
  const worker = await unstable_startWorker({
    config: resolve(root, "wrangler.toml"),
    ...(values.entry ? { entrypoint: resolve(root, values.entry) } : {}),
    // Only these files: never a .dev.vars or .env that happens to lie in the working tree.
    envFiles: values["env-file"].map((f) => resolve(f)),
    dev: {
      inspector: false,
      server: { hostname: "127.0.0.1", port },
      persist: resolve(values["persist-to"]),
      testScheduled: true,
      watch: values.watch,
      liveReload: false,
      logLevel,
    },
  });
  await worker.ready;
  console.log(`Worker ready on ${String(await worker.url)}`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await worker.dispose().catch(() => {});
    process.exit(0);
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((error: unknown) => {
  console.error(`The Worker could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
