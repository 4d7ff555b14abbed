/**
 * `npm run db:migrate`: migrates the control database, then every tenant database (at most four at a
 * time). Locally it uses the sqld of a running `npm run dev`, or starts one on .data/ for the purpose.
 * In production, set DATA_PLANE=turso and the Turso settings in the environment.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { controlDatabase, openClient } from "../db/client";
import { CONTROL_NAMESPACE, type DataPlane, dataPlaneFrom } from "../db/data-plane";
import { controlMigrations } from "../db/migrations/control/bundle";
import { migrate } from "../db/migrator";
import { migrateAllTenants } from "../db/tenants";
import { type RunningSqld, startSqld } from "./lib/sqld";

const dataDir = resolve(import.meta.dirname, "../.data");

async function localPlane(): Promise<{ plane: DataPlane; sqld?: RunningSqld }> {
  const devFile = resolve(dataDir, "dev.json");
  if (existsSync(devFile)) {
    const dev = JSON.parse(readFileSync(devFile, "utf8")) as { sqldUrl: string; sqldAdminUrl: string };
    const alive = await fetch(`${dev.sqldUrl}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (alive)
      return {
        plane: dataPlaneFrom({
          DATA_PLANE: "local",
          LIBSQL_URL: dev.sqldUrl,
          LIBSQL_ADMIN_URL: dev.sqldAdminUrl,
        }),
      };
  }
  const sqld = await startSqld({ dataDir: resolve(dataDir, "sqld") });
  return {
    plane: dataPlaneFrom({ DATA_PLANE: "local", LIBSQL_URL: sqld.url, LIBSQL_ADMIN_URL: sqld.adminUrl }),
    sqld,
  };
}

async function main() {
  const { plane, sqld } = process.env.DATA_PLANE ? { plane: dataPlaneFrom(process.env) } : await localPlane();
  try {
    if (plane.kind === "local") await plane.provisioner.createDatabase(CONTROL_NAMESPACE);
    const client = openClient(plane.control);
    const { applied } = await migrate(client, controlMigrations);
    console.log(`control: ${applied.length ? `applied ${applied.join(", ")}` : "up to date"}`);
    const results = await migrateAllTenants(controlDatabase(client), plane, 4);
    for (const r of results) {
      console.log(
        `${r.slug}: ${r.error ? `FAILED — ${r.error}` : r.applied.length ? `applied ${r.applied.join(", ")}` : "up to date"}`,
      );
    }
    const failed = results.filter((r) => r.error).length;
    console.log(`${results.length} tenant database(s), ${failed} failed.`);
    process.exitCode = failed > 0 ? 1 : 0;
  } finally {
    await sqld?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`Migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
