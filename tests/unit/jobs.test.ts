import { describe, expect, it } from "vitest";
import { retryDelaySeconds } from "../../jobs/messages";
import { jobMessage } from "../../jobs/registry";
import { mapSettled } from "../../shared/concurrency";

describe("job messages", () => {
  it("accept each known job with its trigger", () => {
    expect(jobMessage.parse({ kind: "sessions.cleanup", trigger: "cron" })).toEqual({
      kind: "sessions.cleanup",
      trigger: "cron",
      actor: null,
    });
    expect(
      jobMessage.safeParse({ kind: "tenant.migrate", tenantId: "t1", trigger: "user", actor: "u1" }).success,
    ).toBe(true);
  });

  it("reject unknown kinds, missing fields and oversized ids", () => {
    expect(jobMessage.safeParse({ kind: "drop.everything", trigger: "cron" }).success).toBe(false);
    expect(jobMessage.safeParse({ kind: "tenant.migrate", trigger: "cron" }).success).toBe(false);
    expect(
      jobMessage.safeParse({ kind: "tenant.migrate", tenantId: "x".repeat(65), trigger: "cron" }).success,
    ).toBe(false);
    expect(jobMessage.safeParse("sessions.cleanup").success).toBe(false);
  });

  it("back off exponentially up to ten minutes", () => {
    expect([1, 2, 3, 4].map(retryDelaySeconds)).toEqual([10, 20, 40, 80]);
    expect(retryDelaySeconds(30)).toBe(600);
  });
});

describe("bounded concurrency", () => {
  it("never runs more than the limit at once and keeps results in order", async () => {
    let running = 0;
    let peak = 0;
    const results = await mapSettled([5, 1, 4, 2, 3, 0], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, n * 3));
      running--;
      if (n === 4) throw new Error("four");
      return n * 10;
    });
    expect(peak).toBe(2);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : "failed"))).toEqual([
      50,
      10,
      "failed",
      20,
      30,
      0,
    ]);
  });
});
