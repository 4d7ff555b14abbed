import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { decodeJwt, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from "jose";
import Provider, { type ClientMetadata } from "oidc-provider";

/** A person who can sign in at the test provider; `claims` are added to their ID token (e.g. `tid`, `xms_edov`). */
export interface TestAccount {
  sub: string;
  email: string;
  emailVerified?: boolean;
  name?: string;
  claims?: Record<string, unknown>;
}

export interface RunningOidcProvider {
  issuer: string;
  /** Who the next login at the provider signs in as. */
  signInAs(account: TestAccount): void;
  /**
   * Rewrites the claims of every ID token the token endpoint hands out from now on, re-signing it with the
   * provider's own key (so only the rewritten claims are wrong), or with a key it does not publish. `null`
   * stops tampering.
   */
  tamperIdTokens(
    rewrite: ((claims: JWTPayload) => JWTPayload) | null,
    options?: { signWith?: "provider-key" | "unpublished-key" },
  ): void;
  stop(): Promise<void>;
}

/**
 * A real OpenID Provider (the `oidc-provider` package) on 127.0.0.1 and a random port: discovery, JWKS,
 * authorization with PKCE, the token endpoint, `openid email profile` with `email_verified`. Its login and
 * consent prompts are answered at once, as the account named by `signInAs`, so a test drives the whole
 * flow with plain HTTP requests.
 */
export async function startOidcProvider(options: {
  clients: ClientMetadata[];
}): Promise<RunningOidcProvider> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const unpublished = await generateKeyPair("RS256", { extractable: true });
  const kid = "test-key-1";
  const jwk = { ...(await exportJWK(privateKey)), kid, alg: "RS256", use: "sig" };
  void publicKey;

  const accounts = new Map<string, TestAccount>();
  let current: TestAccount | null = null;
  let tamper: { rewrite: (claims: JWTPayload) => JWTPayload; key: CryptoKey } | null = null;

  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const cookieKey = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64");
  const provider = new Provider(issuer, {
    clients: options.clients.map((c) => ({
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
      ...c,
    })),
    jwks: { keys: [jwk] },
    cookies: { keys: [cookieKey] },
    claims: {
      openid: ["sub", "tid", "xms_edov"],
      email: ["email", "email_verified"],
      profile: ["name", "preferred_username"],
    },
    // Put the scopes' claims in the ID token itself, as Google and Microsoft do.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    pkce: { required: () => true },
    ttl: {
      AuthorizationCode: 60,
      IdToken: 600,
      AccessToken: 600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    async findAccount(_ctx, id) {
      const account = accounts.get(id);
      if (!account) return undefined;
      return {
        accountId: id,
        async claims() {
          return {
            sub: account.sub,
            email: account.email,
            email_verified: account.emailVerified ?? true,
            name: account.name ?? "Test Person",
            ...account.claims,
          };
        },
      };
    },
  });

  // Tampering happens after the token endpoint has built its answer and before it is sent.
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (tamper && ctx.path === "/token" && body && typeof body.id_token === "string") {
      const claims = tamper.rewrite({ ...decodeJwt(body.id_token) });
      ctx.body = {
        ...body,
        id_token: await new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid }).sign(tamper.key),
      };
    }
  });

  const callback = provider.callback();
  server.on("request", async (req, res) => {
    if (!req.url?.startsWith("/interaction/")) return callback(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === "login") {
        if (!current) throw new Error("signInAs() was not called before the login");
        await provider.interactionFinished(
          req,
          res,
          { login: { accountId: current.sub } },
          { mergeWithLastSubmission: false },
        );
        return;
      }
      const grant = new provider.Grant({
        accountId: details.session!.accountId,
        clientId: details.params.client_id as string,
      });
      grant.addOIDCScope(String(details.params.scope));
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      );
    } catch (error) {
      res.statusCode = 500;
      res.end(`interaction failed: ${(error as Error).message}`);
    }
  });

  return {
    issuer,
    signInAs(account) {
      accounts.set(account.sub, account);
      current = account;
    },
    tamperIdTokens(rewrite, opts = {}) {
      tamper = rewrite
        ? { rewrite, key: opts.signWith === "unpublished-key" ? unpublished.privateKey : privateKey }
        : null;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Cookies of one site, as a browser keeps them (by name; path and expiry are not modelled beyond deletion). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attributes.some((a) => {
        const [key, v] = a.trim().split("=");
        if (key?.toLowerCase() === "max-age") return Number(v) <= 0;
        if (key?.toLowerCase() === "expires") return new Date(v ?? "").getTime() < Date.now();
        return false;
      });
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  set(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

/** A GET with the jar's cookies and no redirect following; stores what comes back. */
export async function getWithCookies(url: string, jar: CookieJar): Promise<Response> {
  const response = await fetch(url, { redirect: "manual", headers: { cookie: jar.header() } });
  jar.store(response);
  return response;
}

/**
 * Follows redirects at the provider (carrying the provider's cookies in a jar of the flow's own) until the
 * provider sends the browser back to `returnTo` (the Worker's callback); returns that URL.
 */
export async function passThroughProvider(authorizationUrl: string, returnTo: string): Promise<string> {
  const jar = new CookieJar();
  let url = authorizationUrl;
  for (let hop = 0; hop < 10; hop++) {
    if (url.startsWith(returnTo)) return url;
    const response = await getWithCookies(url, jar);
    const location = response.headers.get("location");
    if (response.status < 300 || response.status >= 400 || !location) {
      throw new Error(
        `the provider answered ${response.status} at ${url}: ${(await response.text()).slice(0, 500)}`,
      );
    }
    url = new URL(location, url).toString();
  }
  throw new Error("too many redirects at the provider");
}
