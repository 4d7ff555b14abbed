import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openClient } from "../../db/client";
import { systemActor } from "../../db/context";
import { auditLog, tenants } from "../../db/control/schema";
import type { DataPlane } from "../../db/data-plane";
import { tenantMigrations } from "../../db/migrations/tenant/bundle";
import { pendingMigrations } from "../../db/migrator";
import { LocalProvisioner } from "../../db/provisioning/local";
import { migrateAllTenants, provisionTenant } from "../../db/tenants";
import { freshControl, planeWithControl, uniqueName } from "../support/databases";

const actor = systemActor("test");

/** A data plane whose admin API is a closed port: creating a database fails. */
function brokenPlane(plane: DataPlane): DataPlane {
  return { ...plane, provisioner: new LocalProvisioner("http://127.0.0.1:9") };
}

describe("tenant provisioning on the local data plane", () => {
  it("creates the tenant's database, migrates it, registers it ready and audits both steps", async () => {
    const control = await freshControl();
    const plane = planeWithControl(control.namespace);
    const slug = uniqueName("prov");
    const tenant = await provisionTenant(control.db, plane, { slug, name: "Riverton R-IV" }, actor);

    expect(tenant.status).toBe("ready");
    const client = openClient(plane.tenant(tenant));
    expect(await pendingMigrations(client, tenantMigrations)).toEqual([]);
    const audit = await control.db.select().from(auditLog).where(eq(auditLog.targetId, tenant.id));
    expect(audit.map((a) => a.action).sort()).toEqual(["tenant.created", "tenant.provisioned"]);
  });

  it("returns the same tenant and writes nothing when asked again", async () => {
    const control = await freshControl();
    const plane = planeWithControl(control.namespace);
    const slug = uniqueName("again");
    const first = await provisionTenant(control.db, plane, { slug, name: "Cedar Valley R-II" }, actor);
    const second = await provisionTenant(control.db, plane, { slug, name: "Cedar Valley R-II" }, actor);
    expect(second.id).toBe(first.id);
    expect(await control.db.select().from(tenants).where(eq(tenants.slug, slug))).toHaveLength(1);
    expect(await control.db.select().from(auditLog).where(eq(auditLog.targetId, first.id))).toHaveLength(2);
  });

  it("marks a tenant failed with the reason when its database cannot be created, then recovers on retry", async () => {
    const control = await freshControl();
    const plane = planeWithControl(control.namespace);
    const slug = uniqueName("flaky");

    await expect(
      provisionTenant(control.db, brokenPlane(plane), { slug, name: "Flaky District" }, actor),
    ).rejects.toThrow();
    const failed = await control.db.query.tenants.findFirst({ where: eq(tenants.slug, slug) });
    expect(failed?.status).toBe("failed");
    expect(failed?.lastError).toBeTruthy();

    const recovered = await provisionTenant(control.db, plane, { slug, name: "Flaky District" }, actor);
    expect(recovered.id).toBe(failed?.id);
    expect(recovered.status).toBe("ready");
    const row = await control.db.query.tenants.findFirst({ where: eq(tenants.slug, slug) });
    expect(row?.lastError).toBeNull();
  });

  it("rejects a slug that cannot name a database, and registers nothing", async () => {
    const control = await freshControl();
    const plane = planeWithControl(control.namespace);
    await expect(
      provisionTenant(control.db, plane, { slug: "Bad Slug!", name: "X District" }, actor),
    ).rejects.toThrow();
    expect(await control.db.select().from(tenants)).toHaveLength(0);
  });

  it("fans migrations out to every ready tenant and reports each", async () => {
    const control = await freshControl();
    const plane = planeWithControl(control.namespace);
    const slugs = [uniqueName("fan"), uniqueName("fan"), uniqueName("fan")];
    for (const slug of slugs)
      await provisionTenant(control.db, plane, { slug, name: `District ${slug}` }, actor);
    const results = await migrateAllTenants(control.db, plane, 2);
    expect(results.map((r) => r.slug).sort()).toEqual([...slugs].sort());
    expect(results.every((r) => r.error === undefined && r.applied.length === 0)).toBe(true);
  });
});
