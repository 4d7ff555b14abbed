import { TRPCClientError } from "@trpc/client";

/** An error answered by a plain HTTP route (/auth/*), in the Worker's `{ error: { code, message } }` shape. */
export class HttpError extends Error {
  override readonly name = "HttpError";
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly requestId?: string,
  ) {
    super(message);
  }
}

/** Reads an error response of a plain route; falls back to a generic message when the body is not ours. */
export async function httpErrorFrom(response: Response): Promise<HttpError> {
  try {
    const body = (await response.json()) as {
      error?: { code?: string; message?: string; requestId?: string };
    };
    if (body.error?.message) {
      return new HttpError(response.status, body.error.message, body.error.code, body.error.requestId);
    }
  } catch {
    // Not JSON: a proxy or the network answered.
  }
  return new HttpError(response.status, `The server answered ${response.status}. Try again shortly.`);
}

interface ErrorData {
  code?: string;
  httpStatus?: number;
  requestId?: string;
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
  return "Something went wrong. Try again.";
}

export function requestIdOf(error: unknown): string | undefined {
  if (error instanceof HttpError) return error.requestId;
  return trpcData(error)?.requestId;
}
