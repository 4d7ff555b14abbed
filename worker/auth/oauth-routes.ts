import { CodeChallengeMethod, generateCodeVerifier, generateState, OAuth2Client } from "arctic";
import type { Context } from "hono";
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { auditRow } from "../../db/audit";
import { auditLog } from "../../db/control/schema";
import { openControl } from "../data";
import type { AppBindings } from "../http";
import { describeError } from "../log";
import { setSessionCookie } from "./cookies";
import { findOrCreateSsoAccount } from "./oidc/account";
import { discover, keySetOf } from "./oidc/discovery";
import { SsoError, type SsoErrorCode } from "./oidc/errors";
import {
  decodeFlow,
  encodeFlow,
  FLOW_COOKIE_MAX_AGE_SECONDS,
  flowCookieName,
  flowCookiePath,
  randomToken,
  safeNext,
  sameString,
} from "./oidc/flow";
import { verifyIdToken } from "./oidc/id-token";
import { type ExternalIdentity, identityFromClaims } from "./oidc/identity";
import { configuredProviders, isProviderName, type ProviderName, providerConfig } from "./oidc/providers";
import { startSsoSession } from "./oidc/session";
import { redirectOrigin } from "./public-url";

const SCOPES = ["openid", "email", "profile"];

type AppContext = Context<AppBindings>;

/**
 * Sign-in with Google and Microsoft (OpenID Connect, authorization code flow with PKCE and a nonce):
 * `GET /auth/providers`, `GET /auth/oauth/:provider/start`, `GET /auth/oauth/:provider/callback`.
 * Every failure is a redirect to `/sign-in?error=<code>`; see docs/decisions/0009-sso.md.
 */
export const oauthRoutes = new Hono<AppBindings>()
  /** Which providers are configured, so the client knows which buttons to show. */
  .get("/providers", (c) => {
    c.header("cache-control", "no-store");
    return c.json(configuredProviders(c.env));
  })

  /** `?intent=signin|register&next=/path` → 302 to the provider, with the flow's secrets in a cookie. */
  .get("/oauth/:provider/start", async (c) => {
    c.header("cache-control", "no-store");
    const name = c.req.param("provider");
    if (!isProviderName(name)) return refuse(c, "unknown_provider");
    const provider = providerConfig(c.env, name);
    if (!provider) return refuse(c, "provider_not_configured");
    const intent = c.req.query("intent") ?? "signin";
    if (intent !== "signin" && intent !== "register") return refuse(c, "invalid_request");
    let document: Awaited<ReturnType<typeof discover>>;
    let oauth: OAuth2Client;
    try {
      // Without a configured public URL there is no redirect URI to give the provider: refused first.
      oauth = client(c, provider);
      document = await discover(provider);
    } catch (error) {
      return fail(c, name, error);
    }
    const flow = {
      state: generateState(),
      codeVerifier: generateCodeVerifier(),
      nonce: randomToken(),
      next: safeNext(c.req.query("next")),
      intent,
    } as const;
    const url = oauth.createAuthorizationURLWithPKCE(
      document.authorization_endpoint,
      flow.state,
      CodeChallengeMethod.S256,
      flow.codeVerifier,
      SCOPES,
    );
    url.searchParams.set("nonce", flow.nonce);
    setCookie(c, flowCookieName(name), encodeFlow(flow), {
      httpOnly: true,
      secure: true,
      sameSite: "Lax",
      path: flowCookiePath(name),
      maxAge: FLOW_COOKIE_MAX_AGE_SECONDS,
    });
    return c.redirect(url.toString(), 302);
  })

  /** `?code&state` from the provider → a session and a redirect to `next`, or `/sign-in?error=<code>`. */
  .get("/oauth/:provider/callback", async (c) => {
    c.header("cache-control", "no-store");
    const name = c.req.param("provider");
    if (!isProviderName(name)) return refuse(c, "unknown_provider");
    const flow = decodeFlow(getCookie(c, flowCookieName(name)));
    // One use only, whatever happens next.
    deleteCookie(c, flowCookieName(name), {
      httpOnly: true,
      secure: true,
      sameSite: "Lax",
      path: flowCookiePath(name),
    });
    let identity: ExternalIdentity | null = null;
    try {
      const provider = providerConfig(c.env, name);
      if (!provider) throw new SsoError("provider_not_configured", "no client id or secret");
      const oauth = client(c, provider);
      const providerError = c.req.query("error");
      if (providerError)
        throw new SsoError("provider_denied", `provider answered ${providerError.slice(0, 100)}`);
      const state = c.req.query("state");
      const code = c.req.query("code");
      if (!flow) throw new SsoError("invalid_state", "no sign-in in progress (cookie missing or expired)");
      if (!state || !sameString(state, flow.state))
        throw new SsoError("invalid_state", "state does not match");
      if (!code) throw new SsoError("invalid_request", "no authorization code");

      const document = await discover(provider);
      let idToken: string;
      try {
        const tokens = await oauth.validateAuthorizationCode(
          document.token_endpoint,
          code,
          flow.codeVerifier,
        );
        idToken = tokens.idToken();
      } catch (error) {
        throw new SsoError("token_exchange_failed", (error as Error).message ?? "token request failed", {
          cause: error,
        });
      }
      const claims = await verifyIdToken(idToken, {
        keys: keySetOf(document),
        issuer: document.issuer,
        extraIssuers: provider.extraIssuers,
        clientId: provider.clientId,
        nonce: flow.nonce,
        algorithms: document.id_token_signing_alg_values_supported ?? ["RS256"],
      });
      identity = identityFromClaims(name, claims);

      const control = openControl(c.env);
      const meta = { ip: c.get("ip"), requestId: c.get("requestId") };
      const account = await findOrCreateSsoAccount(control, identity, meta);
      const session = await startSsoSession(control, account.user, name, {
        ...meta,
        userAgent: c.req.header("user-agent") ?? null,
      });
      setSessionCookie(c, session.token, session.expiresAt);
      c.get("log").info("sso sign-in", {
        provider: name,
        userId: account.user.id,
        via: account.via,
        intent: flow.intent,
        joinedTenantIds: account.joinedTenantIds,
        pendingSecondFactor: session.pendingSecondFactor,
      });
      if (session.pendingSecondFactor) {
        const next = flow.next === "/" ? "" : `&next=${encodeURIComponent(flow.next)}`;
        return c.redirect(`/sign-in?second_factor=1${next}`, 302);
      }
      return c.redirect(safeNext(flow.next), 302);
    } catch (error) {
      return fail(c, name, error, identity);
    }
  });

