import type { Env } from "../env";
import { SsoError } from "./oidc/errors";

type PublicUrlEnv = Pick<Env, "ENVIRONMENT" | "PUBLIC_URL">;

/**
 * What is wrong with PUBLIC_URL for building redirect URIs, or null when it is usable: it must be set, be
 * an absolute http(s) address, and use https in production. Nexus never falls back to the request's own
 * origin (the Host header is the caller's to choose).
 */
export function publicUrlProblem(env: PublicUrlEnv): string | null {
  const value = env.PUBLIC_URL?.trim();
  if (!value) return "PUBLIC_URL is not configured";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "PUBLIC_URL is not an absolute URL";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "PUBLIC_URL is not an http(s) URL";
  if (env.ENVIRONMENT === "production" && url.protocol !== "https:") {
    return "PUBLIC_URL must use https in production";
  }
  return null;
}

/**
 * The origin OAuth redirect URIs are built on: PUBLIC_URL without a trailing slash. Throws the typed
 * `public_url_not_configured` sign-in error when it is not usable, so no sign-in starts or completes with a
 * redirect taken from request headers.
 */
export function redirectOrigin(env: PublicUrlEnv): string {
  const problem = publicUrlProblem(env);
  if (problem) throw new SsoError("public_url_not_configured", problem);
  return env.PUBLIC_URL!.trim().replace(/\/+$/, "");
}

/**
 * The readiness check of PUBLIC_URL: in production a deployment without a usable one is not ready (sign-in
 * with a provider, links in email and invitations cannot work); elsewhere the problem is reported but does
 * not make the deployment unready.
 */
export function publicUrlReadiness(env: PublicUrlEnv): { ok: boolean; error?: string } {
  const problem = publicUrlProblem(env);
  if (!problem) return { ok: true };
  return { ok: env.ENVIRONMENT !== "production", error: problem };
}
