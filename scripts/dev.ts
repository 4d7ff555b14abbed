/**
 * `npm run dev`: the whole of Nexus on this machine — sqld with a namespace per database, the demo
 * districts provisioned and seeded (idempotently), the client built by Vite (and rebuilt on change), and the
 * Worker under `wrangler dev` with local Queues and Cron. State lives in .data/ and survives restarts.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { demoDistricts } from "../db/seed/demo-data";
import { demoPassword } from "./lib/demo";
import { freePort } from "./lib/ports";
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

function run(
  command: string,
  args: string[],
  options: { background?: boolean } = {},
): Promise<void> | ChildProcess {
  const child = spawn(resolve(root, "node_modules/.bin", command), args, {
    cwd: root,
    stdio: options.background ? ["ignore", "ignore", "inherit"] : "inherit",
    detached: options.background ?? false,
  });
  if (options.background) return child;
  return new Promise((ok, fail) =>
    child.once("exit", (code) => (code === 0 ? ok() : fail(new Error(`${command} exited with ${code}`)))),
  );
}

async function main() {
  console.log("Nexus: building the client…");
  await run("vite", ["build", "--config", "client/vite.config.ts", "--logLevel", "warn"]);
  const watcher = run(
    "vite",
    ["build", "--watch", "--config", "client/vite.config.ts", "--logLevel", "warn"],
    {
      background: true,
    },
  ) as ChildProcess;

  const password = demoPassword(resolve(dataDir, "demo.json"));
  console.log("Nexus: starting sqld, provisioning the demo districts and starting the Worker…");
  const stack = await startStack({
    dataDir,
    sqldPort: await portOr(8880),
    sqldAdminPort: await portOr(8881),
    webPort: Number(process.env.PORT) || (await portOr(8787)),
    demoPassword: password,
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

  const stop = async () => {
    console.log("\nNexus: stopping…");
    if (watcher.pid) {
      try {
        process.kill(-watcher.pid, "SIGTERM");
      } catch {}
    }
    await stack.stop();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(`Nexus could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
