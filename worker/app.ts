import { trpcServer } from "@hono/trpc-server";
import { Hono } from "hono";
import { AppError } from "../shared/errors";
import { SECURITY_HEADERS } from "../shared/security-headers";
import { MAX_BATCH_SIZE } from "../shared/transport";
import { auth } from "./auth";
import { dataPlaneOf } from "./data";
import { type AppBindings, errorResponse, requestContext, sameOriginWrites } from "./http";
import { describeError } from "./log";
import { attachmentsHttp } from "./packages/projects/attachments/http";
import { checkReadiness, summarizeReadiness } from "./packages/system/health";
import { restApi } from "./rest/app";
import { createContext } from "./trpc/context";
import { appRouter } from "./trpc/router";

export const app = new Hono<AppBindings>();

app.use("*", requestContext);
/** The security headers of every response (the static client gets the same list from its `_headers` file). */
app.use("*", async (c, next) => {
  await next();
  const missing = Object.entries(SECURITY_HEADERS).filter(([name]) => !c.res.headers.has(name));
  if (missing.length === 0) return;
  // A response fetched from elsewhere (the static assets) has immutable headers: copy it first.
  const res = new Response(c.res.body, c.res);
  for (const [name, value] of missing) res.headers.set(name, value);
  c.res = res;
});

/** Alive: the Worker runs. Touches nothing else. */
app.get("/healthz", (c) => c.json({ status: "ok" }));

/**
 * Ready: the control database and every tenant database answer and are migrated; 503 if not. Anonymous, so
 * counts only: which organization is failing is for operators (system.health.detail).
 */
app.get("/readyz", async (c) => {
  const readiness = await checkReadiness(dataPlaneOf(c.env), c.env);
  return c.json(summarizeReadiness(readiness), readiness.ready ? 200 : 503);
});

app.use("/auth/*", sameOriginWrites);
app.route("/auth", auth);

app.use("/trpc/*", sameOriginWrites);
app.use(
  "/trpc/*",
  trpcServer({
    endpoint: "/trpc",
    router: appRouter,
    maxBatchSize: MAX_BATCH_SIZE,
    createContext: (opts, c) =>
      createContext({
        env: c.env,
        headers: opts.req.headers,
        requestId: c.get("requestId"),
        ip: c.get("ip"),
        log: c.get("log"),
      }) as unknown as Record<string, unknown>,
    // A rate-limited procedure says when to try again, as the /auth routes do.
    responseMeta: ({ errors }) => {
      const waits = errors.flatMap((e) =>
        e.cause instanceof AppError && e.cause.details.retryAfterSeconds
          ? [e.cause.details.retryAfterSeconds]
          : [],
      );
      return waits.length > 0 ? { headers: new Headers({ "retry-after": String(Math.max(...waits)) }) } : {};
    },
    onError: ({ error, ctx, path }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") {
        const log = (ctx as { log?: AppBindings["Variables"]["log"] } | undefined)?.log;
        log?.error("procedure failed", { path, ...describeError(error.cause ?? error) });
      }
    },
  }),
);

/**
 * The benchmark's baselines live in the bench Worker alone (worker/bench.ts, started by `npm run bench`): here
 * they are not found — never the client shell either.
 */
app.all("/__bench/*", () => {
  throw new AppError("NOT_FOUND", "Not found.");
});

/** Issue attachments: upload and download of the bytes (R2); same credentials and tenant rules as /trpc. */
app.route("/api/v1/attachments", attachmentsHttp);

/** The procedures that declare `meta.rest`, over REST, and their OpenAPI document (worker/rest). */
app.route("/api/v1", restApi);

app.all("/api/*", () => {
  throw new AppError("NOT_FOUND", "There is no such API route.");
});

app.notFound((c) => {
  if (c.env.ASSETS && (c.req.method === "GET" || c.req.method === "HEAD"))
    return c.env.ASSETS.fetch(c.req.raw);
  return errorResponse(new AppError("NOT_FOUND", "Not found."), c);
});

app.onError((error, c) => errorResponse(error, c));
