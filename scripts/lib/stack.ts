import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, existsSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { dataPlaneFrom } from "../../db/data-plane";
import { seedDemo } from "../../worker/seed/demo";
import { freePort, waitFor } from "./ports";
import { track } from "./processes";
import { localSecrets } from "./secrets";
import { type RunningSqld, startSqld } from "./sqld";

const root = resolve(import.meta.dirname, "../..");

export interface StackOptions {
  /** Where sqld and wrangler keep their state. */
  dataDir: string;
  sqldPort?: number;
  sqldAdminPort?: number;
  webPort?: number;
  /** Demo accounts' password. */
  demoPassword: string;
  /** Extra Worker vars and secrets. */
  vars?: Record<string, string>;
  /** The Worker's entry module; default: wrangler.toml's `main`, the Worker users are served. */
  entry?: string;
  /**
   * A developer's own `.dev.vars` (e.g. sign-in client ids and secrets), read before the stack's file, whose
   * settings win. The dev command passes the repository's; tests pass none, so they never depend on it.
   */
  ownDevVars?: string;
  /** Print wrangler's output (the dev command does; tests do not). */
  inheritOutput?: boolean;
  /** Rebuild and reload the Worker when its sources change (the dev command does). */
  watch?: boolean;
}

export interface RunningStack {
  url: string;
  sqld: RunningSqld;
  seeded: Awaited<ReturnType<typeof seedDemo>>;
  wrangler: ChildProcess;
  stop(): Promise<void>;
}

export function localPlaneSettings(sqld: RunningSqld) {
  return { DATA_PLANE: "local", LIBSQL_URL: sqld.url, LIBSQL_ADMIN_URL: sqld.adminUrl } as const;
}

/**
 * Writes the Worker's vars and secrets where `wrangler dev --env-file` reads them (`.dev.vars` syntax), readable
 * by this user alone — so no secret is ever on a command line (`ps` shows those to every user of the machine).
 */
export function writeDevVars(file: string, vars: Record<string, string>): void {
  const lines = Object.entries(vars).map(([key, value]) => {
    if (!/^[A-Z][A-Z0-9_]*$/.test(key)) throw new Error(`Not a Worker variable name: ${key}`);
    // Kept simple so it reads back exactly: quoted, `$` escaped (wrangler expands $NAME), no \, " or newlines.
    if (/["\\\r\n]/.test(value)) throw new Error(`${key} holds a quote, a backslash or a newline`);
    return `${key}="${value.replaceAll("$", "\\$")}"`;
  });
  writeFileSync(file, `${lines.join("\n")}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/**
 * Starts the Worker on wrangler's dev engine (workerd, local Queues and Cron) against a running sqld. Vars and
 * secrets reach it through a file of this stack's own (`<dataDir>/worker.dev.vars`), never through arguments.
 */
export async function startWorker(options: {
  sqld: RunningSqld;
  dataDir: string;
  port: number;
  vars?: Record<string, string>;
  entry?: string;
  ownDevVars?: string;
  inheritOutput?: boolean;
  /** Rebuild and reload on source changes (the dev command); off for tests, load and bench. */
  watch?: boolean;
}): Promise<{ url: string; process: ChildProcess; stop(): Promise<void> }> {
  if (!existsSync(resolve(root, "client/dist/index.html"))) {
    throw new Error(
      "The client is not built: run `npm run build:client` first (npm test and npm run dev do it).",
    );
  }
  const vars = {
    ...localPlaneSettings(options.sqld),
    ...localSecrets(resolve(options.dataDir, "secrets.json")),
    PUBLIC_URL: `http://127.0.0.1:${options.port}`,
    ...options.vars,
  };
  const devVars = resolve(options.dataDir, "worker.dev.vars");
  writeDevVars(devVars, vars);
  // wrangler's dev engine with the inspector off (scripts/worker-dev.ts, ADR 0018).
  const args = [
    resolve(root, "scripts/worker-dev.ts"),
    ...(options.entry ? ["--entry", options.entry] : []),
    ...(options.ownDevVars && existsSync(options.ownDevVars) ? ["--env-file", options.ownDevVars] : []),
    "--env-file",
    devVars,
    "--port",
    String(options.port),
    "--persist-to",
    resolve(options.dataDir, "wrangler"),
    "--log-level",
    process.env.WRANGLER_LOG ?? (options.inheritOutput ? "log" : "warn"),
    ...(options.watch ? ["--watch"] : []),
  ];
  const child = spawn(resolve(root, "node_modules/.bin/tsx"), args, {
    cwd: root,
    detached: true,
    stdio: ["ignore", options.inheritOutput ? "inherit" : "pipe", options.inheritOutput ? "inherit" : "pipe"],
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: "false",
      WRANGLER_SEND_ERROR_REPORTS: "false",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      WRANGLER_LOG: process.env.WRANGLER_LOG ?? (options.inheritOutput ? "log" : "warn"),
    },
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const url = `http://127.0.0.1:${options.port}`;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const stopGroup = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {}
    }, 3000);
    await exited;
    clearTimeout(timer);
  };
  const stop = async () => {
    await stopGroup();
    untrack();
  };
  const untrack = track(stop);
  try {
    await waitFor(
      "wrangler dev",
      async () => {
        if (child.exitCode !== null) throw new Error(`wrangler dev exited:\n${output}`);
        return (await fetch(`${url}/healthz`)).ok;
      },
      60_000,
    );
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  return { url, process: child, stop };
}

/** sqld + migrated control database + demo tenants + the Worker: the whole local Nexus. */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const sqld = await startSqld({
    dataDir: resolve(options.dataDir, "sqld"),
    ...(options.sqldPort ? { httpPort: options.sqldPort } : {}),
    ...(options.sqldAdminPort ? { adminPort: options.sqldAdminPort } : {}),
  });
  try {
    const seeded = await seedDemo(dataPlaneFrom(localPlaneSettings(sqld)), options.demoPassword);
    const worker = await startWorker({
      sqld,
      dataDir: options.dataDir,
      port: options.webPort ?? (await freePort()),
      ...(options.vars ? { vars: options.vars } : {}),
      ...(options.entry ? { entry: options.entry } : {}),
      ...(options.ownDevVars ? { ownDevVars: options.ownDevVars } : {}),
      ...(options.inheritOutput ? { inheritOutput: true } : {}),
      ...(options.watch ? { watch: true } : {}),
    });
    return {
      url: worker.url,
      sqld,
      seeded,
      wrangler: worker.process,
      async stop() {
        await worker.stop();
        await sqld.stop();
      },
    };
  } catch (error) {
    await sqld.stop();
    throw error;
  }
}
