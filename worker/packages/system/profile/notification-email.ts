import { eq, sql } from "drizzle-orm";
import { auditBy, auditRow } from "../../../../db/audit";
import type { ControlDb } from "../../../../db/client";
import type { UserActor } from "../../../../db/context";
import { auditLog, users } from "../../../../db/control/schema";
import { AppError } from "../../../../shared/errors";
import {
  type NotificationEmailPreferences,
  notificationEmailOf,
  type SetNotificationEmailInput,
} from "../../../../shared/schemas/credentials";

/**
 * Turns emails for assignments and mentions on or off (`users.preferences.notificationEmail`). A key left
 * out keeps its value; a call that changes nothing writes nothing. Only the keys given are merged into the
 * stored JSON by the UPDATE itself, so two changes made at once (two tabs) both stand, and the remembered
 * contexts beside them are never rewritten.
 */
export async function setNotificationEmail(
  control: ControlDb,
  params: { actor: UserActor } & SetNotificationEmailInput,
  now = new Date(),
): Promise<NotificationEmailPreferences> {
  const user = await control.query.users.findFirst({ where: eq(users.id, params.actor.userId) });
  if (!user) throw new AppError("UNAUTHORIZED", "Your session has ended. Sign in again.");
  const before = notificationEmailOf(user.preferences);
  const patch: Partial<NotificationEmailPreferences> = {};
  for (const key of ["assigned", "mentioned"] as const) {
    const value = params[key];
    if (value !== undefined && value !== before[key]) patch[key] = value;
  }
  if (Object.keys(patch).length === 0) return before;
  const after = { ...before, ...patch };
  const merged = sql`json_set(${users.preferences}, '$.notificationEmail', json_patch(coalesce(json_extract(${users.preferences}, '$.notificationEmail'), '{}'), ${JSON.stringify(patch)}))`;
  await control.batch([
    control.update(users).set({ preferences: merged, updatedAt: now }).where(eq(users.id, user.id)),
    control.insert(auditLog).values(
      auditRow(
        auditBy({ actor: params.actor }, "user", user.id, {
          action: "profile.notification_email_set",
          before,
          after,
        }),
        now,
      ),
    ),
  ]);
  return after;
}
