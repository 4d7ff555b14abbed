/**
 * `npm run load`: starts the whole local Nexus (sqld + demo districts + the Worker under `wrangler dev`) in a
 * scratch folder, drives the mixed workload of ./lib/load.ts at a fixed rate for a fixed time, prints what it
 * saw, and exits non-zero unless every request succeeded, `/healthz` answered afterwards and every write read
 * back. Target: 200 req/s for 60 s with no error.
 *
 *   npm run load                          # 200 req/s for 60 s
 *   npm run load -- --rate 50 --seconds 20
 *   npm run load -- --url http://127.0.0.1:8787 --password <demo password>   # against a running `npm run dev`
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { formatReport, type LoadUser, loadPassed, runLoad } from "./lib/load";
import { startStack } from "./lib/stack";

const { values } = parseArgs({
  options: {
    rate: { type: "string", default: "200" },
    seconds: { type: "string", default: "60" },
    connections: { type: "string", default: "64" },
    url: { type: "string" },
    password: { type: "string" },
  },
});

const users: LoadUser[] = [
  { email: "director@riverton.example.org", tenant: "riverton" },
  { email: "tech@riverton.example.org", tenant: "riverton" },
  { email: "admin@cedarvalley.example.org", tenant: "cedar-valley" },
  { email: "director@riverton.example.org", tenant: "cedar-valley" },
];

const root = resolve(import.meta.dirname, "..");

/** The Worker serves the built client: build it when a fresh clone has none. */
function ensureClientBuilt(): void {
  if (existsSync(resolve(root, "client/dist/index.html"))) return;
  console.log("Load: building the client…");
  const vite = resolve(root, "node_modules/.bin/vite");
  const built = spawnSync(vite, ["build", "--config", "client/vite.config.ts", "--logLevel", "warn"], {
    cwd: root,
    stdio: "inherit",
  });
  if (built.status !== 0) throw new Error("The client build failed.");
}

async function main() {
  const rate = Number(values.rate);
  const seconds = Number(values.seconds);
  if (!(rate > 0) || !(seconds > 0)) throw new Error("--rate and --seconds must be positive numbers.");
  let url = values.url;
  let password = values.password;
  let stop = async () => {};
  if (!url) {
    ensureClientBuilt();
    const dataDir = mkdtempSync(join(tmpdir(), "nexus-load-"));
    password = `load-${crypto.randomUUID()}`;
    console.log("Load: starting sqld, the demo districts and the Worker…");
    const stack = await startStack({ dataDir, demoPassword: password });
    url = stack.url;
    stop = async () => {
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    };
  } else if (!password) {
    throw new Error("With --url, give the demo password too (--password; it is in .data/demo.json).");
  }
  try {
    console.log(`Load: ${rate} req/s for ${seconds} s against ${url}`);
    const report = await runLoad({
      url,
      password: password!,
      users,
      rate,
      seconds,
      connections: Number(values.connections),
      onProgress: (p) => {
        if (p.elapsedSeconds % 10 === 0 && p.elapsedSeconds > 0)
          console.log(`  ${p.elapsedSeconds} s: ${p.sent} sent, ${p.done} answered, ${p.errors} errors`);
      },
    });
    console.log(`\n${formatReport(report)}`);
    const passed = loadPassed(report);
    console.log(passed ? "\nLoad: passed." : "\nLoad: FAILED.");
    process.exitCode = passed ? 0 : 1;
  } finally {
    await stop();
  }
}

main().catch((error: unknown) => {
  console.error(`Load could not run: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
