import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { type Context, Hono } from "hono";
import { ZodError } from "zod";
import { AppError, type AppErrorCode, unexpectedMessage } from "../../shared/errors";
import { type AppBindings, errorResponse, readJson, sameOriginWrites } from "../http";
import { describeError } from "../log";
import { createContext } from "../trpc/context";
import { createCallerFactory } from "../trpc/init";
import { appRouter } from "../trpc/router";
import { openApiDocument } from "./openapi";
import { type RestRoute, restRoutes } from "./routes";
import { coerce, inputFromQuery, pathParamSchema, schemasOf } from "./schemas";

const createCaller = createCallerFactory(appRouter);

const appCodeOf: Partial<Record<TRPC_ERROR_CODE_KEY, AppErrorCode>> = {
  BAD_REQUEST: "BAD_REQUEST",
  PARSE_ERROR: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  SERVICE_UNAVAILABLE: "UNAVAILABLE",
};

/** A procedure's error as the AppError (or input ZodError) the shared error response shapes. */
function restErrorOf(error: unknown, c: Context<AppBindings>, procedure: string): unknown {
  if (!(error instanceof TRPCError)) return error;
  const cause = error.cause;
  if (cause instanceof AppError) return cause;
  // The input did not parse (an output that does not parse is our fault: INTERNAL_SERVER_ERROR below).
  if (error.code === "BAD_REQUEST" && cause instanceof ZodError) return cause;
  const code = appCodeOf[error.code];
  if (code) return new AppError(code, error.message);
  c.get("log").error("procedure failed", { path: procedure, ...describeError(cause ?? error) });
  return new AppError("INTERNAL", unexpectedMessage(c.get("requestId")));
}

/** The JSON body of a write: none (or empty) is `{}`; anything else must be a JSON object. */
async function bodyOf(c: Context<AppBindings>): Promise<Record<string, unknown>> {
  if (!c.req.header("content-type")) {
    // Read, not judged by Content-Length: a chunked body has none, and must not pass for an empty one.
    if ((await c.req.text()).length === 0) return {};
    throw new AppError("BAD_REQUEST", "Send a JSON body (content-type: application/json).");
  }
  const body = await readJson(c);
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    throw new AppError("BAD_REQUEST", "Send a JSON object as the request body.");
  }
  return body as Record<string, unknown>;
}

/** Builds the procedure's input from the path, the query (GET) or the JSON body (writes). */
async function inputOf(route: RestRoute, c: Context<AppBindings>): Promise<unknown> {
  const schemas = schemasOf(route);
  if (!route.input) {
    // A route without input takes no parameters either: any is unknown, and refused as on other routes.
    if (route.method === "GET") inputFromQuery([], new URL(c.req.url));
    return undefined;
  }
  const fromPath: Record<string, unknown> = {};
  for (const name of route.pathParams) {
    fromPath[name] = coerce(c.req.param(name) ?? "", pathParamSchema(schemas.input, name) ?? {});
  }
  if (route.method === "GET") return { ...inputFromQuery(schemas.query, new URL(c.req.url)), ...fromPath };
  if (route.method === "DELETE") return fromPath;
  return { ...(await bodyOf(c)), ...fromPath };
}

function callProcedure(route: RestRoute, c: Context<AppBindings>, input: unknown): Promise<unknown> {
  const caller = createCaller(
    createContext({
      env: c.env,
      headers: c.req.raw.headers,
      requestId: c.get("requestId"),
      ip: c.get("ip"),
      log: c.get("log"),
    }),
  );
  const procedure = route.procedure
    .split(".")
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (
    input: unknown,
  ) => Promise<unknown>;
  return procedure(input);
}

/**
 * The REST layer (mounted at /api/v1): every procedure that declares `meta.rest` (see ./routes.ts), called
 * with the same context as /trpc — bearer tokens or the session cookie (writes Origin-checked), the
 * organization in `x-nexus-tenant` — and answering its output as JSON, or the shared error body.
 * `GET /openapi.json` is the OpenAPI 3.1 document of these routes (./openapi.ts).
 */
export const restApi = new Hono<AppBindings>();

restApi.use("*", sameOriginWrites);

restApi.get("/openapi.json", (c) => c.json(openApiDocument()));

for (const route of restRoutes()) {
  const path = route.path.replace(/\{([^}]+)\}/g, ":$1");
  restApi.on(route.method, path, async (c) => {
    const input = await inputOf(route, c);
    let output: unknown;
    try {
      output = await callProcedure(route, c, input);
    } catch (error) {
      return errorResponse(restErrorOf(error, c, route.procedure), c);
    }
    return c.json(output ?? null, route.successStatus);
  });
}

restApi.onError((error, c) => errorResponse(error, c));
