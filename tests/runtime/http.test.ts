import { createExecutionContext, SELF, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { schools } from "../../db/tenant/schema";
import { newId } from "../../shared/ids";
import { MAX_BATCH_SIZE } from "../../shared/transport";
import bench from "../../worker/bench";
import { openTenant } from "../../worker/data";
import type { Env } from "../../worker/env";
import nexus from "../../worker/index";
import { member, ORIGIN, testEnv, trpcQuery } from "./support";

/** A GET as the Worker's fetch handler receives it. */
const get = (url: string) => new Request(url) as Request<unknown, IncomingRequestCfProperties>;

async function addSchool(tenant: Parameters<typeof openTenant>[1], name: string, code: string) {
  const now = new Date();
  await openTenant(testEnv, tenant).insert(schools).values({
    id: newId(),
    code,
    name,
    level: "elementary",
    lowGrade: 0,
    highGrade: 5,
    createdAt: now,
    updatedAt: now,
  });
}

describe("the Worker over HTTP", () => {
  it("answers /healthz without touching a database", async () => {
    const response = await SELF.fetch(`${ORIGIN}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
    expect(response.headers.get("x-request-id")).toBeTruthy();
  });

  it("reports the control database and every tenant database ready on /readyz, as counts", async () => {
    await member();
    const response = await SELF.fetch(`${ORIGIN}/readyz`);
    const body = (await response.json()) as {
      ready: boolean;
      control: { ok: boolean };
      tenants: { total: number; ready: number; failing: number };
    };
    expect(response.status).toBe(200);
    expect(body.ready).toBe(true);
    expect(body.control.ok).toBe(true);
    expect(body.tenants.total).toBeGreaterThanOrEqual(1);
    expect(body.tenants).toMatchObject({ ready: body.tenants.total, failing: 0 });
  });

  it("answers 404 for the benchmark's baseline route, which only the bench Worker has", async () => {
    const { tenant } = await member();
    await addSchool(tenant, "Baseline Ridge Elementary", "3030");
    const url = `${ORIGIN}/__bench/schools/${tenant.databaseName}`;
    const answers: Response[] = [];
    for (const method of ["GET", "POST"]) answers.push(await SELF.fetch(url, { method }));
    // No setting turns it on: not even the switch that once mounted it.
    const ctx = createExecutionContext();
    answers.push(await nexus.fetch(get(url), { ...testEnv, BENCH_ROUTES: "1" } as Env, ctx));
    await waitOnExecutionContext(ctx);
    for (const response of answers) {
      expect(response.status).toBe(404);
      const text = await response.text();
      expect(text).not.toContain("Baseline Ridge");
      expect(JSON.parse(text).error.code).toBe("NOT_FOUND");
    }
  });

  it("serves the baseline from the bench Worker, and hands every other request to Nexus", async () => {
    const { tenant } = await member();
    await addSchool(tenant, "Baseline Ridge Elementary", "3030");
    const ctx = createExecutionContext();
    const baseline = await bench.fetch(get(`${ORIGIN}/__bench/schools/${tenant.databaseName}`), testEnv, ctx);
    const health = await bench.fetch(get(`${ORIGIN}/healthz`), testEnv, ctx);
    await waitOnExecutionContext(ctx);
    expect(baseline.status).toBe(200);
    expect(((await baseline.json()) as { items: { name: string }[] }).items.map((s) => s.name)).toEqual([
      "Baseline Ridge Elementary",
    ]);
    expect(await health.json()).toEqual({ status: "ok" });
  });

  it("serves a tenant-resolved read with only that tenant's rows", async () => {
    const a = await member();
    const b = await member();
    await addSchool(a.tenant, "Bluff View Elementary", "2010");
    await addSchool(b.tenant, "Prairie Point Elementary", "1020");
    const result = await trpcQuery("education.schools.list", {}, { token: a.token, tenant: a.tenant.slug });
    expect(result.status).toBe(200);
    expect(result.body.result.data.items.map((s: { name: string }) => s.name)).toEqual([
      "Bluff View Elementary",
    ]);
  });

  it("answers NOT_FOUND when a user names a tenant they do not belong to", async () => {
    const a = await member();
    const b = await member();
    await addSchool(a.tenant, "Secret Elementary", "9999");
    const result = await trpcQuery("education.schools.list", {}, { token: b.token, tenant: a.tenant.slug });
    expect(result.status).toBe(404);
    expect(result.body.error.data.code).toBe("NOT_FOUND");
    expect(JSON.stringify(result.body)).not.toContain("Secret");
  });

  it("answers NOT_FOUND for a tenant that does not exist", async () => {
    const a = await member();
    const result = await trpcQuery(
      "education.schools.list",
      {},
      { token: a.token, tenant: "no-such-district" },
    );
    expect(result.status).toBe(404);
  });

  it("answers UNAUTHORIZED without a session, and with a made-up token", async () => {
    const a = await member();
    expect((await trpcQuery("education.schools.list", {}, { tenant: a.tenant.slug })).status).toBe(401);
    expect(
      (await trpcQuery("education.schools.list", {}, { token: "made-up", tenant: a.tenant.slug })).status,
    ).toBe(401);
  });

  it("stops accepting a token the moment it is signed out, even right after a cached use", async () => {
    const a = await member();
    expect((await trpcQuery("system.me", undefined, { token: a.token })).status).toBe(200);
    const signOut = await SELF.fetch(`${ORIGIN}/auth/sign-out`, {
      method: "POST",
      headers: { authorization: `Bearer ${a.token}` },
    });
    expect(signOut.status).toBe(200);
    expect((await trpcQuery("system.me", undefined, { token: a.token })).status).toBe(401);
  });

  it("answers malformed input with 400, the fields at fault and no stack trace", async () => {
    const a = await member();
    const result = await trpcQuery(
      "education.schools.list",
      { limit: 5000, status: "sideways" },
      { token: a.token, tenant: a.tenant.slug },
    );
    expect(result.status).toBe(400);
    expect(Object.keys(result.body.error.data.fieldErrors).sort()).toEqual(["limit", "status"]);
    expect(JSON.stringify(result.body)).not.toMatch(/stack|at .*\.ts/);
  });

  it("answers a cursor it did not issue with 400", async () => {
    const a = await member();
    const result = await trpcQuery(
      "education.schools.list",
      { cursor: "garbage" },
      { token: a.token, tenant: a.tenant.slug },
    );
    expect(result.status).toBe(400);
    expect(result.body.error.data.fieldErrors.cursor).toBeDefined();
  });

  it("answers a batch of up to ten calls, and refuses one larger than that", async () => {
    const a = await member();
    expect(MAX_BATCH_SIZE).toBe(10);
    const batch = (size: number) =>
      SELF.fetch(`${ORIGIN}/trpc/${Array.from({ length: size }, () => "system.me").join(",")}?batch=1`, {
        headers: { authorization: `Bearer ${a.token}` },
      });
    const full = await batch(MAX_BATCH_SIZE);
    expect(full.status).toBe(200);
    const answers = (await full.json()) as { result: { data: { user: { id: string } } } }[];
    expect(answers.map((answer) => answer.result.data.user.id)).toEqual(
      Array.from({ length: MAX_BATCH_SIZE }, () => a.user.id),
    );
    const over = await batch(MAX_BATCH_SIZE + 1);
    expect(over.status).toBe(400);
    await over.body?.cancel();
  });

  it("refuses a cookie-authenticated write from another origin", async () => {
    const response = await SELF.fetch(`${ORIGIN}/auth/sign-out`, {
      method: "POST",
      headers: { origin: "https://evil.example", cookie: "nexus_session=abc" },
    });
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: { code: string } };
    expect(body.error.code).toBe("FORBIDDEN");
  });

  it("refuses a cookie-carrying write that has no Origin at all", async () => {
    const response = await SELF.fetch(`${ORIGIN}/auth/sign-out`, {
      method: "POST",
      headers: { cookie: "nexus_session=abc" },
    });
    expect(response.status).toBe(403);
  });

  it("refuses a cross-site write even when it also carries a bearer token", async () => {
    const a = await member();
    const response = await SELF.fetch(`${ORIGIN}/auth/sign-out`, {
      method: "POST",
      headers: { origin: "https://evil.example", authorization: `Bearer ${a.token}` },
    });
    expect(response.status).toBe(403);
  });

  it("answers malformed JSON on sign-in with 400, not 500", async () => {
    const response = await SELF.fetch(`${ORIGIN}/auth/sign-in`, {
      method: "POST",
      headers: { origin: ORIGIN, "content-type": "application/json" },
      body: "{not json",
    });
    expect(response.status).toBe(400);
  });

  it("answers unknown API routes with a JSON 404", async () => {
    const response = await SELF.fetch(`${ORIGIN}/api/v1/nothing-here`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
  });
});
