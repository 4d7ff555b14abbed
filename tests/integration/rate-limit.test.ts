import { describe, expect, it } from "vitest";
import { AppError } from "../../shared/errors";
import { consumeRateLimit, resetRateLimit } from "../../worker/auth/rate-limit";
import { freshControl } from "../support/databases";

const limit = { name: "test", limit: 3, windowSeconds: 60 };

describe("rate limits", () => {
  it("allow the window's allowance and then refuse with a Retry-After", async () => {
    const { db } = await freshControl();
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) await consumeRateLimit(db, limit, "203.0.113.7", t0 + i);
    const refused = await consumeRateLimit(db, limit, "203.0.113.7", t0 + 10_000).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe("TOO_MANY_REQUESTS");
    expect((refused as AppError).details.retryAfterSeconds).toBe(50);
  });

  it("count subjects apart and start afresh after the window", async () => {
    const { db } = await freshControl();
    const t0 = 2_000_000;
    for (let i = 0; i < 3; i++) await consumeRateLimit(db, limit, "a@example.org", t0);
    await expect(consumeRateLimit(db, limit, "b@example.org", t0)).resolves.toBeUndefined();
    await expect(consumeRateLimit(db, limit, "a@example.org", t0 + 60_000)).resolves.toBeUndefined();
  });

  it("can be reset for a subject", async () => {
    const { db } = await freshControl();
    for (let i = 0; i < 3; i++) await consumeRateLimit(db, limit, "c@example.org", 5);
    await resetRateLimit(db, limit, "C@example.org");
    await expect(consumeRateLimit(db, limit, "c@example.org", 6)).resolves.toBeUndefined();
  });

  it("count concurrent attempts exactly", async () => {
    const { db } = await freshControl();
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => consumeRateLimit(db, { ...limit, limit: 5 }, "burst", 10)),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
  });
});
