import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { TENANT_HEADER } from "../../shared/transport";
import type { ProcedureMeta } from "../../worker/trpc/init";
import { appRouter } from "../../worker/trpc/router";
import { probes } from "./isolation-probes";
import {
  buildWorld,
  CONTROL_TABLES_WITHOUT_ROWS_OF_A,
  identifiersOfA,
  namesOfA,
  snapshotOfA,
  stringsIn,
  type World,
} from "./isolation-world";
import { ORIGIN } from "./support";

interface ProcedureDef {
  _def: { type: "query" | "mutation" | "subscription"; meta?: ProcedureMeta; inputs: z.ZodType[] };
}

const procedures = Object.entries(
  (appRouter as unknown as { _def: { procedures: Record<string, ProcedureDef> } })._def.procedures,
)
  .map(([path, p]) => ({
    path,
    type: p._def.type,
    access: p._def.meta?.access ?? "public",
    inputs: p._def.inputs,
  }))
  .sort((x, y) => x.path.localeCompare(y.path));

type JsonSchema = { properties?: Record<string, unknown>; anyOf?: JsonSchema[]; oneOf?: JsonSchema[] };

/**
 * The fields of a procedure's input that name a record (ids and slugs), in the input's own fields: what a
 * nested object holds (a saved filter's criteria) is B's own words, stored as given.
 */
function idFieldsOf(inputs: z.ZodType[]): string[] {
  const fields = (schema: JsonSchema): string[] => [
    ...Object.keys(schema.properties ?? {}).filter((name) => /^ids?$|Ids?$|[sS]lug$/.test(name)),
    ...[...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].flatMap(fields),
  ];
  return [
    ...new Set(
      inputs.flatMap((input) =>
        fields(z.toJSONSchema(input, { io: "input", unrepresentable: "any" }) as JsonSchema),
      ),
    ),
  ];
}

/** Calls a procedure through the Worker as the holder of `token`, naming `tenant`, from B's address. */
async function call(path: string, type: string, input: unknown, token: string, tenant: string) {
  const headers: Record<string, string> = {
    authorization: `Bearer ${token}`,
    [TENANT_HEADER]: tenant,
    "cf-connecting-ip": world.b.ip,
  };
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
  const text = await response.text();
  const body = JSON.parse(text) as unknown;
  const error = (Array.isArray(body) ? body[0] : body) as {
    error?: { message?: string; data?: { reason?: string } };
  };
  return { status: response.status, text, message: error.error?.message, reason: error.error?.data?.reason };
}

/**
 * The procedure really ran for B: an accepted status, and never a refusal of the input by its schema (a
 * probe whose input does not parse tries nothing).
 */
function expectTried(path: string, result: Awaited<ReturnType<typeof call>>) {
  expect([200, 403, 404, ...(probes[path]?.alsoAccept ?? [])], result.text).toContain(result.status);
  expect(result.message, "the probe's input does not parse").not.toBe("Some fields are not valid.");
}

let world: World;
let before: Awaited<ReturnType<typeof snapshotOfA>>;

beforeAll(async () => {
  world = await buildWorld();
  before = await snapshotOfA(world);
});

describe("cross-tenant isolation", () => {
  it("has a probe for every procedure the router exposes", () => {
    const missing = procedures.map((p) => p.path).filter((path) => !(path in probes));
    expect(missing, "add an isolation probe in tests/runtime/isolation-probes.ts").toEqual([]);
    const stale = Object.keys(probes).filter((path) => !procedures.some((p) => p.path === path));
    expect(stale, "remove probes of procedures that no longer exist").toEqual([]);
  });

  it("names one of organization A's things in every probe, or says why the procedure takes none", () => {
    const names = [...namesOfA(world)];
    const problems = procedures.flatMap(({ path, inputs }) => {
      const probe = probes[path];
      if (!probe) return [];
      const named = stringsIn(probe.input?.(world)).some((s) => names.some((name) => s.includes(name)));
      const idFields = idFieldsOf(inputs);
      if (named && probe.noIds) return [`${path}: names A's things, so drop its noIds reason`];
      if (!named && !probe.noIds?.trim()) return [`${path}: name one of A's things, or say in noIds why not`];
      if (!named && idFields.length > 0) return [`${path}: takes ${idFields.join(", ")}: name A's there`];
      return [];
    });
    expect(problems).toEqual([]);
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
      expectTried(path, result);
      expect(leaks(result.text)).toEqual([]);
      if (result.reason === "reauthentication_required") {
        expect(probes[path]?.reauth, "it asks for re-authentication: mark its probe `reauth: true`").toBe(
          true,
        );
      }
    });
  });

  describe.each(procedures.filter((p) => probes[p.path]?.reauth))(
    "$path, re-authenticated",
    ({ path, type }) => {
      it("gives organization B's re-authenticated user nothing of organization A's either", async () => {
        const input = probes[path]?.input?.(world);
        const result = await call(path, type, input, world.b.recent.token, world.b.tenant.slug);
        expect(result.reason, "B's session should count as re-authenticated").not.toBe(
          "reauthentication_required",
        );
        expectTried(path, result);
        expect(leaks(result.text)).toEqual([]);
      });
    },
  );

  it("digests every table of both databases, with A's rows in each control table that should hold them", () => {
    const control = Object.keys(before.control);
    expect(control).toEqual(expect.arrayContaining(["rate_limits", "recovery_codes", "sessions", "tenants"]));
    const empty = control.filter(
      (t) => before.control[t]!.length === 0 && !(t in CONTROL_TABLES_WITHOUT_ROWS_OF_A),
    );
    expect(empty, "give A a row in these tables in isolation-world.ts, or say why it has none").toEqual([]);
    const listed = Object.keys(CONTROL_TABLES_WITHOUT_ROWS_OF_A).filter(
      (t) => before.control[t]?.length !== 0,
    );
    expect(listed, "these tables hold A's rows, or no longer exist: drop them from the list").toEqual([]);
    expect(Object.keys(before.tenant)).toEqual(
      expect.arrayContaining(["issues", "sqlite_master", "__nexus_migrations"]),
    );
  });

  it("leaves everything of organization A exactly as it was", async () => {
    expect(await snapshotOfA(world)).toEqual(before);
  });
});
