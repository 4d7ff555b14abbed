import { z } from "zod";
import type { DatabaseTarget } from "./client";
import { LocalProvisioner } from "./provisioning/local";
import { TursoProvisioner } from "./provisioning/turso";
import type { DatabaseProvisioner } from "./provisioning/types";

/** The settings the data plane reads (Worker vars and secrets, or process.env in scripts). */
export const dataPlaneSettings = z.discriminatedUnion("DATA_PLANE", [
  z.object({
    DATA_PLANE: z.literal("local"),
    LIBSQL_URL: z.url(),
    LIBSQL_ADMIN_URL: z.url(),
  }),
  z.object({
    DATA_PLANE: z.literal("turso"),
    CONTROL_DATABASE_URL: z.string().min(1),
    CONTROL_DATABASE_TOKEN: z.string().min(1),
    TURSO_API_URL: z.url(),
    TURSO_ORGANIZATION: z.string().min(1),
    TURSO_GROUP: z.string().min(1),
    TURSO_API_TOKEN: z.string().min(1),
    TURSO_DATABASE_TOKEN: z.string().min(1),
  }),
]);

export interface TenantLocation {
  databaseName: string;
  databaseUrl: string | null;
}

/** Where the control database and every tenant database live, and how new ones are made. */
export interface DataPlane {
  readonly kind: "local" | "turso";
  readonly control: DatabaseTarget;
  tenant(location: TenantLocation): DatabaseTarget;
  readonly provisioner: DatabaseProvisioner;
}

export const CONTROL_NAMESPACE = "control";

export function dataPlaneFrom(
  source: Record<string, unknown>,
  fetcher: typeof fetch = (input, init) => fetch(input, init),
): DataPlane {
  const parsed = dataPlaneSettings.safeParse(source);
  if (!parsed.success) {
    const missing = parsed.error.issues.map((i) => i.path.join(".") || "DATA_PLANE").join(", ");
    throw new Error(`The data plane is not configured: check ${missing}`);
  }
  const settings = parsed.data;
  if (settings.DATA_PLANE === "local") {
    return {
      kind: "local",
      control: { url: settings.LIBSQL_URL, namespace: CONTROL_NAMESPACE },
      tenant: (t) => ({ url: settings.LIBSQL_URL, namespace: t.databaseName }),
      provisioner: new LocalProvisioner(settings.LIBSQL_ADMIN_URL, fetcher, settings.LIBSQL_URL),
    };
  }
  return {
    kind: "turso",
    control: { url: settings.CONTROL_DATABASE_URL, authToken: settings.CONTROL_DATABASE_TOKEN },
    tenant: (t) => {
      if (!t.databaseUrl) throw new Error(`Tenant database ${t.databaseName} has no URL`);
      return { url: t.databaseUrl, authToken: settings.TURSO_DATABASE_TOKEN };
    },
    provisioner: new TursoProvisioner(
      {
        apiUrl: settings.TURSO_API_URL,
        organization: settings.TURSO_ORGANIZATION,
        group: settings.TURSO_GROUP,
        apiToken: settings.TURSO_API_TOKEN,
      },
      fetcher,
    ),
  };
}
