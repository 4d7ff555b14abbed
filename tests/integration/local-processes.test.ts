import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stopAll } from "../../scripts/lib/processes";
import { startSqld } from "../../scripts/lib/sqld";

const dataDir = mkdtempSync(join(tmpdir(), "nexus-processes-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("processes a script starts", () => {
  it("are all stopped when the script must end early, and stopping one again is harmless", async () => {
    const sqld = await startSqld({ dataDir });
    const pid = sqld.process.pid!;
    expect((await fetch(`${sqld.url}/health`)).ok).toBe(true);
    expect(alive(pid)).toBe(true);

    await stopAll();
    expect(alive(pid)).toBe(false);
    await expect(fetch(`${sqld.url}/health`)).rejects.toThrow();
    await sqld.stop();
  });
});
