import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { TENANT_HEADER } from "../../shared/transport";
import type { ProcedureMeta } from "../../worker/trpc/init";
import { appRouter } from "../../worker/trpc/router";
import { probes } from "./isolation-probes";
import { buildWorld, digestOfA, identifiersOfA, type World } from "./isolation-world";
import { ORIGIN } from "./support";

interface ProcedureDef {
  _def: { type: "query" | "mutation" | "subscription"; meta?: ProcedureMeta };
}

const procedures = Object.entries(
  (appRouter as unknown as { _def: { procedures: Record<string, ProcedureDef> } })._def.procedures,
)
  .map(([path, p]) => ({ path, type: p._def.type, access: p._def.meta?.access ?? "public" }))
  .sort((x, y) => x.path.localeCompare(y.path));

/** Calls a procedure through the Worker as the holder of `token`, naming `tenant`. */
async function call(path: string, type: string, input: unknown, token: string, tenant: string) {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, [TENANT_HEADER]: tenant };
  const response =
    type === "query"
      ? await SELF.fetch(
          `${ORIGIN}/trpc/${path}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
          { headers },
        )
      : // A batch of one, as the client sends it: the only form that carries "no input" to a mutation.
        await SELF.fetch(`${ORIGIN}/trpc/${path}?batch=1`, {
          method: "POST",
          headers: { ...headers, "content-type": "application/json" },
          body: JSON.stringify(input === undefined ? {} : { 0: input }),
        });
  return { status: response.status, text: await response.text() };
}

let world: World;
let before: string;

beforeAll(async () => {
  world = await buildWorld();
  before = await digestOfA(world);
});

describe("cross-tenant isolation", () => {
  it("has a probe for every procedure the router exposes", () => {
    const missing = procedures.map((p) => p.path).filter((path) => !(path in probes));
    expect(missing, "add an isolation probe in tests/runtime/isolation-probes.ts").toEqual([]);
    const stale = Object.keys(probes).filter((path) => !procedures.some((p) => p.path === path));
    expect(stale, "remove probes of procedures that no longer exist").toEqual([]);
  });

  const leaks = (text: string) => identifiersOfA(world).filter((id) => text.includes(id));

  describe.each(procedures.filter((p) => p.access === "tenant"))("$path ($type)", ({ path, type }) => {
    it("refuses organization B's user who names organization A", async () => {
      const input = probes[path]?.input?.(world);
      const result = await call(path, type, input, world.b.token, world.a.tenant.slug);
      expect(result.status).toBe(404);
      expect(leaks(result.text)).toEqual([]);
    });
  });

  describe.each(procedures)("$path ($access $type)", ({ path, type }) => {
    it("gives organization B's user nothing of organization A's when B names A's objects", async () => {
      const input = probes[path]?.input?.(world);
      const result = await call(path, type, input, world.b.token, world.b.tenant.slug);
      // 400 would mean the probe's input is not valid, so the procedure was never really tried.
      expect([200, 403, 404, ...(probes[path]?.alsoAccept ?? [])]).toContain(result.status);
      expect(leaks(result.text)).toEqual([]);
    });
  });

  it("leaves everything of organization A exactly as it was", async () => {
    expect(await digestOfA(world)).toBe(before);
  });
});
