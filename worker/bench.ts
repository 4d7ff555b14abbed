/**
 * The benchmark's Worker: Nexus's Worker (worker/index.ts) plus the baseline `npm run bench` measures it
 * against — a bare Hono route running the same query as education.schools.list's first page, with no session,
 * tenant resolution or tRPC, for any tenant database it is named. It reads data with no credentials, so it
 * lives only here: scripts/bench.ts starts this entry under `wrangler dev` on a throwaway stack, and the Worker
 * that is deployed and serves users (wrangler.toml's `main`) has no such route (it answers 404).
 */
import { asc } from "drizzle-orm";
import { Hono } from "hono";
import { schools } from "../db/tenant/schema";
import { AppError } from "../shared/errors";
import { openTenant } from "./data";
import type { Env } from "./env";
import { type AppBindings, errorResponse, requestContext } from "./http";
import nexus from "./index";

/**
 * Where the baselines live; every other request goes to Nexus's Worker unchanged. (Not exported: workerd takes
 * every export of an entry module for a handler.)
 */
const BENCH_PREFIX = "/__bench/";

const bench = new Hono<AppBindings>();
// The same request logging every Nexus route pays, so the comparison is of the data path alone.
bench.use("*", requestContext);
bench.get("/__bench/schools/:namespace", async (c) => {
  if (c.env.DATA_PLANE !== "local") throw new AppError("NOT_FOUND", "Not found.");
  const db = openTenant(c.env, { databaseName: c.req.param("namespace"), databaseUrl: null });
  const items = await db.select().from(schools).orderBy(asc(schools.name), asc(schools.id)).limit(51);
  return c.json({ items: items.slice(0, 50), nextCursor: null });
});
bench.notFound((c) => errorResponse(new AppError("NOT_FOUND", "Not found."), c));
bench.onError((error, c) => errorResponse(error, c));

export default {
  ...nexus,
  fetch(request, env, ctx) {
    return new URL(request.url).pathname.startsWith(BENCH_PREFIX)
      ? bench.fetch(request, env, ctx)
      : nexus.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
