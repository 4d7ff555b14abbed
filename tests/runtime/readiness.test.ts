import { SELF } from "cloudflare:test";
import { ne } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { tenants } from "../../db/control/schema";
import { control, globalAdmin, member, ORIGIN, trpcQuery } from "./support";

/** Every live organization's id, slug and name: what an anonymous caller must not learn. */
async function organizationNames(): Promise<string[]> {
  const rows = await control()
    .select({ id: tenants.id, slug: tenants.slug, name: tenants.name })
    .from(tenants)
    .where(ne(tenants.status, "deleted"));
  return rows.flatMap((t) => [t.id, t.slug, t.name]);
}

describe("readiness", () => {
  it("answers /readyz without credentials with counts only, naming no organization", async () => {
    const { tenant } = await member();
    const response = await SELF.fetch(`${ORIGIN}/readyz`);
    const text = await response.text();
    const body = JSON.parse(text);
    expect(response.status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(["checkedAt", "control", "ready", "tenants"]);
    expect(body.ready).toBe(true);
    expect(body.control).toEqual({ ok: true });
    const live = await control()
      .select({ id: tenants.id })
      .from(tenants)
      .where(ne(tenants.status, "deleted"));
    expect(body.tenants).toEqual({ total: live.length, ready: live.length, failing: 0 });

    const names = await organizationNames();
    expect(names).toContain(tenant.slug);
    for (const name of names) expect(text, name).not.toContain(name);
    expect(text).not.toMatch(/latency|pendingMigrations|slug/i);
  });

  it("shows a signed-in member the same counts, and no organization's database", async () => {
    const { tenant, token } = await member();
    const result = await trpcQuery("system.health.status", undefined, { token });
    expect(result.status).toBe(200);
    const data = result.body.result.data;
    expect(data.ready).toBe(true);
    expect(data.tenants.failing).toBe(0);
    expect(data.tenants.total).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(data)).not.toContain(tenant.slug);
    expect(JSON.stringify(data)).not.toContain(tenant.name);
  });

  it("shows a Global administrator every organization's database, with migrations and latency", async () => {
    const district = await member();
    const admin = await globalAdmin();
    const result = await trpcQuery("system.health.detail", undefined, {
      token: admin.token,
      tenant: admin.root.slug,
    });
    expect(result.status).toBe(200);
    const data = result.body.result.data;
    expect(data.ready).toBe(true);
    expect(data.control).toMatchObject({ ok: true, reachable: true, pendingMigrations: 0 });
    expect(data.tenants.find((t: { slug: string }) => t.slug === district.tenant.slug)).toMatchObject({
      id: district.tenant.id,
      name: district.tenant.name,
      ok: true,
      reachable: true,
      pendingMigrations: 0,
    });
    expect(data.tenants.find((t: { id: string }) => t.id === admin.root.id)).toMatchObject({ ok: true });
  });

  it("refuses the detail to owners of other organizations, and to Global administrators acting elsewhere", async () => {
    const owner = await member("owner");
    const refused = await trpcQuery("system.health.detail", undefined, {
      token: owner.token,
      tenant: owner.tenant.slug,
    });
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).not.toContain("pendingMigrations");

    const admin = await globalAdmin();
    const elsewhere = await trpcQuery("system.health.detail", undefined, {
      token: admin.token,
      tenant: owner.tenant.slug,
    });
    expect(elsewhere.status).toBe(403);

    const anonymous = await trpcQuery("system.health.detail", undefined, { tenant: admin.root.slug });
    expect(anonymous.status).toBe(401);
  });
});
