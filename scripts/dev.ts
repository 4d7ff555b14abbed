/**
 * `npm run dev`: the whole of Nexus on this machine — sqld with a namespace per database, the demo
 * districts provisioned and seeded (idempotently), the client built by Vite (and rebuilt on change), and the
 * Worker under `wrangler dev` with local Queues and Cron. State lives in .data/ and survives restarts.
 * A start that fails or is interrupted stops whatever it had started (the client watcher, sqld, the Worker).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { demoDistricts } from "../worker/seed/demo-data";
import { demoPassword } from "./lib/demo";
import { freePort } from "./lib/ports";
import { stopAll, track } from "./lib/processes";
import { ensureSqld } from "./lib/sqld";
import { startStack } from "./lib/stack";

const root = resolve(import.meta.dirname, "..");
const dataDir = resolve(root, ".data");

async function portOr(preferred: number): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((done) => {
    const probe = createServer();
    probe.once("error", () => freePort().then(done));
    probe.listen(preferred, "127.0.0.1", () => probe.close(() => done(preferred)));
  });
}

/** Runs a tool from node_modules/.bin to completion. */
function run(command: string, args: string[]): Promise<void> {
  const child = spawn(resolve(root, "node_modules/.bin", command), args, { cwd: root, stdio: "inherit" });
  return new Promise((ok, fail) =>
    child.once("exit", (code) => (code === 0 ? ok() : fail(new Error(`${command} exited with ${code}`)))),
  );
}

/** Starts a tool in a process group of its own (so all of it can be stopped), registered to be stopped. */
function startInBackground(command: string, args: string[]): ChildProcess {
  const child = spawn(resolve(root, "node_modules/.bin", command), args, {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const untrack = track(async () => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, "SIGTERM");
        await exited;
      } catch {}
    }
    untrack();
  });
  return child;
}

let stopping = false;
/** Stops everything this command started, then exits. */
async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await stopAll();
  }
  process.exit(code);
}

async function main() {
  // Ctrl+C (or a kill) while starting stops what has started so far, as it does once running.
  process.once("SIGINT", () => {
    console.log("\nNexus: stopping…");
    void shutdown(0);
  });
  process.once("SIGTERM", () => void shutdown(0));

  ensureSqld();
  console.log("Nexus: building the client…");
  await run("vite", ["build", "--config", "client/vite.config.ts", "--logLevel", "warn"]);
  startInBackground("vite", ["build", "--watch", "--config", "client/vite.config.ts", "--logLevel", "warn"]);

  const password = demoPassword(resolve(dataDir, "demo.json"));
  console.log("Nexus: starting sqld, provisioning the demo districts and starting the Worker…");
  const stack = await startStack({
    dataDir,
    sqldPort: await portOr(8880),
    sqldAdminPort: await portOr(8881),
    webPort: Number(process.env.PORT) || (await portOr(8787)),
    demoPassword: password,
    // A developer's own settings (e.g. sign-in client ids and secrets) in the repository's .dev.vars.
    ownDevVars: resolve(root, ".dev.vars"),
    // Rebuild and reload the Worker when its sources change.
    watch: true,
    inheritOutput: true,
  });
  writeFileSync(
    resolve(dataDir, "dev.json"),
    `${JSON.stringify({ url: stack.url, sqldUrl: stack.sqld.url, sqldAdminUrl: stack.sqld.adminUrl }, null, 2)}\n`,
  );

  const accounts = stack.seeded.users.map(
    (u) => `    ${u.email.padEnd(34)} ${u.memberships.map((m) => `${m.role} of ${m.slug}`).join(", ")}`,
  );
  console.log(
    [
      "",
      "  Nexus is running.",
      "",
      `    Open        ${stack.url}`,
      `    Readiness   ${stack.url}/readyz`,
      `    Districts   ${demoDistricts.map((d) => d.name).join("; ")}`,
      "",
      "  Demo accounts (password for all of them below, kept in .data/demo.json):",
      ...accounts,
      `    password: ${password}`,
      "",
      "  Press Ctrl+C to stop. Data stays in .data/ (delete it to start afresh).",
      "",
    ].join("\n"),
  );
}

main().catch(async (error: unknown) => {
  console.error(`Nexus could not start: ${error instanceof Error ? error.message : String(error)}`);
  await shutdown(1);
});
