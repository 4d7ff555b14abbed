import type { Context, MiddlewareHandler } from "hono";
import { ZodError } from "zod";
import { classifyDatabaseError, DATABASE_RETRY_AFTER_SECONDS } from "../db/errors";
import { AppError, type ErrorBody, fieldErrorsOf, httpStatusOf, unexpectedMessage } from "../shared/errors";
import { clientAddress } from "./auth/client-address";
import type { Env } from "./env";
import { describeError, Logger } from "./log";

export interface AppBindings {
  Bindings: Env;
  Variables: { requestId: string; log: Logger; ip: string | null };
}

/** Paths that carry a secret (invitation tokens) are logged with the secret replaced. */
export function loggablePath(path: string): string {
  return path.replace(/^(\/auth\/invitations\/)[^/]+/, "$1[redacted]");
}

/** Gives every request an id (kept from a trusted upstream, else new), a logger, and a closing log line. */
export const requestContext: MiddlewareHandler<AppBindings> = async (c, next) => {
  const requestId = c.req.header("cf-ray") ?? crypto.randomUUID();
  const log = new Logger({ requestId });
  c.set("requestId", requestId);
  c.set("log", log);
  c.set("ip", clientAddress(c.req.raw.headers));
  const started = Date.now();
  await next();
  c.header("x-request-id", requestId);
  log.info("request", {
    method: c.req.method,
    path: loggablePath(c.req.path),
    status: c.res.status,
    durationMs: Date.now() - started,
  });
};

/**
 * Cross-site request forgery guard for state-changing requests: browsers send Origin on every POST, so an
 * Origin that is not ours is refused; a request with no Origin is allowed only when it carries no cookie
 * (a native or programmatic client, which has no ambient credential to abuse).
 */
export const sameOriginWrites: MiddlewareHandler<AppBindings> = async (c, next) => {
  const method = c.req.method;
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return next();
  const origin = c.req.header("origin");
  const expected = new URL(c.req.url).origin;
  const refused = origin ? origin !== expected : Boolean(c.req.header("cookie"));
  if (refused) {
    throw new AppError("FORBIDDEN", "This request did not come from Nexus itself, so it was refused.", {
      reason: "cross_site_request",
    });
  }
  return next();
};

export async function readJson(c: Context): Promise<unknown> {
  if (!c.req.header("content-type")?.includes("application/json")) {
    throw new AppError("BAD_REQUEST", "Send a JSON body (content-type: application/json).");
  }
  try {
    return await c.req.json();
  } catch {
    throw new AppError("BAD_REQUEST", "The request body is not valid JSON.");
  }
}

/**
 * One error shape for every non-tRPC route; never a stack trace. A database that could not be reached
 * answers 503 with Retry-After; any other unexpected error (a database error included) answers 500 with
 * the request id as its reference, and is logged with its details.
 */
export function errorResponse(error: unknown, c: Context<AppBindings>): Response {
  const requestId = c.get("requestId") ?? "unknown";
  let appError: AppError;
  const database =
    error instanceof AppError || error instanceof ZodError ? null : classifyDatabaseError(error);
  if (error instanceof AppError) appError = error;
  else if (error instanceof ZodError)
    appError = new AppError("BAD_REQUEST", "Some fields are not valid.", {
      fieldErrors: fieldErrorsOf(error),
    });
  else if (database === "unavailable") {
    c.get("log")?.warn("database unavailable", describeError(error));
    appError = new AppError(
      "UNAVAILABLE",
      "A database Nexus needs is not reachable right now. Try again shortly.",
      { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS },
    );
  } else {
    c.get("log")?.error(database ? "database error" : "unhandled error", describeError(error));
    appError = new AppError("INTERNAL", unexpectedMessage(requestId));
  }
  const body: ErrorBody = {
    error: {
      code: appError.code,
      message: appError.userMessage,
      requestId,
      ...(appError.details.fieldErrors ? { fieldErrors: appError.details.fieldErrors } : {}),
      ...(appError.details.reason ? { reason: appError.details.reason } : {}),
    },
  };
  if (appError.details.retryAfterSeconds) c.header("retry-after", String(appError.details.retryAfterSeconds));
  return c.json(body, httpStatusOf[appError.code] as 400);
}
