import type { Env } from "../../env";

export const providerNames = ["google", "microsoft"] as const;
export type ProviderName = (typeof providerNames)[number];

export function isProviderName(value: string): value is ProviderName {
  return (providerNames as readonly string[]).includes(value);
}

/** The Entra tenant id of personal Microsoft accounts (outlook.com, hotmail.com…). */
export const MICROSOFT_CONSUMER_TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad";

/** One OpenID provider as this deployment configures it. */
export interface ProviderConfig {
  name: ProviderName;
  clientId: string;
  clientSecret: string;
  /** The issuer whose `/.well-known/openid-configuration` names the endpoints and keys. */
  issuer: string;
  /** Issuer values an ID token may carry besides the one its discovery document names. */
  extraIssuers: string[];
}

const GOOGLE_ISSUER = "https://accounts.google.com";

/** The provider's settings, or null when its client id or secret is not configured (the button stays hidden). */
export function providerConfig(env: Env, name: ProviderName): ProviderConfig | null {
  if (name === "google") {
    if (!env.GOOGLE_CLIENT_ID || !env.GOOGLE_CLIENT_SECRET) return null;
    const issuer = trimSlash(env.GOOGLE_ISSUER || GOOGLE_ISSUER);
    return {
      name,
      clientId: env.GOOGLE_CLIENT_ID,
      clientSecret: env.GOOGLE_CLIENT_SECRET,
      issuer,
      // Google documents both forms of its issuer in ID tokens.
      extraIssuers: issuer === GOOGLE_ISSUER ? ["accounts.google.com"] : [],
    };
  }
  if (!env.MICROSOFT_CLIENT_ID || !env.MICROSOFT_CLIENT_SECRET) return null;
  const tenant = env.MICROSOFT_TENANT || "common";
  return {
    name,
    clientId: env.MICROSOFT_CLIENT_ID,
    clientSecret: env.MICROSOFT_CLIENT_SECRET,
    issuer: trimSlash(
      env.MICROSOFT_ISSUER || `https://login.microsoftonline.com/${encodeURIComponent(tenant)}/v2.0`,
    ),
    extraIssuers: [],
  };
}

/** Which sign-in buttons the client may show. */
export function configuredProviders(env: Env): Record<ProviderName, boolean> {
  return {
    google: providerConfig(env, "google") !== null,
    microsoft: providerConfig(env, "microsoft") !== null,
  };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}
