import { beforeAll, describe, expect, it } from "vitest";
import { restRoutes } from "../../worker/rest/routes";
import { probes } from "./isolation-probes";
import { buildWorld, digestOfA, identifiersOfA, type World } from "./isolation-world";
import { rest } from "./rest-support";

/** A probe's input as REST sends it: path parameters, then the query (GET) or the body (writes). */
function requestOf(route: ReturnType<typeof restRoutes>[number], input: unknown) {
  const fields = { ...((input ?? {}) as Record<string, unknown>) };
  const params: Record<string, string> = {};
  for (const name of route.pathParams) {
    expect(fields[name], `the probe of ${route.procedure} names {${name}}`).toBeDefined();
    params[name] = String(fields[name]);
    delete fields[name];
  }
  if (route.method === "DELETE") return { params };
  if (route.method !== "GET") return { params, body: fields };
  const query = new URLSearchParams();
  const flatten = (value: unknown, name: string) => {
    if (Array.isArray(value)) for (const item of value) query.append(name, String(item));
    else if (value && typeof value === "object")
      for (const [key, inner] of Object.entries(value)) flatten(inner, name ? `${name}.${key}` : key);
    else query.append(name, value === null ? "" : String(value));
  };
  flatten(fields, "");
  return { params, query: query.toString() };
}

const routes = restRoutes().map((route) => ({ ...route, route }));

let world: World;
let before: string;

beforeAll(async () => {
  world = await buildWorld();
  before = await digestOfA(world);
});

describe("cross-tenant isolation of the REST routes", () => {
  const leaks = (text: string) => identifiersOfA(world).filter((id) => text.includes(id));

  it("has an isolation probe for every REST route's procedure", () => {
    expect(routes.filter((r) => !(r.procedure in probes)).map((r) => r.procedure)).toEqual([]);
  });

  describe.each(routes.filter((r) => r.access === "tenant"))("$method $path", ({ method, path, route }) => {
    it("refuses organization B's user who names organization A", async () => {
      const request = requestOf(route, probes[route.procedure]?.input?.(world));
      const result = await rest(method, path, {
        ...request,
        token: world.b.token,
        tenant: world.a.tenant.slug,
      });
      expect(result.status).toBe(404);
      expect(leaks(JSON.stringify(result.body))).toEqual([]);
    });
  });

  describe.each(routes)("$method $path ($procedure)", ({ method, path, route }) => {
    it("gives organization B's user nothing of organization A's when B names A's objects", async () => {
      const request = requestOf(route, probes[route.procedure]?.input?.(world));
      const result = await rest(method, path, {
        ...request,
        token: world.b.token,
        tenant: world.b.tenant.slug,
      });
      // 400 would mean the probe's input is not valid, so the procedure was never really tried.
      expect([200, 201, 403, 404, ...(probes[route.procedure]?.alsoAccept ?? [])]).toContain(result.status);
      expect(leaks(JSON.stringify(result.body))).toEqual([]);
    });
  });

  it("leaves everything of organization A exactly as it was", async () => {
    expect(await digestOfA(world)).toBe(before);
  });
});
