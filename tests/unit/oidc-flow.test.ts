import { describe, expect, it } from "vitest";
import type { SsoError } from "../../worker/auth/oidc/errors";
import { decodeFlow, encodeFlow, randomToken, safeNext, sameString } from "../../worker/auth/oidc/flow";
import type { IdTokenClaims } from "../../worker/auth/oidc/id-token";
import { identityFromClaims } from "../../worker/auth/oidc/identity";
import {
  configuredProviders,
  MICROSOFT_CONSUMER_TENANT,
  providerConfig,
} from "../../worker/auth/oidc/providers";
import type { Env } from "../../worker/env";

describe("where the browser goes after sign-in", () => {
  it("keeps paths on this site, with their query and fragment", () => {
    expect(safeNext("/district/schools?view=open#top")).toBe("/district/schools?view=open#top");
    expect(safeNext("/")).toBe("/");
  });

  it("turns anything that could leave the site into /", () => {
    for (const next of [
      undefined,
      null,
      "",
      "//evil.example",
      "///evil.example",
      "https://evil.example",
      "javascript:alert(1)",
      "/\\evil.example",
      "\\\\evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      " /x",
      "evil.example",
      `/${"a".repeat(2001)}`,
    ]) {
      expect(safeNext(next), String(next)).toBe("/");
    }
  });
});

describe("the flow cookie", () => {
  const flow = {
    state: randomToken(),
    codeVerifier: randomToken(),
    nonce: randomToken(),
    next: "/x",
    intent: "signin" as const,
  };

  it("round-trips the flow's secrets", () => {
    expect(decodeFlow(encodeFlow(flow))).toEqual(flow);
  });

  it("reads a missing, garbled or incomplete cookie as no flow", () => {
    expect(decodeFlow(undefined)).toBeNull();
    expect(decodeFlow("not-base64-json")).toBeNull();
    expect(
      decodeFlow(Buffer.from(JSON.stringify({ ...flow, nonce: undefined })).toString("base64url")),
    ).toBeNull();
  });

  it("makes 256-bit random values and compares them exactly", () => {
    const a = randomToken();
    expect(a).toMatch(/^[\w-]{43}$/);
    expect(a).not.toBe(randomToken());
    expect(sameString(a, a)).toBe(true);
    expect(sameString(a, `${a}x`)).toBe(false);
    expect(sameString(a, randomToken())).toBe(false);
  });
});

const base = { iss: "https://issuer.example", sub: "s-1", aud: "c", exp: 0, iat: 0 };
const claims = (extra: Record<string, unknown>) => ({ ...base, ...extra }) as IdTokenClaims;

function refusedWith(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as SsoError).code;
  }
  return "accepted";
}

describe("what Nexus takes from an ID token", () => {
  it("takes Google's address, lower-cased, only when Google verified it", () => {
    expect(
      identityFromClaims("google", claims({ email: "Pat@District.Example", email_verified: true })),
    ).toEqual({
      provider: "google",
      subject: "s-1",
      email: "pat@district.example",
      name: "pat",
    });
    expect(refusedWith(() => identityFromClaims("google", claims({ email: "p@d.example" })))).toBe(
      "email_not_verified",
    );
    expect(
      refusedWith(() =>
        identityFromClaims("google", claims({ email: "p@d.example", email_verified: false })),
      ),
    ).toBe("email_not_verified");
    expect(refusedWith(() => identityFromClaims("google", claims({ email_verified: true })))).toBe(
      "email_not_verified",
    );
  });

  it("takes Microsoft's email or preferred_username only when Microsoft vouches for the domain", () => {
    const tid = "0b5c8a4e-1f2d-4c3b-9a8e-7d6c5b4a3f21";
    expect(
      identityFromClaims(
        "microsoft",
        claims({ preferred_username: "Pat@D.example", tid, xms_edov: true, name: "Pat" }),
      ),
    ).toMatchObject({ email: "pat@d.example", name: "Pat" });
    expect(
      identityFromClaims("microsoft", claims({ email: "p@outlook.example", tid: MICROSOFT_CONSUMER_TENANT }))
        .email,
    ).toBe("p@outlook.example");
    expect(
      refusedWith(() => identityFromClaims("microsoft", claims({ email: "ceo@victim.example", tid }))),
    ).toBe("email_not_verified");
    expect(
      refusedWith(() =>
        identityFromClaims("microsoft", claims({ email: "ceo@victim.example", tid, xms_edov: false })),
      ),
    ).toBe("email_not_verified");
    expect(
      refusedWith(() =>
        identityFromClaims("microsoft", claims({ preferred_username: "not-an-address", tid })),
      ),
    ).toBe("email_not_verified");
  });
});

describe("provider settings", () => {
  const env = (vars: Partial<Env>) => vars as Env;

  it("treats a provider as configured only with both a client id and a secret", () => {
    expect(configuredProviders(env({}))).toEqual({ google: false, microsoft: false });
    expect(configuredProviders(env({ GOOGLE_CLIENT_ID: "g" }))).toEqual({ google: false, microsoft: false });
    expect(
      configuredProviders(
        env({ GOOGLE_CLIENT_ID: "g", GOOGLE_CLIENT_SECRET: "s", MICROSOFT_CLIENT_ID: "m" }),
      ),
    ).toEqual({ google: true, microsoft: false });
  });

  it("defaults to Google's issuer and to Microsoft's multi-tenant one", () => {
    expect(providerConfig(env({ GOOGLE_CLIENT_ID: "g", GOOGLE_CLIENT_SECRET: "s" }), "google")).toMatchObject(
      {
        issuer: "https://accounts.google.com",
        extraIssuers: ["accounts.google.com"],
      },
    );
    const microsoft = env({ MICROSOFT_CLIENT_ID: "m", MICROSOFT_CLIENT_SECRET: "s" });
    expect(providerConfig(microsoft, "microsoft")?.issuer).toBe(
      "https://login.microsoftonline.com/common/v2.0",
    );
    expect(providerConfig({ ...microsoft, MICROSOFT_TENANT: "organizations" }, "microsoft")?.issuer).toBe(
      "https://login.microsoftonline.com/organizations/v2.0",
    );
    expect(
      providerConfig({ ...microsoft, MICROSOFT_ISSUER: "http://127.0.0.1:9/" }, "microsoft")?.issuer,
    ).toBe("http://127.0.0.1:9");
  });
});
