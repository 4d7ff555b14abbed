import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/lib/ports";
import type { RunningSqld } from "../../scripts/lib/sqld";
import { startWorker } from "../../scripts/lib/stack";
import { sqld } from "../support/databases";

/**
 * Every process in the Worker's process group (wrangler, workerd and their helpers), with the command line
 * `ps` shows to every user of the machine. (Their environments are readable by their owner alone, as is the
 * file; wrangler's CLI copies env files into its own.)
 */
function processGroup(pgid: number): { pid: number; comm: string; cmdline: string }[] {
  const found = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // pid (comm) state ppid pgrp …: comm may hold spaces, so read after its closing parenthesis.
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const [, , group] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(group) !== pgid) continue;
      found.push({
        pid: Number(entry),
        comm,
        cmdline: readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " "),
      });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

const secret = `client-secret-${crypto.randomUUID()}`;
let dataDir: string;
let worker: Awaited<ReturnType<typeof startWorker>>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "nexus-secrets-"));
  // startWorker only reads the URLs of the sqld; the integration sqld belongs to the global setup.
  const running: RunningSqld = {
    ...sqld(),
    process: undefined as unknown as ChildProcess,
    stop: async () => {},
  };
  worker = await startWorker({
    sqld: running,
    dataDir,
    port: await freePort(),
    vars: { GOOGLE_CLIENT_ID: "nexus-google-client", GOOGLE_CLIENT_SECRET: secret },
  });
});

afterAll(async () => {
  await worker?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe("local secrets", () => {
  it("reach the local Worker through a file of the stack's own, never a command line", async () => {
    const { ENCRYPTION_KEY } = JSON.parse(readFileSync(join(dataDir, "secrets.json"), "utf8")) as {
      ENCRYPTION_KEY: string;
    };
    expect(ENCRYPTION_KEY.length).toBeGreaterThanOrEqual(40);

    // The Worker got its settings from the file: /readyz reaches this sqld only through LIBSQL_URL there.
    expect((await fetch(`${worker.url}/readyz`)).status).toBe(200);
    const file = join(dataDir, "worker.dev.vars");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const written = readFileSync(file, "utf8");
    expect(written).toContain(`ENCRYPTION_KEY="${ENCRYPTION_KEY}"`);
    expect(written).toContain(`GOOGLE_CLIENT_SECRET="${secret}"`);

    const group = processGroup(worker.process.pid!);
    expect(group.map((p) => p.pid)).toContain(worker.process.pid);
    expect(group.some((p) => p.comm === "workerd" || p.cmdline.includes("workerd"))).toBe(true);
    for (const proc of group) {
      for (const value of [ENCRYPTION_KEY, secret])
        expect(proc.cmdline, `${proc.comm} ${proc.pid}`).not.toContain(value);
    }
  });
});
