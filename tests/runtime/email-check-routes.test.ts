import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { limits } from "../../worker/auth/rate-limit";
import { createUser } from "../support/fixtures";
import { control, ORIGIN } from "./support";

/** Each test comes from an address of its own, so the per-IP counters of other tests never interfere. */
function newIp(): string {
  const b = crypto.getRandomValues(new Uint8Array(2));
  return `198.51.${b[0]}.${b[1]}`;
}

function check(body: unknown, ip: string, headers: Record<string, string> = {}) {
  return SELF.fetch(`${ORIGIN}/auth/email-check`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: ORIGIN, "cf-connecting-ip": ip, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

describe("the address check before registering through a provider", () => {
  it("says whether an address already has an account, whatever its case", async () => {
    const ip = newIp();
    const user = await createUser(control());
    for (const [email, inUse] of [
      [user.email, true],
      [user.email.toUpperCase(), true],
      [`nobody-${crypto.randomUUID().slice(0, 8)}@example.org`, false],
    ] as const) {
      const response = await check({ email }, ip);
      expect(response.status, email).toBe(200);
      expect(await response.json()).toEqual({ inUse });
      expect(response.headers.get("cache-control")).toBe("no-store");
    }
  });

  it("answers malformed input with 400 and field errors, without counting it", async () => {
    const ip = newIp();
    const notAnAddress = await check({ email: "not-an-address" }, ip);
    expect(notAnAddress.status).toBe(400);
    const body = (await notAnAddress.json()) as {
      error: { code: string; fieldErrors: Record<string, string[]> };
    };
    expect(body.error.code).toBe("BAD_REQUEST");
    expect(body.error.fieldErrors.email).toBeTruthy();
    expect((await check({}, ip)).status).toBe(400);
    expect((await check("{not json", ip)).status).toBe(400);
    for (let i = 0; i < limits.emailCheckPerIp.limit; i++) {
      expect((await check({ email: `x${i}@example.org` }, ip)).status).toBe(200);
    }
  });

  it("is rate limited per IP: past the allowance it answers 429 with Retry-After, and other IPs are unaffected", async () => {
    const ip = newIp();
    for (let i = 0; i < limits.emailCheckPerIp.limit; i++) {
      expect((await check({ email: `probe${i}@example.org` }, ip)).status).toBe(200);
    }
    const limited = await check({ email: "one-more@example.org" }, ip);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(limits.emailCheckPerIp.windowSeconds);
    const body = (await limited.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("TOO_MANY_REQUESTS");
    expect(JSON.stringify(body)).not.toMatch(/inUse/);
    expect((await check({ email: "one-more@example.org" }, newIp())).status).toBe(200);
  });

  it("refuses a cross-site request", async () => {
    const response = await check({ email: "a@example.org" }, newIp(), { origin: "https://evil.example" });
    expect(response.status).toBe(403);
  });
});

describe("the SSO routes when no provider is configured", () => {
  it("tells the client that neither provider is available", async () => {
    const response = await SELF.fetch(`${ORIGIN}/auth/providers`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ google: false, microsoft: false });
  });

  it("sends the browser back to sign-in from an unconfigured or unknown provider", async () => {
    for (const [path, error] of [
      ["/auth/oauth/google/start?intent=register", "provider_not_configured"],
      ["/auth/oauth/microsoft/start", "provider_not_configured"],
      ["/auth/oauth/microsoft/callback?code=a&state=b", "provider_not_configured"],
      ["/auth/oauth/github/start", "unknown_provider"],
    ] as const) {
      const response = await SELF.fetch(`${ORIGIN}${path}`, { redirect: "manual" });
      expect(response.status, path).toBe(302);
      expect(response.headers.get("location"), path).toBe(`/sign-in?error=${error}`);
    }
  });
});
