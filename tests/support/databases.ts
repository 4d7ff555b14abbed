import { inject } from "vitest";
import { type ControlDb, controlDatabase, openClient, type TenantDb, tenantDatabase } from "../../db/client";
import { type DataPlane, dataPlaneFrom } from "../../db/data-plane";
import { controlMigrations } from "../../db/migrations/control/bundle";
import { tenantMigrations } from "../../db/migrations/tenant/bundle";
import { migrate } from "../../db/migrator";
import { LocalProvisioner } from "../../db/provisioning/local";
import { TEMPLATES } from "./templates";

export function sqld() {
  return { url: inject("sqldUrl"), adminUrl: inject("sqldAdminUrl") };
}

/** The local data plane of the test sqld (its control database is the migrated `control` namespace). */
export function testPlane(): DataPlane {
  const { url, adminUrl } = sqld();
  return dataPlaneFrom({ DATA_PLANE: "local", LIBSQL_URL: url, LIBSQL_ADMIN_URL: adminUrl });
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}

/**
 * Copies a migrated template into a new namespace of this test's own (sqld's fork), so tests never share
 * data. sqld's fork has been seen to hang now and then under load; after a few seconds the copy is given
 * up and a namespace is created and migrated instead, which ends in the same state.
 */
export async function forkTemplate(kind: keyof typeof TEMPLATES): Promise<string> {
  const forked = uniqueName(`test-${kind}`);
  try {
    const response = await fetch(`${sqld().adminUrl}/v1/namespaces/${TEMPLATES[kind]}/fork/${forked}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
      signal: AbortSignal.timeout(5000),
    });
    if (response.ok) {
      await response.body?.cancel();
      return forked;
    }
    throw new Error(`fork failed: ${response.status} ${await response.text()}`);
  } catch {
    const created = uniqueName(`test-${kind}`);
    await new LocalProvisioner(sqld().adminUrl, undefined, sqld().url).createDatabase(created);
    const client = openClient({ url: sqld().url, namespace: created });
    await migrate(client, kind === "control" ? controlMigrations : tenantMigrations);
    client.close();
    return created;
  }
}

export async function freshControl(): Promise<{ db: ControlDb; namespace: string }> {
  const namespace = await forkTemplate("control");
  return { db: controlDatabase(openClient({ url: sqld().url, namespace })), namespace };
}

export async function freshTenantDb(): Promise<{ db: TenantDb; namespace: string }> {
  const namespace = await forkTemplate("tenant");
  return { db: tenantDatabase(openClient({ url: sqld().url, namespace })), namespace };
}

/** A data plane whose control database is `namespace` instead of the shared `control`. */
export function planeWithControl(namespace: string): DataPlane {
  const base = testPlane();
  return { ...base, control: { ...base.control, namespace } };
}