/**
 * The OAuth client for this provider, with the callback URL as registered at the provider: always on
 * PUBLIC_URL, never on the request's own origin (throws `public_url_not_configured` without one).
 */
function client(c: AppContext, provider: { name: ProviderName; clientId: string; clientSecret: string }) {
  const origin = redirectOrigin(c.env);
  return new OAuth2Client(
    provider.clientId,
    provider.clientSecret,
    `${origin}/auth/oauth/${provider.name}/callback`,
  );
}

function refuse(c: AppContext, code: SsoErrorCode): Response {
  return c.redirect(`/sign-in?error=${code}`, 302);
}

/**
 * Ends a failed flow: the reason is logged (never sent), a failure after the provider vouched for someone is
 * audited, and the browser goes back to the sign-in page with the error code.
 */
async function fail(
  c: AppContext,
  provider: ProviderName,
  error: unknown,
  identity: ExternalIdentity | null = null,
): Promise<Response> {
  const log = c.get("log");
  const code: SsoErrorCode = error instanceof SsoError ? error.code : "sign_in_failed";
  if (error instanceof SsoError) log.warn("sso sign-in refused", { provider, code, detail: error.detail });
  else log.error("sso sign-in failed", { provider, ...describeError(error) });
  if (identity && error instanceof SsoError) {
    try {
      await openControl(c.env)
        .insert(auditLog)
        .values(
          auditRow({
            actorKind: "user",
            action: "auth.sign_in_failed",
            targetType: "user",
            after: { provider, email: identity.email, reason: code },
            ip: c.get("ip"),
            requestId: c.get("requestId"),
          }),
        );
    } catch (auditError) {
      log.error("sso sign-in failure not audited", describeError(auditError));
    }
  }
  return refuse(c, code);
}
