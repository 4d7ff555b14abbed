import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatReport, loadPassed, runLoad } from "../../scripts/lib/load";
import { type RunningStack, startStack } from "../../scripts/lib/stack";

/**
 * A short run of `npm run load` (the mixed workload of technicians in both demo districts) against the whole
 * local stack: every request succeeds, the Worker still answers afterwards, and every write reads back.
 * Only counts are asserted, never times.
 */
const password = `load-${crypto.randomUUID()}`;
let dataDir: string;
let stack: RunningStack;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "nexus-load-smoke-"));
  stack = await startStack({ dataDir, demoPassword: password });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe("the stack under a steady mixed load", () => {
  it("answers every request of 5 seconds at 30 requests a second, and every write reads back", async () => {
    const report = await runLoad({
      url: stack.url,
      password,
      users: [
        { email: "director@riverton.example.org", tenant: "riverton" },
        { email: "tech@riverton.example.org", tenant: "riverton" },
        { email: "admin@cedarvalley.example.org", tenant: "cedar-valley" },
      ],
      rate: 30,
      seconds: 5,
    });
    expect(report.sent, formatReport(report)).toBe(150);
    for (const operation of ["list", "detail", "comment", "update", "search"] as const) {
      expect(report.byOperation[operation], `${operation} was exercised`).toBeGreaterThan(0);
    }
    expect(report.errors, formatReport(report)).toBe(0);
    expect(report.healthz).toBe(200);
    expect(report.writes.made).toBeGreaterThan(0);
    expect(report.writes.missing, formatReport(report)).toEqual([]);
    expect(loadPassed(report)).toBe(true);
  }, 120_000);
});
