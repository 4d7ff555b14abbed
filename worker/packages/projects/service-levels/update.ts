import { auditRow } from "../../../../db/audit";
import type { TenantDb } from "../../../../db/client";
import { auditLog, settings } from "../../../../db/tenant/schema";
import {
  normalizeServiceLevels,
  SERVICE_LEVELS_KEY,
  type ServiceLevels,
  type UpdateServiceLevelsInput,
  updateServiceLevelsInput,
} from "../../../../shared/schemas/service-levels";
import { type ProjectsActor, projectsAudit } from "../actor";
import { readServiceLevels } from "./load";

/**
 * Replaces the organization's service levels with `input` (the whole policy), with an audit entry holding
 * the policy before and after, in one batch. A policy equal to the one in force writes nothing. Issues
 * already filed keep their due dates: the new policy applies to issues filed, or whose priority changes,
 * from now on.
 */
export async function updateServiceLevels(
  db: TenantDb,
  params: {
    actor: ProjectsActor;
    log: { warn(message: string, extra?: Record<string, unknown>): void };
    input: UpdateServiceLevelsInput;
  },
): Promise<ServiceLevels> {
  const next = normalizeServiceLevels(updateServiceLevelsInput.parse(params.input));
  const current = await readServiceLevels(db, params.log);
  if (current.stored && JSON.stringify(current.policy) === JSON.stringify(next)) return next;
  const now = new Date();
  const { actor } = params;
  await db.batch([
    db
      .insert(settings)
      .values({ key: SERVICE_LEVELS_KEY, value: next, updatedAt: now, updatedById: actor.userId })
      .onConflictDoUpdate({
        target: settings.key,
        set: { value: next, updatedAt: now, updatedById: actor.userId },
      }),
    db.insert(auditLog).values(
      auditRow(
        projectsAudit(actor, "settings", SERVICE_LEVELS_KEY, {
          action: "service_levels.updated",
          before: current.policy,
          after: next,
        }),
        now,
      ),
    ),
  ]);
  return next;
}
