import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { openClient } from "../../db/client";
import { CONTROL_NAMESPACE } from "../../db/data-plane";
import { controlMigrations } from "../../db/migrations/control/bundle";
import { tenantMigrations } from "../../db/migrations/tenant/bundle";
import { migrate } from "../../db/migrator";
import { LocalProvisioner } from "../../db/provisioning/local";
import { startSqld } from "../../scripts/lib/sqld";
import { TEMPLATES } from "./templates";

declare module "vitest" {
  export interface ProvidedContext {
    sqldUrl: string;
    sqldAdminUrl: string;
  }
}

/**
 * One real sqld per test project, with migrated template databases that each test file forks (copies) into
 * databases of its own, and a migrated `control` database for the Worker.
 */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "nexus-sqld-"));
  const sqld = await startSqld({ dataDir: dir });
  const provisioner = new LocalProvisioner(sqld.adminUrl);
  for (const [name, set] of [
    [TEMPLATES.control, controlMigrations],
    [TEMPLATES.tenant, tenantMigrations],
    [CONTROL_NAMESPACE, controlMigrations],
  ] as const) {
    await provisioner.createDatabase(name);
    const client = openClient({ url: sqld.url, namespace: name });
    await migrate(client, set);
    client.close();
  }
  project.provide("sqldUrl", sqld.url);
  project.provide("sqldAdminUrl", sqld.adminUrl);
  return async () => {
    await sqld.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
