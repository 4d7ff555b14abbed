import { and, asc, eq, ne } from "drizzle-orm";
import { z } from "zod";
import { mapSettled } from "../shared/concurrency";
import { newId } from "../shared/ids";
import { auditBy, auditRow } from "./audit";
import { type ControlDb, openClient } from "./client";
import type { Actor } from "./context";
import { auditLog, tenants } from "./control/schema";
import type { DataPlane } from "./data-plane";
import { tenantMigrations } from "./migrations/tenant/bundle";
import { migrate } from "./migrator";

export type TenantRecord = typeof tenants.$inferSelect;

/** A tenant's short name: lower-case letters, digits and dashes; it names the tenant's database too. */
export const tenantSlug = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{1,38}[a-z0-9]$/,
    "Use 3–40 lower-case letters, digits and dashes, starting with a letter",
  );

export const provisionInput = z.object({
  slug: tenantSlug,
  name: z.string().trim().min(2).max(120),
  kind: z.enum(["district", "root"]).default("district"),
});
export type ProvisionInput = z.input<typeof provisionInput>;

export function tenantDatabaseName(slug: string): string {
  return `tenant-${slug}`;
}

/**
 * Creates a tenant: registers it as `provisioning`, creates its database, migrates it, then marks it
 * `ready`. Idempotent: a ready tenant is returned as it is; a failed or interrupted one is retried from the
 * start (every step is idempotent). A failure marks the tenant `failed` with the reason; it never serves
 * requests until a later attempt succeeds.
 */
export async function provisionTenant(
  control: ControlDb,
  plane: DataPlane,
  rawInput: ProvisionInput,
  actor: Actor,
): Promise<TenantRecord> {
  const input = provisionInput.parse(rawInput);
  const existing = await control.query.tenants.findFirst({ where: eq(tenants.slug, input.slug) });
  if (existing?.status === "ready") return existing;
  if (existing?.status === "deleted")
    throw new Error(`Tenant ${input.slug} was deleted; its slug cannot be reused`);

  const now = new Date();
  let tenant: TenantRecord;
  if (existing) {
    await control
      .update(tenants)
      .set({ status: "provisioning", lastError: null, updatedAt: now })
      .where(eq(tenants.id, existing.id));
    tenant = { ...existing, status: "provisioning", lastError: null, updatedAt: now };
  } else {
    const id = newId();
    const [row] = await control.batch([
      control
        .insert(tenants)
        .values({
          id,
          slug: input.slug,
          name: input.name,
          kind: input.kind,
          status: "provisioning",
          databaseName: tenantDatabaseName(input.slug),
          createdAt: now,
          updatedAt: now,
        })
        .returning(),
      control.insert(auditLog).values(
        auditRow(
          auditBy({ actor, tenant: { id } }, "tenant", id, {
            action: "tenant.created",
            after: { slug: input.slug, name: input.name },
          }),
          now,
        ),
      ),
    ]);
    tenant = row[0]!;
  }

  try {
    const { url } = await plane.provisioner.createDatabase(tenant.databaseName);
    const client = openClient(plane.tenant({ databaseName: tenant.databaseName, databaseUrl: url }));
    try {
      await migrate(client, tenantMigrations);
    } finally {
      client.close();
    }
    const ready: TenantRecord = { ...tenant, status: "ready", databaseUrl: url, updatedAt: new Date() };
    await control.batch([
      control
        .update(tenants)
        .set({ status: "ready", databaseUrl: url, lastError: null, updatedAt: ready.updatedAt })
        .where(eq(tenants.id, tenant.id)),
      control
        .insert(auditLog)
        .values(auditRow(auditBy({ actor, tenant }, "tenant", tenant.id, { action: "tenant.provisioned" }))),
    ]);
    return ready;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await control.batch([
      control
        .update(tenants)
        .set({ status: "failed", lastError: reason.slice(0, 1000), updatedAt: new Date() })
        .where(eq(tenants.id, tenant.id)),
      control.insert(auditLog).values(
        auditRow(
          auditBy({ actor, tenant }, "tenant", tenant.id, {
            action: "tenant.provisioning_failed",
            after: { reason },
          }),
        ),
      ),
    ]);
    throw error;
  }
}

/** Every tenant that has (or should have) a database: all but the deleted. */
export function listLiveTenants(control: ControlDb): Promise<TenantRecord[]> {
  return control.query.tenants.findMany({ where: ne(tenants.status, "deleted"), orderBy: asc(tenants.slug) });
}

export async function findReadyTenant(control: ControlDb, id: string): Promise<TenantRecord | undefined> {
  return control.query.tenants.findFirst({ where: and(eq(tenants.id, id), eq(tenants.status, "ready")) });
}

export async function migrateTenantDatabase(plane: DataPlane, tenant: TenantRecord): Promise<string[]> {
  const client = openClient(plane.tenant(tenant));
  try {
    return (await migrate(client, tenantMigrations)).applied;
  } finally {
    client.close();
  }
}

export interface FanOutResult {
  slug: string;
  applied: string[];
  error?: string;
}

/** Migrates every ready tenant's database, at most `concurrency` at a time; one failure does not stop the rest. */
export async function migrateAllTenants(
  control: ControlDb,
  plane: DataPlane,
  concurrency = 4,
): Promise<FanOutResult[]> {
  const ready = (await listLiveTenants(control)).filter((t) => t.status === "ready");
  const settled = await mapSettled(ready, concurrency, (t) => migrateTenantDatabase(plane, t));
  return settled.map((r, i) => {
    const slug = ready[i]!.slug;
    return r.status === "fulfilled"
      ? { slug, applied: r.value }
      : { slug, applied: [], error: r.reason instanceof Error ? r.reason.message : String(r.reason) };
  });
}
