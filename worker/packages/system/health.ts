import type { Client } from "@libsql/client";
import { controlDatabase, openClient } from "../../../db/client";
import type { DataPlane } from "../../../db/data-plane";
import { controlMigrations } from "../../../db/migrations/control/bundle";
import { tenantMigrations } from "../../../db/migrations/tenant/bundle";
import { type MigrationSet, pendingMigrations } from "../../../db/migrator";
import { listLiveTenants } from "../../../db/tenants";
import { mapSettled } from "../../../shared/concurrency";
import type {
  DatabaseReadiness,
  Readiness,
  ReadinessSummary,
  TenantReadiness,
} from "../../../shared/schemas/system";
import { publicUrlReadiness } from "../../auth/public-url";
import type { Env } from "../../env";

const CHECK_TIMEOUT_MS = 3000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function checkDatabase(client: Client, set: MigrationSet): Promise<DatabaseReadiness> {
  const started = Date.now();
  try {
    const pending = await withTimeout(pendingMigrations(client, set), CHECK_TIMEOUT_MS);
    return {
      ok: pending.length === 0,
      reachable: true,
      pendingMigrations: pending.length,
      latencyMs: Date.now() - started,
    };
  } catch (error) {
    return {
      ok: false,
      reachable: false,
      pendingMigrations: null,
      latencyMs: Date.now() - started,
      error: error instanceof Error ? error.message.slice(0, 300) : "unreachable",
    };
  } finally {
    client.close();
  }
}

/**
 * Whether Nexus can serve: the control database answers and is migrated, and so does every ready tenant's
 * database; in production, PUBLIC_URL is configured (the `publicUrl` check). `onlyTenantIds` narrows the
 * tenant list.
 */
export async function checkReadiness(
  plane: DataPlane,
  settings: Pick<Env, "ENVIRONMENT" | "PUBLIC_URL">,
  onlyTenantIds?: ReadonlySet<string>,
): Promise<Readiness> {
  const publicUrl = publicUrlReadiness(settings);
  const controlClient = openClient(plane.control);
  const control = await checkDatabase(controlClient, controlMigrations);
  let tenants: TenantReadiness[] = [];
  if (control.reachable) {
    const listClient = openClient(plane.control);
    try {
      const live = (await listLiveTenants(controlDatabase(listClient))).filter(
        (t) => !onlyTenantIds || onlyTenantIds.has(t.id),
      );
      const settled = await mapSettled(live, 6, async (t): Promise<TenantReadiness> => {
        const base = { id: t.id, slug: t.slug, name: t.name, status: t.status };
        if (t.status !== "ready") {
          return {
            ...base,
            ok: t.status === "provisioning",
            reachable: false,
            pendingMigrations: null,
            latencyMs: 0,
            ...(t.lastError ? { error: t.lastError } : {}),
          };
        }
        return { ...base, ...(await checkDatabase(openClient(plane.tenant(t)), tenantMigrations)) };
      });
      tenants = settled.map((r, i) =>
        r.status === "fulfilled"
          ? r.value
          : {
              id: live[i]!.id,
              slug: live[i]!.slug,
              name: live[i]!.name,
              status: live[i]!.status,
              ok: false,
              reachable: false,
              pendingMigrations: null,
              latencyMs: 0,
              error: String(r.reason),
            },
      );
    } finally {
      listClient.close();
    }
  }
  return {
    ready: control.ok && tenants.every((t) => t.ok) && publicUrl.ok,
    checkedAt: new Date().toISOString(),
    control,
    tenants,
    publicUrl,
  };
}

/**
 * What anyone may learn of readiness (`GET /readyz`, the status page of a non-operator): ready or not, and
 * counts. Which organizations exist, their databases' errors, migrations and latency are for operators only.
 */
export function summarizeReadiness(readiness: Readiness): ReadinessSummary {
  const ready = readiness.tenants.filter((t) => t.ok).length;
  return {
    ready: readiness.ready,
    checkedAt: readiness.checkedAt,
    control: { ok: readiness.control.ok },
    tenants: { total: readiness.tenants.length, ready, failing: readiness.tenants.length - ready },
  };
}
