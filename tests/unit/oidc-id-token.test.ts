import { createLocalJWKSet, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { SsoError } from "../../worker/auth/oidc/errors";
import { type IdTokenExpectations, verifyIdToken } from "../../worker/auth/oidc/id-token";

const ISSUER = "https://issuer.example";
const CLIENT = "nexus-client";
const NONCE = "n-0S6_WzA2Mj-the-nonce-we-sent";

let keys: IdTokenExpectations["keys"];
let signingKey: CryptoKey;
let otherKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair("RS256", { extractable: true });
  signingKey = pair.privateKey;
  otherKey = (await generateKeyPair("RS256")).privateKey;
  keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256" }] });
});

const now = () => Math.floor(Date.now() / 1000);

function claims(overrides: JWTPayload = {}): JWTPayload {
  return {
    iss: ISSUER,
    sub: "248289761001",
    aud: CLIENT,
    iat: now(),
    exp: now() + 300,
    nonce: NONCE,
    ...overrides,
  };
}

function sign(payload: JWTPayload, key = signingKey, header: Record<string, unknown> = {}) {
  return new SignJWT(payload).setProtectedHeader({ alg: "RS256", kid: "k1", ...header }).sign(key);
}

function expectations(overrides: Partial<IdTokenExpectations> = {}): IdTokenExpectations {
  return { keys, issuer: ISSUER, clientId: CLIENT, nonce: NONCE, ...overrides };
}

async function refusal(token: Promise<string> | string, expect_ = expectations()): Promise<string> {
  try {
    await verifyIdToken(await token, expect_);
  } catch (error) {
    expect(error).toBeInstanceOf(SsoError);
    expect((error as SsoError).code).toBe("invalid_id_token");
    return (error as SsoError).detail;
  }
  throw new Error("the ID token was accepted");
}

describe("ID token validation", () => {
  it("accepts a token signed by the provider for us, from the issuer, unexpired, with our nonce", async () => {
    const verified = await verifyIdToken(await sign(claims({ email: "a@b.example" })), expectations());
    expect(verified).toMatchObject({ sub: "248289761001", email: "a@b.example" });
  });

  it("refuses a token signed with a key the provider does not publish", async () => {
    expect(await refusal(sign(claims(), otherKey))).toMatch(/^signature/);
  });

  it("refuses a token whose payload was changed after signing", async () => {
    const [header, , signature] = (await sign(claims())).split(".");
    const forged = Buffer.from(JSON.stringify(claims({ sub: "someone-else" }))).toString("base64url");
    expect(await refusal(`${header}.${forged}.${signature}`)).toMatch(/^signature/);
  });

  it("refuses unsigned and symmetrically signed tokens", async () => {
    const body = Buffer.from(JSON.stringify(claims())).toString("base64url");
    const none = `${Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url")}.${body}.`;
    expect(await refusal(none)).toMatch(/signature|malformed/);
    const hs = await new SignJWT(claims()).setProtectedHeader({ alg: "HS256" }).sign(new Uint8Array(32));
    expect(await refusal(hs)).toMatch(/signature|malformed/);
  });

  it("refuses a token for another audience", async () => {
    expect(await refusal(sign(claims({ aud: "someone-else" })))).toMatch(/^aud/);
  });

  it("refuses a token for several audiences unless we are the authorized party", async () => {
    expect(await refusal(sign(claims({ aud: [CLIENT, "other"] })))).toMatch(/authorized party/);
    await expect(
      verifyIdToken(await sign(claims({ aud: [CLIENT, "other"], azp: CLIENT })), expectations()),
    ).resolves.toBeTruthy();
    expect(await refusal(sign(claims({ azp: "other" })))).toMatch(/authorized party/);
  });

  it("refuses a token from another issuer", async () => {
    expect(await refusal(sign(claims({ iss: "https://evil.example" })))).toMatch(/^issuer/);
  });

  it("accepts Google's second issuer form only when it is listed", async () => {
    const token = await sign(claims({ iss: "accounts.google.com" }));
    await expect(
      verifyIdToken(token, expectations({ extraIssuers: ["accounts.google.com"] })),
    ).resolves.toBeTruthy();
    expect(await refusal(token)).toMatch(/^issuer/);
  });

  it("refuses an expired token, and one issued too long ago", async () => {
    expect(await refusal(sign(claims({ iat: now() - 900, exp: now() - 600 })))).toBe("expired");
    expect(await refusal(sign(claims({ iat: now() - 3600, exp: now() + 3600 })))).toMatch(/^iat/);
  });

  it("refuses a token with another nonce, or none", async () => {
    expect(await refusal(sign(claims({ nonce: "a-different-nonce-value" })))).toMatch(/^nonce/);
    expect(await refusal(sign(claims({ nonce: undefined })))).toMatch(/^nonce/);
  });

  it("refuses a token missing its subject or issue time", async () => {
    expect(await refusal(sign(claims({ sub: undefined })))).toMatch(/sub/);
    expect(await refusal(sign(claims({ iat: undefined })))).toMatch(/iat/);
  });

  describe("Microsoft's multi-tenant issuer", () => {
    const template = "https://login.microsoftonline.com/{tenantid}/v2.0";
    const tid = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    it("accepts a token whose issuer names the Entra tenant in its tid", async () => {
      const token = await sign(claims({ iss: `https://login.microsoftonline.com/${tid}/v2.0`, tid }));
      await expect(verifyIdToken(token, expectations({ issuer: template }))).resolves.toBeTruthy();
    });

    it("refuses a token whose issuer and tid disagree, or whose tid is not a tenant id", async () => {
      const other = "0b5c8a4e-1f2d-4c3b-9a8e-7d6c5b4a3f21";
      const mismatch = await sign(claims({ iss: `https://login.microsoftonline.com/${other}/v2.0`, tid }));
      expect(await refusal(mismatch, expectations({ issuer: template }))).toMatch(/^issuer/);
      const bogus = await sign(claims({ iss: "https://login.microsoftonline.com/x/v2.0", tid: "x" }));
      expect(await refusal(bogus, expectations({ issuer: template }))).toMatch(/^issuer/);
      const missing = await sign(claims({ iss: `https://login.microsoftonline.com/${tid}/v2.0` }));
      expect(await refusal(missing, expectations({ issuer: template }))).toMatch(/^issuer/);
    });
  });
});
