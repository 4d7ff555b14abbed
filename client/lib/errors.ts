import { TRPCClientError } from "@trpc/client";

/** Messages per field, as the server sends them (`{ email: ["Use an email address like …"] }`). */
export type FieldErrors = Record<string, string[]>;

/** An error answered by a plain HTTP route (/auth/*), in the Worker's `{ error: { code, message } }` shape. */
export class HttpError extends Error {
  override readonly name = "HttpError";
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly requestId?: string,
    readonly details: { fieldErrors?: FieldErrors; reason?: string; retryAfterSeconds?: number } = {},
  ) {
    super(message);
  }
}

/** Reads an error response of a plain route; falls back to a generic message when the body is not ours. */
export async function httpErrorFrom(response: Response): Promise<HttpError> {
  const retryAfter = Number(response.headers.get("retry-after"));
  const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined;
  try {
    const body = (await response.json()) as {
      error?: {
        code?: string;
        message?: string;
        requestId?: string;
        fieldErrors?: FieldErrors;
        reason?: string;
      };
    };
    if (body.error?.message) {
      // Say how long to wait, which the header knows and the message does not.
      const message =
        response.status === 429 && retryAfterSeconds ? tooManyMessage(retryAfterSeconds) : body.error.message;
      return new HttpError(response.status, message, body.error.code, body.error.requestId, {
        ...(body.error.fieldErrors ? { fieldErrors: body.error.fieldErrors } : {}),
        ...(body.error.reason ? { reason: body.error.reason } : {}),
        ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
      });
    }
  } catch {
    // Not JSON: a proxy or the network answered.
  }
  if (response.status === 429) {
    return new HttpError(429, tooManyMessage(retryAfterSeconds), "TOO_MANY_REQUESTS", undefined, {
      ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
    });
  }
  return new HttpError(response.status, `The server answered ${response.status}. Try again shortly.`);
}

function tooManyMessage(retryAfterSeconds: number | undefined): string {
  if (!retryAfterSeconds) return "Too many attempts. Wait a little and try again.";
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return retryAfterSeconds < 60
    ? `Too many attempts. Try again in ${retryAfterSeconds} seconds.`
    : `Too many attempts. Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`;
}

interface ErrorData {
  code?: string;
  httpStatus?: number;
  requestId?: string;
  fieldErrors?: FieldErrors;
  reason?: string;
}

function trpcData(error: unknown): ErrorData | undefined {
  if (error instanceof TRPCClientError) return (error.data ?? undefined) as ErrorData | undefined;
  return undefined;
}

/** The Nexus error code (tRPC code, e.g. "NOT_FOUND"), if the server sent one. */
export function errorCode(error: unknown): string | undefined {
  if (error instanceof HttpError) return error.code;
  return trpcData(error)?.code;
}

export function errorStatus(error: unknown): number | undefined {
  if (error instanceof HttpError) return error.status;
  return trpcData(error)?.httpStatus;
}

/** The machine-readable reason the server gave (`reauthentication_required`, `two_factor_required`, …). */
export function reasonOf(error: unknown): string | undefined {
  if (error instanceof HttpError) return error.details.reason;
  return trpcData(error)?.reason;
}

/** The server's messages per input field (validation, or a field a service refused). */
export function fieldErrorsOf(error: unknown): FieldErrors {
  if (error instanceof HttpError) return error.details.fieldErrors ?? {};
  return trpcData(error)?.fieldErrors ?? {};
}

/** The session is missing or has ended. */
export function isUnauthorized(error: unknown): boolean {
  return errorCode(error) === "UNAUTHORIZED" || errorStatus(error) === 401;
}

/** The request itself was refused (4xx): sending it again will not help. */
export function isClientError(error: unknown): boolean {
  const status = errorStatus(error);
  return status !== undefined && status >= 400 && status < 500;
}

/** A message for the person using Nexus. The server's messages are written for them; network failures are not. */
export function messageOf(error: unknown): string {
  if (error instanceof HttpError) return error.message;
  if (error instanceof TRPCClientError) {
    if (!trpcData(error)) return "Nexus could not be reached. Check your connection and try again.";
    return error.message;
  }
  if (error instanceof TypeError) return "Nexus could not be reached. Check your connection and try again.";
  return "Something went wrong. Try again.";
}

export function requestIdOf(error: unknown): string | undefined {
  if (error instanceof HttpError) return error.requestId;
  return trpcData(error)?.requestId;
}

/** The user closed a step the action needed (e.g. re-authentication): nothing failed, so nothing is shown. */
export class CancelledError extends Error {
  override readonly name = "CancelledError";
}

export function isCancelled(error: unknown): boolean {
  return error instanceof CancelledError;
}
