import { SELF } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { tenants } from "../../db/control/schema";
import { control, globalAdmin, member, ORIGIN, plane, trpcQuery } from "./support";

const downed: string[] = [];

afterAll(async () => {
  // Tenants whose databases these tests removed are retired, so /readyz elsewhere sees only live ones.
  for (const id of downed)
    await control().update(tenants).set({ status: "deleted" }).where(eq(tenants.id, id));
});

describe("a tenant database that is down", () => {
  it("fails that tenant's requests with 503 while other tenants keep working; /readyz counts it and the operators' detail names it", async () => {
    const down = await member();
    const up = await member();
    downed.push(down.tenant.id);
    await plane().provisioner.deleteDatabase(down.tenant.databaseName);

    const failing = await trpcQuery(
      "education.schools.list",
      {},
      { token: down.token, tenant: down.tenant.slug },
    );
    expect(failing.status).toBe(503);
    expect(failing.body.error.data.code).toBe("SERVICE_UNAVAILABLE");
    expect(JSON.stringify(failing.body)).not.toMatch(/stack|sqld|namespace/i);

    const working = await trpcQuery(
      "education.schools.list",
      {},
      { token: up.token, tenant: up.tenant.slug },
    );
    expect(working.status).toBe(200);

    // Anyone learns that something is down, and how much; only an operator learns which.
    const ready = await SELF.fetch(`${ORIGIN}/readyz`);
    const body = (await ready.json()) as { ready: boolean; tenants: { failing: number } };
    expect(ready.status).toBe(503);
    expect(body.ready).toBe(false);
    expect(body.tenants.failing).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(body)).not.toContain(down.tenant.slug);

    const admin = await globalAdmin();
    const detail = await trpcQuery("system.health.detail", undefined, {
      token: admin.token,
      tenant: admin.root.slug,
    });
    expect(detail.status).toBe(200);
    const tenantsSeen = detail.body.result.data.tenants as {
      slug: string;
      ok: boolean;
      reachable: boolean;
    }[];
    expect(tenantsSeen.find((t) => t.slug === down.tenant.slug)).toMatchObject({
      ok: false,
      reachable: false,
    });
    expect(tenantsSeen.find((t) => t.slug === up.tenant.slug)).toMatchObject({ ok: true });
  });

  it("does not let a tenant that is still provisioning serve requests", async () => {
    const pending = await member();
    downed.push(pending.tenant.id);
    await control().update(tenants).set({ status: "provisioning" }).where(eq(tenants.id, pending.tenant.id));
    const result = await trpcQuery(
      "education.schools.list",
      {},
      { token: pending.token, tenant: pending.tenant.slug },
    );
    expect(result.status).toBe(503);
  });
});
