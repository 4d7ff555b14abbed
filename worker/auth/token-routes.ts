import { eq } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { auditRow } from "../../db/audit";
import { auditLog, users } from "../../db/control/schema";
import { isDatabaseUnavailable } from "../../db/errors";
import { AppError } from "../../shared/errors";
import {
  passwordGrant,
  refreshTokenGrant,
  type TokenErrorResponse,
  totpCode,
} from "../../shared/schemas/credentials";
import { openControl } from "../data";
import type { AppBindings } from "../http";
import { findRefreshToken, issueTokenFamily, rotateRefreshToken } from "./bearer";
import { passwordSignInAllowed } from "./oidc/policy";
import { decoyHash, verifyPassword } from "./password";
import { consumeIpRateLimit, consumeRateLimit, limits, resetRateLimit } from "./rate-limit";
import { acceptTotpCode } from "./totp";
import { deviceLabel } from "./user-agent";

/** Bodies larger than this are refused before parsing. */
const MAX_BODY_BYTES = 8 * 1024;

type TokenError = TokenErrorResponse["error"];

class TokenEndpointError extends Error {
  constructor(
    readonly status: 400 | 429 | 503,
    readonly error: TokenError,
    readonly description: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(description);
  }
}

const invalidRequest = (description: string) => new TokenEndpointError(400, "invalid_request", description);
const invalidGrant = (description: string) => new TokenEndpointError(400, "invalid_grant", description);

/** RFC 6749 §5.1: token responses, and errors, are never cached. */
function noStore(c: Context<AppBindings>) {
  c.header("Cache-Control", "no-store");
  c.header("Pragma", "no-cache");
}

/** The request's parameters, form-encoded (RFC 6749) or JSON; every value a string, none repeated. */
async function readParameters(c: Context<AppBindings>): Promise<Record<string, string>> {
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw invalidRequest("The request body is too large.");
  const type = (c.req.header("content-type") ?? "").toLowerCase();
  let text: string;
  try {
    // Read as bytes: workerd warns when text() is called on a form-encoded body.
    text = new TextDecoder().decode(await c.req.arrayBuffer());
  } catch {
    throw invalidRequest("The request body could not be read.");
  }
  if (text.length > MAX_BODY_BYTES) throw invalidRequest("The request body is too large.");
  const out: Record<string, string> = {};
  if (type.startsWith("application/x-www-form-urlencoded")) {
    for (const [name, value] of new URLSearchParams(text)) {
      if (name in out) throw invalidRequest(`The parameter ${name} is repeated.`);
      out[name] = value;
    }
    return out;
  }
  if (type.startsWith("application/json")) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw invalidRequest("The request body is not valid JSON.");
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw invalidRequest("The request body must be a JSON object.");
    }
    for (const [name, value] of Object.entries(body)) {
      if (typeof value !== "string") throw invalidRequest(`The parameter ${name} must be a string.`);
      out[name] = value;
    }
    return out;
  }
  throw invalidRequest("Send the parameters as application/x-www-form-urlencoded or application/json.");
}

/** Names the parameters that are missing or malformed, without echoing their values. */
function describeIssues(error: { issues: { path: PropertyKey[] }[] }): string {
  const names = [...new Set(error.issues.map((i) => String(i.path[0] ?? "body")))];
  return `Missing or malformed: ${names.join(", ")}.`;
}

