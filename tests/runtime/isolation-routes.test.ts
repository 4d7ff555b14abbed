import { SELF } from "cloudflare:test";
import { inspectRoutes } from "hono/dev";
import { beforeAll, describe, expect, it } from "vitest";
import { TENANT_HEADER } from "../../shared/transport";
import { app } from "../../worker/app";
import { restRoutes } from "../../worker/rest/routes";
import { type RouteRequest, routeProbes } from "./isolation-probes-routes";
import { buildWorld, identifiersOfA, namesOfA, snapshotOfA, stringsIn, type World } from "./isolation-world";
import { ORIGIN } from "./support";

/**
 * Every route the Worker's Hono app answers (method and path as Hono lists them), but its middleware. The
 * routes of tRPC and REST are probed by their own suites, from the router: listed here with which.
 */
const routes = inspectRoutes(app)
  .filter((r) => !r.isMiddleware)
  .map((r) => `${r.method} ${r.path}`);

const probedElsewhere = new Map<string, string>([
  ["ALL /trpc/*", "isolation.test.ts, procedure by procedure"],
  ...restRoutes().map(
    (r) =>
      [
        `${r.method} /api/v1${r.path.replace(/\{([^}]+)\}/g, ":$1")}`,
        `rest-isolation.test.ts (${r.procedure})`,
      ] as const,
  ),
]);

const ownRoutes = [...new Set(routes.filter((r) => !probedElsewhere.has(r)))].sort();

/** Does `path` (with its query) reach the Hono route pattern `pattern`? */
function reaches(pattern: string, path: string): boolean {
  const source = pattern
    .split("/")
    .map((segment) =>
      segment === "*"
        ? ".*"
        : segment.startsWith(":")
          ? "[^/]+"
          : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
    )
    .join("/");
  return new RegExp(`^${source}$`).test(path.split("?")[0]!);
}

/** The strings a request carries: path segments, query values, body values and header values. */
function carried(request: RouteRequest): string[] {
  const url = new URL(request.path, ORIGIN);
  return [
    ...url.pathname.split("/").map(decodeURIComponent),
    ...url.searchParams.values(),
    ...stringsIn(request.json),
    ...Object.values(request.form ?? {}),
    ...Object.values(request.headers ?? {}).flatMap((v) => (v ? [v, v.replace(/^Bearer /, "")] : [])),
  ];
}

async function send(method: string, request: RouteRequest, world: World) {
  const headers = new Headers({
    authorization: `Bearer ${world.b.token}`,
    [TENANT_HEADER]: world.b.tenant.slug,
    origin: ORIGIN,
    "cf-connecting-ip": world.b.ip,
  });
  let body: BodyInit | undefined;
  if (request.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(request.json);
  } else if (request.form) {
    headers.set("content-type", "application/x-www-form-urlencoded");
    body = new URLSearchParams(request.form).toString();
  } else if (request.body) body = request.body;
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (value === null) headers.delete(name);
    else headers.set(name, value);
  }
  const response = await SELF.fetch(`${ORIGIN}${request.path}`, {
    method: method === "ALL" ? "GET" : method,
    headers,
    body,
    redirect: "manual",
  });
  const text = await response.text();
  return { status: response.status, text, headers: [...response.headers].map(([k, v]) => `${k}: ${v}`) };
}

/** A 400 that says the request could not be read: the route's own checks never ran. */
function unread(status: number, text: string): boolean {
  if (status !== 400) return false;
  const body = JSON.parse(text) as { error?: { message?: string } | string };
  if (body.error === "invalid_request") return true;
  const message = typeof body.error === "object" ? body.error.message : undefined;
  return [
    "Some fields are not valid.",
    "Send a JSON body (content-type: application/json).",
    "The request body is not valid JSON.",
  ].includes(message ?? "");
}

let world: World;
let before: Awaited<ReturnType<typeof snapshotOfA>>;

beforeAll(async () => {
  world = await buildWorld();
  before = await snapshotOfA(world);
});

describe("cross-tenant isolation of the routes outside tRPC and REST", () => {
  it("has a probe for every route the Worker answers", () => {
    expect(routes.length).toBeGreaterThan(probedElsewhere.size);
    const missing = ownRoutes.filter((route) => !(route in routeProbes));
    expect(missing, "add a probe in tests/runtime/isolation-probes-routes.ts").toEqual([]);
    const stale = Object.keys(routeProbes).filter((route) => !ownRoutes.includes(route));
    expect(stale, "remove probes of routes that no longer exist").toEqual([]);
  });

  it("sends every probe to the route it is the probe of", () => {
    const astray = Object.entries(routeProbes).flatMap(([route, probe]) =>
      probe
        .send(world)
        .filter((request) => !reaches(route.slice(route.indexOf(" ") + 1), request.path))
        .map((request) => `${route}: ${request.path}`),
    );
    expect(astray).toEqual([]);
  });

  it("names one of organization A's things in every probe, or says why it cannot", () => {
    const names = namesOfA(world);
    const problems = Object.entries(routeProbes).flatMap(([route, probe]) => {
      const requests = probe.send(world);
      const named = requests.every((request) => carried(request).some((s) => names.has(s)));
      if (named && probe.noIds) return [`${route}: names A's things, so drop its noIds reason`];
      if (!named && !probe.noIds?.trim())
        return [`${route}: name one of A's ids in every request, or say why not`];
      return [];
    });
    expect(problems).toEqual([]);
  });

  const leaks = (text: string) => identifiersOfA(world).filter((id) => text.includes(id));

  describe.each(ownRoutes.filter((route) => route in routeProbes))("%s", (route) => {
    it("gives organization B's user nothing of organization A's when B names A's things", async () => {
      const probe = routeProbes[route]!;
      const method = route.slice(0, route.indexOf(" "));
      for (const request of probe.send(world)) {
        const result = await send(method, request, world);
        expect(probe.expect, `${request.path}: ${result.text}`).toContain(result.status);
        expect(unread(result.status, result.text), `${request.path} was read: ${result.text}`).toBe(false);
        expect(leaks(result.text)).toEqual([]);
        expect(leaks(result.headers.join("\n"))).toEqual([]);
      }
    });
  });

  it("leaves everything of organization A exactly as it was", async () => {
    expect(await snapshotOfA(world)).toEqual(before);
  });
});
