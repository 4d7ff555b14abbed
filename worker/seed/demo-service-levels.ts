import { auditBy, auditIfChanged } from "../../db/audit";
import { openClient, tenantDatabase } from "../../db/client";
import { systemActor } from "../../db/context";
import type { DataPlane, TenantLocation } from "../../db/data-plane";
import { settings } from "../../db/tenant/schema";
import { SERVICE_LEVELS_KEY, type ServiceLevels, serviceLevels } from "../../shared/schemas/service-levels";

const WORKING_DAY = 9 * 60;

/** The next Thanksgiving (fourth Thursday of November) on or after `now`, and the Friday after it. */
function thanksgivingBreak(now: Date): [string, string] {
  for (let year = now.getUTCFullYear(); ; year++) {
    const first = new Date(Date.UTC(year, 10, 1)).getUTCDay();
    const thursday = 1 + ((4 - first + 7) % 7) + 21;
    const friday = new Date(Date.UTC(year, 10, thursday + 1));
    if (friday.getTime() + 86_400_000 > now.getTime()) {
      return [
        new Date(Date.UTC(year, 10, thursday)).toISOString().slice(0, 10),
        friday.toISOString().slice(0, 10),
      ];
    }
  }
}

/**
 * A demo district's service levels: school hours (Mon–Fri 07:00–16:00 Central), the Thanksgiving break off,
 * critical issues on the always clock and the rest counted in working days of nine hours.
 */
export function demoServiceLevels(now = new Date()): ServiceLevels {
  return serviceLevels.parse({
    timeZone: "America/Chicago",
    workingDays: ["mon", "tue", "wed", "thu", "fri"],
    dayStart: "07:00",
    dayEnd: "16:00",
    holidays: thanksgivingBreak(now),
    targets: {
      critical: { responseMinutes: 60, resolutionMinutes: 4 * 60, clock: "always" },
      high: { responseMinutes: 4 * 60, resolutionMinutes: WORKING_DAY, clock: "business" },
      medium: { responseMinutes: WORKING_DAY, resolutionMinutes: 3 * WORKING_DAY, clock: "business" },
      low: { responseMinutes: 3 * WORKING_DAY, resolutionMinutes: 10 * WORKING_DAY, clock: "business" },
    },
  });
}

/**
 * Gives each demo district business-hours service levels (its `projects.serviceLevels` setting), with an
 * audit entry. Idempotent: a district that already has service levels keeps them. Returns how many
 * districts got them now.
 */
export async function seedDemoServiceLevels(
  plane: DataPlane,
  districts: readonly { tenant: TenantLocation & { id: string } }[],
  now = new Date(),
): Promise<number> {
  const policy = demoServiceLevels(now);
  let added = 0;
  for (const { tenant } of districts) {
    const db = tenantDatabase(openClient(plane.tenant(tenant)));
    try {
      // The audit entry is written only when the policy was (same batch, see auditIfChanged).
      const [inserted] = await db.batch([
        db
          .insert(settings)
          .values({ key: SERVICE_LEVELS_KEY, value: policy, updatedAt: now, updatedById: null })
          .onConflictDoNothing({ target: settings.key })
          .returning({ key: settings.key }),
        auditIfChanged(
          db,
          auditBy({ actor: systemActor("demo-seed"), tenant }, "settings", SERVICE_LEVELS_KEY, {
            action: "service_levels.updated",
            after: policy,
          }),
          now,
        ),
      ]);
      added += inserted.length;
    } finally {
      db.$client.close();
    }
  }
  return added;
}