async function passwordGrantResponse(c: Context<AppBindings>, params: Record<string, string>) {
  const parsed = passwordGrant.safeParse(params);
  if (!parsed.success) throw invalidRequest(describeIssues(parsed.error));
  const input = parsed.data;
  const control = openControl(c.env);
  const email = input.username.trim().toLowerCase();
  const ip = c.get("ip");
  const requestId = c.get("requestId");
  await consumeIpRateLimit(control, limits.tokenPerIp, ip);
  await consumeRateLimit(control, limits.tokenPerAccount, email);
  const user = await control.query.users.findFirst({ where: eq(users.email, email) });
  const valid = await verifyPassword(user?.passwordHash ?? decoyHash, input.password);
  if (!user || !valid || user.status !== "active" || user.deletedAt) {
    await control.insert(auditLog).values(
      auditRow({
        actorKind: "user",
        actorId: user?.id ?? null,
        action: "auth.token_failed",
        targetType: "user",
        targetId: user?.id ?? null,
        after: { grant: "password", email },
        ip,
        requestId,
      }),
    );
    // One answer for an unknown account and a wrong password.
    throw invalidGrant("The username or password is not correct.");
  }
  if (!(await passwordSignInAllowed(control, user.id))) {
    throw invalidGrant("Your organization requires signing in with Google or Microsoft.");
  }
  let secondFactor = false;
  if (user.totpEnabledAt) {
    if (input.totp === undefined) {
      throw invalidGrant("This account uses a second factor: send the current code as the totp parameter.");
    }
    await consumeRateLimit(control, limits.secondFactorPerAccount, user.id);
    const code = totpCode.safeParse(input.totp);
    const accepted =
      code.success &&
      (await acceptTotpCode(control, c.env.ENCRYPTION_KEY, user, code.data, { now: new Date() }));
    if (!accepted) {
      await control.insert(auditLog).values(
        auditRow({
          actorKind: "user",
          actorId: user.id,
          action: "auth.token_failed",
          targetType: "user",
          targetId: user.id,
          after: { grant: "password", reason: "second_factor" },
          ip,
          requestId,
        }),
      );
      throw invalidGrant("The second factor code is not valid, or it was used already.");
    }
    await resetRateLimit(control, limits.secondFactorPerAccount, user.id);
    secondFactor = true;
  }
  await resetRateLimit(control, limits.tokenPerAccount, email);
  const clientName = input.client_name ?? deviceLabel(c.req.header("user-agent"));
  const { response } = await issueTokenFamily(control, {
    userId: user.id,
    clientName,
    secondFactor,
    ip,
    requestId,
  });
  return response;
}

async function refreshGrantResponse(c: Context<AppBindings>, params: Record<string, string>) {
  const parsed = refreshTokenGrant.safeParse(params);
  if (!parsed.success) throw invalidRequest(describeIssues(parsed.error));
  const control = openControl(c.env);
  const ip = c.get("ip");
  await consumeIpRateLimit(control, limits.tokenPerIp, ip);
  const presented = await findRefreshToken(control, parsed.data.refresh_token);
  if (!presented) throw invalidGrant("The refresh token is not valid.");
  await consumeRateLimit(control, limits.tokenPerAccount, presented.user.email);
  const result = await rotateRefreshToken(control, presented, { ip, requestId: c.get("requestId") });
  if (!result.ok) {
    throw invalidGrant(
      result.reason === "reused"
        ? "The refresh token was already used; this sign-in has been ended. Sign in again."
        : "The refresh token is not valid.",
    );
  }
  return result.response;
}

/**
 * POST /auth/token for native and programmatic clients, in the OAuth 2.0 shape (RFC 6749 §4.3 and §6):
 * `grant_type=password` (`username`, `password`, and `totp` when the account has two-factor on) or
 * `grant_type=refresh_token`. Errors are `{ error, error_description }` with 400; rate limits answer 429
 * with Retry-After. See docs/decisions/0008-tokens.md.
 */
export const tokenRoutes = new Hono<AppBindings>().post("/token", async (c) => {
  noStore(c);
  try {
    const params = await readParameters(c);
    const grant = params.grant_type;
    if (!grant) throw invalidRequest("Missing grant_type.");
    const response =
      grant === "password"
        ? await passwordGrantResponse(c, params)
        : grant === "refresh_token"
          ? await refreshGrantResponse(c, params)
          : (() => {
              throw new TokenEndpointError(
                400,
                "unsupported_grant_type",
                "Use grant_type=password or grant_type=refresh_token.",
              );
            })();
    return c.json(response, 200);
  } catch (error) {
    let failure: TokenEndpointError;
    if (error instanceof TokenEndpointError) failure = error;
    else if (error instanceof AppError && error.code === "TOO_MANY_REQUESTS") {
      failure = new TokenEndpointError(
        429,
        "too_many_requests",
        error.userMessage,
        error.details.retryAfterSeconds,
      );
    } else if ((error instanceof AppError && error.code === "UNAVAILABLE") || isDatabaseUnavailable(error)) {
      failure = new TokenEndpointError(503, "temporarily_unavailable", "Try again shortly.", 5);
    } else throw error;
    if (failure.retryAfterSeconds) c.header("Retry-After", String(failure.retryAfterSeconds));
    const body: TokenErrorResponse = { error: failure.error, error_description: failure.description };
    return c.json(body, failure.status);
  }
});
