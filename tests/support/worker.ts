import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../scripts/lib/ports";
import type { RunningSqld } from "../../scripts/lib/sqld";
import { startWorker } from "../../scripts/lib/stack";
import { sqld } from "./databases";

export interface TestWorker {
  url: string;
  stop(): Promise<void>;
}

/**
 * The real Worker under `wrangler dev` (workerd), against the integration project's sqld and its migrated
 * `control` database, with extra vars. Pick `port` beforehand when something must know the URL before the
 * Worker starts (an OAuth client's redirect URI). Starting takes a few seconds: call it from a hook with a
 * generous timeout.
 */
export async function startTestWorker(options: { port?: number; vars?: Record<string, string> } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), "nexus-worker-"));
  // startWorker only reads the URLs of the sqld; the integration sqld belongs to the global setup.
  const running: RunningSqld = {
    ...sqld(),
    process: undefined as unknown as ChildProcess,
    stop: async () => {},
  };
  try {
    const worker = await startWorker({
      sqld: running,
      dataDir,
      port: options.port ?? (await freePort()),
      ...(options.vars ? { vars: options.vars } : {}),
    });
    return {
      url: worker.url,
      async stop() {
        await worker.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    } satisfies TestWorker;
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
