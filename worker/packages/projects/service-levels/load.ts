import { eq } from "drizzle-orm";
import type { TenantDb } from "../../../../db/client";
import { settings } from "../../../../db/tenant/schema";
import {
  defaultServiceLevels,
  SERVICE_LEVELS_KEY,
  type ServiceLevels,
  serviceLevels,
} from "../../../../shared/schemas/service-levels";

export interface StoredServiceLevels {
  policy: ServiceLevels;
  /** Whether the organization has a policy of its own that parses (false: the defaults apply). */
  stored: boolean;
}

/**
 * The organization's service levels as stored under `projects.serviceLevels`: the defaults when it never
 * set them, and also (with a warning in the log) when the stored value no longer parses — a bad row must
 * not stop issues from being filed. One small read; nothing is cached across requests.
 */
export async function readServiceLevels(
  db: TenantDb,
  log: { warn(message: string, extra?: Record<string, unknown>): void },
): Promise<StoredServiceLevels> {
  const [row] = await db
    .select({ value: settings.value })
    .from(settings)
    .where(eq(settings.key, SERVICE_LEVELS_KEY))
    .limit(1);
  if (!row) return { policy: defaultServiceLevels, stored: false };
  const parsed = serviceLevels.safeParse(row.value);
  if (parsed.success) return { policy: parsed.data, stored: true };
  log.warn("stored service levels do not parse: using the defaults", {
    key: SERVICE_LEVELS_KEY,
    issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`),
  });
  return { policy: defaultServiceLevels, stored: false };
}

/** The service levels issues' due dates are computed with (see readServiceLevels). */
export async function loadServiceLevels(
  db: TenantDb,
  log: { warn(message: string, extra?: Record<string, unknown>): void },
): Promise<ServiceLevels> {
  return (await readServiceLevels(db, log)).policy;
}
