import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { limits, noAddressLimit, resetRateLimit } from "../../worker/auth/rate-limit";
import { account, randomIp } from "./credentials-support";
import { control, ORIGIN } from "./support";

/**
 * Requests that reach the Worker without a client address (no `CF-Connecting-IP`: not through Cloudflare's
 * edge or `wrangler dev`). They share one stricter bucket per limit; these tests start it empty.
 */
function post(path: string, body: unknown, headers: Record<string, string>) {
  return SELF.fetch(`${ORIGIN}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: ORIGIN, ...headers },
    body: JSON.stringify(body),
  });
}

const spoofed = () => ({ "x-forwarded-for": randomIp(), "x-real-ip": randomIp() });

describe("a request without a client address", () => {
  it("is counted in one shared bucket with a tenth of the allowance, whatever X-Forwarded-For or a malformed CF-Connecting-IP says", async () => {
    const shared = noAddressLimit(limits.emailCheckPerIp);
    expect(shared.limit).toBe(Math.floor(limits.emailCheckPerIp.limit / 10));
    await resetRateLimit(control(), shared, "shared");
    const email = { email: "someone@example.org" };
    for (let i = 0; i < shared.limit; i++) {
      expect((await post("/auth/email-check", email, spoofed())).status).toBe(200);
    }
    // A new forwarded address each time changes nothing: it is never read.
    const limited = await post("/auth/email-check", email, spoofed());
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // A value that is not an address is no address.
    expect((await post("/auth/email-check", email, { "cf-connecting-ip": "unknown" })).status).toBe(429);
    expect((await post("/auth/email-check", email, { "cf-connecting-ip": "1.2.3.4, 5.6.7.8" })).status).toBe(
      429,
    );
    // Requests with an address keep their own buckets, untouched by the shared one.
    expect((await post("/auth/email-check", email, { "cf-connecting-ip": randomIp() })).status).toBe(200);
    await resetRateLimit(control(), shared, "shared");
  });

  it("signs in under the account's own limit and the shared, stricter bucket, which spares requests with an address", async () => {
    const shared = noAddressLimit(limits.signInPerIp);
    await resetRateLimit(control(), shared, "shared");
    const a = await account("member");
    // Wrong passwords for different addresses: only the shared bucket counts them all.
    for (let i = 0; i < shared.limit; i++) {
      const attempt = await post(
        "/auth/sign-in",
        { email: `nobody-${i}-${crypto.randomUUID().slice(0, 8)}@example.org`, password: "not it at all" },
        spoofed(),
      );
      expect(attempt.status).toBe(401);
    }
    const limited = await post("/auth/sign-in", { email: a.email, password: a.password }, spoofed());
    expect(limited.status).toBe(429);
    // The same person from an address signs in.
    const addressed = await post(
      "/auth/sign-in",
      { email: a.email, password: a.password },
      { "cf-connecting-ip": randomIp() },
    );
    expect(addressed.status).toBe(200);
    await resetRateLimit(control(), shared, "shared");
  });
});
