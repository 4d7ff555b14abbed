import { createRemoteJWKSet, type JWTVerifyGetKey } from "jose";
import { z } from "zod";
import { SsoError } from "./errors";
import type { ProviderConfig } from "./providers";

/** The parts of an OpenID Provider's metadata (OIDC Discovery 1.0 §3) Nexus uses. */
export const discoveryDocument = z.object({
  issuer: z.string().min(1),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
  id_token_signing_alg_values_supported: z.array(z.string()).optional(),
});
export type DiscoveryDocument = z.infer<typeof discoveryDocument>;

/** Metadata changes rarely; an isolate re-reads it at most this often. */
const DISCOVERY_TTL_MS = 60 * 60 * 1000;

const documents = new Map<string, { document: Promise<DiscoveryDocument>; until: number }>();
const keySets = new Map<string, JWTVerifyGetKey>();

/**
 * The provider's metadata from `<issuer>/.well-known/openid-configuration`, cached per isolate. A failed
 * fetch is not cached. The document must name the configured issuer (Microsoft's multi-tenant endpoints
 * answer with an `{tenantid}` template on the same host instead), and its endpoints must use https when the
 * issuer does.
 */
export function discover(
  provider: ProviderConfig,
  fetcher: typeof fetch = fetch,
  now = Date.now(),
): Promise<DiscoveryDocument> {
  const cached = documents.get(provider.issuer);
  if (cached && cached.until > now) return cached.document;
  const document = fetchDocument(provider, fetcher);
  documents.set(provider.issuer, { document, until: now + DISCOVERY_TTL_MS });
  document.catch(() => {
    if (documents.get(provider.issuer)?.document === document) documents.delete(provider.issuer);
  });
  return document;
}

async function fetchDocument(provider: ProviderConfig, fetcher: typeof fetch): Promise<DiscoveryDocument> {
  const url = `${provider.issuer}/.well-known/openid-configuration`;
  let body: unknown;
  try {
    const response = await fetcher(url, { headers: { accept: "application/json" } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    body = await response.json();
  } catch (error) {
    throw new SsoError("provider_unavailable", `discovery failed: ${(error as Error).message}`);
  }
  const parsed = discoveryDocument.safeParse(body);
  if (!parsed.success) throw new SsoError("provider_unavailable", "discovery document is malformed");
  const document = parsed.data;
  const issuerOk =
    provider.name === "microsoft"
      ? new URL(document.issuer.replace("{tenantid}", "t")).origin === new URL(provider.issuer).origin
      : document.issuer.replace(/\/+$/, "") === provider.issuer;
  if (!issuerOk) {
    throw new SsoError(
      "provider_unavailable",
      `discovery names issuer ${document.issuer}, not ${provider.issuer}`,
    );
  }
  if (new URL(provider.issuer).protocol === "https:") {
    for (const endpoint of [document.authorization_endpoint, document.token_endpoint, document.jwks_uri]) {
      if (new URL(endpoint).protocol !== "https:") {
        throw new SsoError("provider_unavailable", `discovery names a non-https endpoint: ${endpoint}`);
      }
    }
  }
  return document;
}

/** The provider's signing keys (JWKS), fetched on demand and cached per isolate by jose (re-fetched on an unknown kid). */
export function keySetOf(document: DiscoveryDocument): JWTVerifyGetKey {
  let keys = keySets.get(document.jwks_uri);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(document.jwks_uri), { timeoutDuration: 5000 });
    keySets.set(document.jwks_uri, keys);
  }
  return keys;
}

/** Forgets cached metadata and keys (tests). */
export function clearDiscoveryCache(): void {
  documents.clear();
  keySets.clear();
}
