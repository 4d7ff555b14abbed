import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SECURITY_HEADERS } from "../../shared/security-headers";
import { startTestWorker, type TestWorker } from "../support/worker";

/** What the Worker serves under wrangler's dev engine, static client included, read as a browser would. */
let worker: TestWorker;

beforeAll(async () => {
  worker = await startTestWorker();
}, 120_000);

afterAll(async () => {
  await worker?.stop();
});

function expectSecurityHeaders(response: Response, what: string) {
  const csp = response.headers.get("content-security-policy");
  expect(csp, `${what}: CSP`).toBe(SECURITY_HEADERS["Content-Security-Policy"]);
  expect(csp, `${what}: frame-ancestors`).toContain("frame-ancestors 'none'");
  expect(response.headers.get("strict-transport-security"), `${what}: HSTS`).toMatch(/max-age=\d{7,}/);
  expect(response.headers.get("x-content-type-options"), `${what}: nosniff`).toBe("nosniff");
  expect(response.headers.get("referrer-policy"), `${what}: referrer policy`).toBe("no-referrer");
  expect(response.headers.get("x-frame-options"), `${what}: X-Frame-Options`).toBe("DENY");
}

describe("security headers on everything served", () => {
  it("come with the HTML shell, a deep client route and a script of the client", async () => {
    const shell = await fetch(`${worker.url}/`);
    expect(shell.status).toBe(200);
    const html = await shell.text();
    expect(html).toContain("<div id=");
    expectSecurityHeaders(shell, "the shell");

    const deep = await fetch(`${worker.url}/riverton/projects/issues/01a2391c-86e7-7069-8100-2bc46e490d42`);
    expect(deep.status).toBe(200);
    expect(deep.headers.get("content-type")).toContain("text/html");
    await deep.text();
    expectSecurityHeaders(deep, "a deep route");

    const script = html.match(/<script[^>]+src="([^"]+\.js)"/)?.[1];
    expect(script, "the shell names its script").toBeTruthy();
    const js = await fetch(new URL(script!, worker.url));
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toMatch(/javascript/);
    await js.arrayBuffer();
    expectSecurityHeaders(js, "a script");
  });

  it("come with the Worker's own answers: health, an API error, a sign-in page error", async () => {
    for (const path of ["/healthz", "/readyz", "/api/v1/nothing-here", "/trpc/nothing.here"]) {
      const response = await fetch(`${worker.url}${path}`);
      await response.arrayBuffer();
      expectSecurityHeaders(response, path);
    }
  });
});
