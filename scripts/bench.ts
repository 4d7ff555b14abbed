/**
 * `npm run bench`: Nexus's performance targets, as ratios and sizes measured in one run on this machine.
 *  1. API overhead — requests/s of an authenticated, tenant-resolved tRPC read (education.schools.list)
 *     against a bare Hono route running the same query on the same tenant database. Target ≥ 0.85.
 *  2. The data path — the same tRPC read against the same Worker's `/healthz` (no database). Target ≥ 0.5.
 *  3. Worker bundle gzip size (target ≤ 1 MB) and the client's first-load JS gzip size (target ≤ 250 KB).
 * Rounds alternate between the three routes so machine noise hits them alike; the median round counts.
 * Runs on a fresh clone right after `npm install`: it builds the client (the Worker's static assets) first.
 * The baseline route lives in the bench Worker (worker/bench.ts), never in the Worker users are served.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { TENANT_HEADER } from "../shared/transport";
import { startStack } from "./lib/stack";

const root = resolve(import.meta.dirname, "..");
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

interface RoundResult {
  rps: number;
  p50: number;
  p95: number;
  errors: number;
}

async function load(url: string, headers: Record<string, string>, durationMs: number): Promise<RoundResult> {
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + durationMs;
  const lane = async () => {
    while (performance.now() < deadline) {
      const started = performance.now();
      const response = await fetch(url, { headers });
      await response.arrayBuffer();
      if (!response.ok) errors++;
      latencies.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { rps: (latencies.length / elapsed) * 1000, p50: at(0.5), p95: at(0.95), errors };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function workerBundleGzip(): number {
  execFileSync(
    resolve(root, "node_modules/.bin/wrangler"),
    ["deploy", "--dry-run", "--outdir", ".build/worker"],
    {
      cwd: root,
      stdio: "pipe",
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
    },
  );
  return gzipSync(readFileSync(resolve(root, ".build/worker/index.js"))).length;
}

function buildClient(): void {
  execFileSync(
    resolve(root, "node_modules/.bin/vite"),
    ["build", "--config", "client/vite.config.ts", "--logLevel", "warn"],
    { cwd: root, stdio: "pipe" },
  );
}

/** JS the browser fetches before the first render: the entry script and its modulepreloads. */
function clientFirstLoadGzip(): { bytes: number; files: string[] } {
  const html = readFileSync(resolve(root, "client/dist/index.html"), "utf8");
  const files = [
    ...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g),
  ].map((m) => m[1]!);
  const bytes = files.reduce(
    (sum, f) => sum + gzipSync(readFileSync(resolve(root, "client/dist", `.${f}`))).length,
    0,
  );
  return { bytes, files };
}

