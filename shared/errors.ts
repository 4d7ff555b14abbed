import type { ZodError } from "zod";

/**
 * The one error model of Nexus. Services throw AppError; the tRPC error formatter and the Hono error
 * handler map its code to a transport status. The message is written for the person using Nexus.
 */
export const appErrorCodes = [
  "BAD_REQUEST",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "PAYLOAD_TOO_LARGE",
  "TOO_MANY_REQUESTS",
  "UNAVAILABLE",
  "INTERNAL",
] as const;

export type AppErrorCode = (typeof appErrorCodes)[number];

/** HTTP status for every AppErrorCode; the single source for REST, tRPC and plain routes. */
export const httpStatusOf: Record<AppErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export type FieldErrors = Record<string, string[]>;

export class AppError extends Error {
  override readonly name = "AppError";
  constructor(
    readonly code: AppErrorCode,
    readonly userMessage: string,
    readonly details: {
      fieldErrors?: FieldErrors;
      retryAfterSeconds?: number;
      /** A machine-readable reason the client acts on, e.g. "two_factor_required", "reauthentication_required". */
      reason?: string;
    } = {},
    options?: { cause?: unknown },
  ) {
    super(userMessage, options);
  }
}

/** The JSON body of every error Nexus sends outside tRPC (REST, /auth, health). */
export interface ErrorBody {
  error: {
    code: AppErrorCode;
    message: string;
    requestId: string;
    fieldErrors?: FieldErrors;
    reason?: string;
  };
}

/** A zod error's issues as field errors: the dotted path of each field ("_" for the whole input). */
export function fieldErrorsOf(error: ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "_";
    const messages = out[key] ?? [];
    messages.push(issue.message);
    out[key] = messages;
  }
  return out;
}

/** The message a client sees for an error we did not mean to throw: no internals, a reference to quote. */
export function unexpectedMessage(requestId: string | undefined): string {
  return `Something went wrong on our side. Quote reference ${requestId ?? "unknown"} when reporting it.`;
}
