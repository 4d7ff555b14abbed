import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { dataPlaneOf } from "../../worker/data";
import type { Env } from "../../worker/env";
import worker from "../../worker/index";
import { checkReadiness } from "../../worker/packages/system/health";
import { ORIGIN, testEnv } from "./support";

/**
 * The Worker as deployed with other settings: the same handler, the test bindings with `vars` changed. The
 * issuer is a port nothing listens on, so a sign-in that contacted the provider would end as
 * `provider_unavailable`, not as the refusal these tests expect.
 */
async function fetchWith(vars: Partial<Env>, path: string, headers: Record<string, string> = {}) {
  const env = {
    ...testEnv,
    GOOGLE_CLIENT_ID: "nexus-google-client",
    GOOGLE_CLIENT_SECRET: "google-client-secret-for-tests",
    GOOGLE_ISSUER: "http://127.0.0.1:9",
    ...vars,
  } as Env;
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`${ORIGIN}${path}`, { headers }), env, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

const production = { ENVIRONMENT: "production" } as const;

describe("the public URL OAuth redirects are built on", () => {
  it("is required to start provider sign-in: without it production refuses, naming the reason, and sets no flow", async () => {
    for (const env of [
      { ...production, PUBLIC_URL: undefined },
      { ...production, PUBLIC_URL: "  " },
      { ...production, PUBLIC_URL: "http://nexus.example.org" },
      { ENVIRONMENT: "development" as const, PUBLIC_URL: undefined },
    ]) {
      const response = await fetchWith(env, "/auth/oauth/google/start?intent=signin", {
        host: "attacker.example",
        "x-forwarded-host": "attacker.example",
      });
      expect({ env, status: response.status }).toEqual({ env, status: 302 });
      expect(response.headers.get("location")).toBe("/sign-in?error=public_url_not_configured");
      expect(response.headers.get("set-cookie") ?? "").not.toContain("nexus_oauth");
    }
  });

  it("is required to finish provider sign-in too", async () => {
    const response = await fetchWith(
      { ...production, PUBLIC_URL: undefined },
      "/auth/oauth/google/callback?code=abc&state=def",
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/sign-in?error=public_url_not_configured");
  });

  it("makes a production deployment without it not ready, as a check of its own", async () => {
    const missing = await fetchWith({ ...production, PUBLIC_URL: undefined }, "/readyz");
    expect(missing.status).toBe(503);
    expect(((await missing.json()) as { ready: boolean }).ready).toBe(false);
    const detail = await checkReadiness(dataPlaneOf(testEnv), { ...production, PUBLIC_URL: undefined });
    expect(detail.publicUrl).toEqual({ ok: false, error: "PUBLIC_URL is not configured" });
    expect(detail.control.ok).toBe(true);
    expect(detail.ready).toBe(false);

    const configured = await checkReadiness(dataPlaneOf(testEnv), {
      ...production,
      PUBLIC_URL: "https://nexus.example.org",
    });
    expect(configured.publicUrl).toEqual({ ok: true });
    expect(configured.ready).toBe(configured.control.ok && configured.tenants.every((t) => t.ok));
  });

  it("is reported but does not make a development deployment unready", async () => {
    const detail = await checkReadiness(dataPlaneOf(testEnv), {
      ENVIRONMENT: "development",
      PUBLIC_URL: undefined,
    });
    expect(detail.publicUrl).toEqual({ ok: true, error: "PUBLIC_URL is not configured" });
  });
});