async function main() {
  // `npm run bench -- --api-only` skips the builds (for iterating on the API path).
  const apiOnly = process.argv.includes("--api-only");
  // The Worker serves the built client as its static assets (wrangler wants client/dist), so it comes first.
  if (!apiOnly || !existsSync(resolve(root, "client/dist/index.html"))) {
    console.log("Building the client…");
    buildClient();
  }
  console.log(apiOnly ? "Skipping bundle sizes (--api-only)…" : "Measuring bundle sizes…");
  const worker = apiOnly ? 0 : workerBundleGzip();
  const client = apiOnly ? { bytes: 0, files: [] } : clientFirstLoadGzip();

  const dataDir = mkdtempSync(join(tmpdir(), "nexus-bench-"));
  const password = `bench-${crypto.randomUUID()}`;
  console.log("Starting sqld and the Worker (wrangler dev)…");
  // The bench Worker: Nexus's Worker plus the baseline route (worker/bench.ts).
  const stack = await startStack({ dataDir, demoPassword: password, entry: "worker/bench.ts" });
  try {
    const signIn = await fetch(`${stack.url}/auth/sign-in`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: stack.url },
      body: JSON.stringify({ email: "director@riverton.example.org", password }),
    });
    if (!signIn.ok) throw new Error(`sign-in failed: ${signIn.status}`);
    const cookie = signIn.headers.get("set-cookie")!.split(";")[0]!;
    const tenant = stack.seeded.tenants.find((t) => t.slug === "riverton")!;

    const trpcUrl = `${stack.url}/trpc/education.schools.list?input=${encodeURIComponent(JSON.stringify({ limit: 50 }))}`;
    const trpcHeaders = { cookie, [TENANT_HEADER]: tenant.slug };
    const bareUrl = `${stack.url}/__bench/schools/${tenant.databaseName}`;

    const viaTrpc = (await (await fetch(trpcUrl, { headers: trpcHeaders })).json()) as {
      result: { data: { items: { name: string }[] } };
    };
    const viaBare = (await (await fetch(bareUrl)).json()) as { items: { name: string }[] };
    const names = (items: { name: string }[]) => items.map((i) => i.name).join("|");
    if (names(viaTrpc.result.data.items) !== names(viaBare.items)) throw new Error("the two routes disagree");

    console.log(
      `Warming up, then ${ROUNDS} alternating rounds of ${ROUND_MS} ms at concurrency ${CONCURRENCY}…`,
    );
    await load(bareUrl, {}, 1000);
    await load(trpcUrl, trpcHeaders, 1000);
    const healthUrl = `${stack.url}/healthz`;
    await load(healthUrl, {}, 1000);
    const bare: RoundResult[] = [];
    const trpc: RoundResult[] = [];
    const health: RoundResult[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      bare.push(await load(bareUrl, {}, ROUND_MS));
      trpc.push(await load(trpcUrl, trpcHeaders, ROUND_MS));
      health.push(await load(healthUrl, {}, ROUND_MS));
    }
    const errors = [...bare, ...trpc, ...health].reduce((n, r) => n + r.errors, 0);
    const bareRps = median(bare.map((r) => r.rps));
    const trpcRps = median(trpc.map((r) => r.rps));
    const healthRps = median(health.map((r) => r.rps));
    const ratio = trpcRps / bareRps;
    const dataPath = trpcRps / healthRps;
    const mark = (ok: boolean) => (ok ? "meets target" : "MISSES target");

    console.log(
      [
        "",
        "Nexus benchmark",
        "───────────────",
        `bare Hono route, same query     ${bareRps.toFixed(0).padStart(7)} req/s   p50 ${median(bare.map((r) => r.p50)).toFixed(2)} ms   p95 ${median(bare.map((r) => r.p95)).toFixed(2)} ms`,
        `tRPC, session + tenant resolved ${trpcRps.toFixed(0).padStart(7)} req/s   p50 ${median(trpc.map((r) => r.p50)).toFixed(2)} ms   p95 ${median(trpc.map((r) => r.p95)).toFixed(2)} ms`,
        `/healthz, no database           ${healthRps.toFixed(0).padStart(7)} req/s   p50 ${median(health.map((r) => r.p50)).toFixed(2)} ms   p95 ${median(health.map((r) => r.p95)).toFixed(2)} ms`,
        `API overhead ratio              ${ratio.toFixed(2).padStart(7)}          target ≥ 0.85   ${mark(ratio >= 0.85)}`,
        `Data path ratio (read/healthz)  ${dataPath.toFixed(2).padStart(7)}          target ≥ 0.5    ${mark(dataPath >= 0.5)}`,
        `Worker bundle (gzip)            ${kb(worker).padStart(10)}       target ≤ 1024 KB ${mark(worker <= 1024 * 1024)}`,
        `Client first-load JS (gzip)     ${kb(client.bytes).padStart(10)}       target ≤ 250 KB  ${mark(client.bytes <= 250 * 1024)}`,
        `  (${client.files.length} file(s): ${client.files.join(", ")})`,
        errors ? `WARNING: ${errors} request(s) failed during the run` : "all requests succeeded",
        "",
      ].join("\n"),
    );
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`Benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
