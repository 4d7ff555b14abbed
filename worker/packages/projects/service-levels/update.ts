import { auditBy, auditRow } from "../../../../db/audit";
import { actorUserId, type ServiceContext } from "../../../../db/context";
import { auditLog, settings } from "../../../../db/tenant/schema";
import {
  normalizeServiceLevels,
  SERVICE_LEVELS_KEY,
  type ServiceLevels,
  type UpdateServiceLevelsInput,
  updateServiceLevelsInput,
} from "../../../../shared/schemas/service-levels";
import { readServiceLevels } from "./load";

/**
 * Replaces the organization's service levels with `input` (the whole policy), with an audit entry holding
 * the policy before and after, in one batch. A policy equal to the one in force writes nothing. Issues
 * already filed keep their due dates: the new policy applies to issues filed, or whose priority changes,
 * from now on.
 */
export async function updateServiceLevels(
  ctx: ServiceContext,
  raw: UpdateServiceLevelsInput,
): Promise<ServiceLevels> {
  const { db } = ctx;
  const next = normalizeServiceLevels(updateServiceLevelsInput.parse(raw));
  const current = await readServiceLevels(db, ctx.log);
  if (current.stored && JSON.stringify(current.policy) === JSON.stringify(next)) return next;
  const now = new Date();
  const updatedById = actorUserId(ctx.actor);
  await db.batch([
    db
      .insert(settings)
      .values({ key: SERVICE_LEVELS_KEY, value: next, updatedAt: now, updatedById })
      .onConflictDoUpdate({
        target: settings.key,
        set: { value: next, updatedAt: now, updatedById },
      }),
    db.insert(auditLog).values(
      auditRow(
        auditBy(ctx, "settings", SERVICE_LEVELS_KEY, {
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
