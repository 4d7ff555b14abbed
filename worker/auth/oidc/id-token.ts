import { errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from "jose";
import { SsoError } from "./errors";
import { sameString } from "./flow";

/** What an ID token must satisfy (OIDC Core 1.0 §3.1.3.7). */
export interface IdTokenExpectations {
  /** The provider's signing keys (its JWKS) or one key. */
  keys: JWTVerifyGetKey | CryptoKey;
  /**
   * The issuer the discovery document names. Microsoft's multi-tenant metadata names
   * `https://login.microsoftonline.com/{tenantid}/v2.0`: the token's `tid` is put in its place, so the
   * token must come from the Entra tenant it says it comes from.
   */
  issuer: string;
  /** Other issuer values accepted as they are (Google's `accounts.google.com`). */
  extraIssuers?: string[];
  /** Our client id: the only audience accepted. */
  clientId: string;
  /** The nonce sent with the authorization request. */
  nonce: string;
  /** Signature algorithms allowed; never `none` or a symmetric one. */
  algorithms?: string[];
  now?: Date;
}

export interface IdTokenClaims extends JWTPayload {
  sub: string;
  iss: string;
  email?: unknown;
  email_verified?: unknown;
  preferred_username?: unknown;
  name?: unknown;
  tid?: unknown;
  xms_edov?: unknown;
}

/** Clock skew tolerated between Nexus and the provider. */
const CLOCK_TOLERANCE_SECONDS = 60;
/** An ID token issued longer ago than this is not accepted, whatever its expiry. */
const MAX_TOKEN_AGE_SECONDS = 10 * 60;
const ASYMMETRIC = /^(RS|PS|ES)(256|384|512)$|^EdDSA$|^Ed25519$/;
const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Verifies an ID token: signature against the provider's keys with an allowed asymmetric algorithm, then
 * issuer, audience (and `azp`), expiry, issue time and nonce. Throws SsoError("invalid_id_token") with the
 * failed check as detail.
 */
export async function verifyIdToken(token: string, expect: IdTokenExpectations): Promise<IdTokenClaims> {
  const algorithms = (expect.algorithms ?? ["RS256"]).filter((a) => ASYMMETRIC.test(a));
  let payload: JWTPayload;
  try {
    const verified = await jwtVerify(token, expect.keys as JWTVerifyGetKey, {
      algorithms: algorithms.length > 0 ? algorithms : ["RS256"],
      audience: expect.clientId,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      maxTokenAge: MAX_TOKEN_AGE_SECONDS,
      requiredClaims: ["iss", "sub", "aud", "exp", "iat"],
      ...(expect.now ? { currentDate: expect.now } : {}),
    });
    payload = verified.payload;
  } catch (error) {
    throw new SsoError("invalid_id_token", reasonOf(error), { cause: error });
  }
  if (typeof payload.sub !== "string" || payload.sub.length === 0 || payload.sub.length > 255) {
    throw new SsoError("invalid_id_token", "subject: missing or too long");
  }
  if (!issuerMatches(payload, expect)) {
    throw new SsoError("invalid_id_token", `issuer: ${String(payload.iss)} is not expected`);
  }
  // OIDC Core §3.1.3.7 (4, 5): several audiences need an authorized party, and it must be us.
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if ((audiences.length > 1 || payload.azp !== undefined) && payload.azp !== expect.clientId) {
    throw new SsoError("invalid_id_token", "authorized party: not this client");
  }
  if (typeof payload.nonce !== "string" || !sameString(payload.nonce, expect.nonce)) {
    throw new SsoError("invalid_id_token", "nonce: does not match the request");
  }
  return payload as IdTokenClaims;
}

function issuerMatches(payload: JWTPayload, expect: IdTokenExpectations): boolean {
  const iss = payload.iss;
  if (typeof iss !== "string") return false;
  if (expect.extraIssuers?.includes(iss)) return true;
  if (expect.issuer.includes("{tenantid}")) {
    const tid = (payload as { tid?: unknown }).tid;
    return typeof tid === "string" && TENANT_ID.test(tid) && iss === expect.issuer.replace("{tenantid}", tid);
  }
  return iss === expect.issuer;
}

function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired)
    return error.claim === "iat" ? "iat: issued too long ago" : "expired";
  if (error instanceof errors.JWTClaimValidationFailed) return `${error.claim}: ${error.reason}`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return "signature: does not verify";
  if (error instanceof errors.JWKSNoMatchingKey) return "signature: no matching key";
  if (error instanceof errors.JOSEAlgNotAllowed) return "signature: algorithm not allowed";
  if (error instanceof errors.JOSEError) return `malformed: ${error.code}`;
  return `unverifiable: ${(error as Error)?.message ?? String(error)}`;
}
