import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discover } from "../../worker/auth/oidc/discovery";
import { SsoError } from "../../worker/auth/oidc/errors";
import type { ProviderConfig } from "../../worker/auth/oidc/providers";

/** A provider's metadata endpoint: each path prefix (`/<name>`) serves the document a test put there. */
const documents = new Map<string, { status: number; body: unknown }>();
const hits = new Map<string, number>();
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const name = req.url?.split("/")[1] ?? "";
    hits.set(name, (hits.get(name) ?? 0) + 1);
    const entry = req.url?.endsWith("/.well-known/openid-configuration") ? documents.get(name) : undefined;
    res.writeHead(entry?.status ?? 404, { "content-type": "application/json" });
    res.end(JSON.stringify(entry?.body ?? { error: "not found" }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

function provider(name: string, kind: ProviderConfig["name"] = "google"): ProviderConfig {
  return { name: kind, clientId: "c", clientSecret: "s", issuer: `${base}/${name}`, extraIssuers: [] };
}

function metadata(issuer: string, endpointBase = issuer) {
  return {
    issuer,
    authorization_endpoint: `${endpointBase}/authorize`,
    token_endpoint: `${endpointBase}/token`,
    jwks_uri: `${endpointBase}/jwks`,
    id_token_signing_alg_values_supported: ["RS256"],
  };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SsoError);
  expect((error as SsoError).code).toBe("provider_unavailable");
  return (error as SsoError).detail;
}

describe("OpenID provider discovery", () => {
  it("reads the endpoints from the issuer's metadata, once per isolate", async () => {
    const p = provider("ok");
    documents.set("ok", { status: 200, body: metadata(p.issuer) });
    const document = await discover(p);
    expect(document.token_endpoint).toBe(`${p.issuer}/token`);
    await discover(p);
    expect(hits.get("ok")).toBe(1);
  });

  it("refuses metadata that names another issuer", async () => {
    const p = provider("impostor");
    documents.set("impostor", { status: 200, body: metadata("https://evil.example") });
    expect(await refusal(discover(p))).toMatch(/names issuer https:\/\/evil.example/);
  });

  it("accepts Microsoft's {tenantid} template on the issuer's own host", async () => {
    const p = { ...provider("common", "microsoft"), issuer: `${base}/common/v2.0` };
    documents.set("common", { status: 200, body: metadata(`${base}/{tenantid}/v2.0`, `${base}/common`) });
    expect((await discover(p)).issuer).toBe(`${base}/{tenantid}/v2.0`);
  });

  it("refuses http endpoints from an https issuer", async () => {
    const p = { ...provider("downgrade"), issuer: "https://login.example/downgrade" };
    documents.set("downgrade", { status: 200, body: metadata(p.issuer, "http://login.example") });
    // The https issuer is served by the local server: only the transport is redirected.
    const viaLocal: typeof fetch = (input, init) =>
      fetch(String(input).replace("https://login.example", base), init);
    expect(await refusal(discover(p, viaLocal))).toMatch(/non-https endpoint/);
  });

  it("does not remember a failure: the next sign-in tries again", async () => {
    const p = provider("flaky");
    documents.set("flaky", { status: 503, body: {} });
    expect(await refusal(discover(p))).toMatch(/HTTP 503/);
    documents.set("flaky", { status: 200, body: { issuer: p.issuer } });
    expect(await refusal(discover(p))).toMatch(/malformed/);
    documents.set("flaky", { status: 200, body: metadata(p.issuer) });
    await expect(discover(p)).resolves.toMatchObject({ issuer: p.issuer });
    expect(hits.get("flaky")).toBe(3);
  });
});
