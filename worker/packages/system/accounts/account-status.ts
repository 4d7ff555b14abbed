import { and, eq, isNull } from "drizzle-orm";
import { auditBy, auditRow } from "../../../../db/audit";
import type { ControlDb } from "../../../../db/client";
import type { UserActor } from "../../../../db/context";
import { auditLog, users } from "../../../../db/control/schema";
import { AppError } from "../../../../shared/errors";
import { endUserSessions } from "../../../auth/session";

type Change = "deactivate" | "reactivate" | "delete";

/**
 * Platform-wide account lifecycle: deactivation blocks sign-in everywhere and ends every session and token
 * family at once; reactivation undoes it; deletion is soft (the row and its history stay, sign-in is gone).
 */
export async function changeAccountStatus(
  control: ControlDb,
  actor: UserActor,
  userId: string,
  change: Change,
) {
  if (userId === actor.userId)
    throw new AppError("BAD_REQUEST", "You cannot change your own account this way.");
  const user = await control.query.users.findFirst({
    where: and(eq(users.id, userId), isNull(users.deletedAt)),
  });
  if (!user) throw new AppError("NOT_FOUND", "There is no such account.");
  const now = new Date();
  const set =
    change === "deactivate"
      ? { status: "deactivated" as const, updatedAt: now }
      : change === "reactivate"
        ? { status: "active" as const, updatedAt: now }
        : { deletedAt: now, status: "deactivated" as const, updatedAt: now };
  await control.batch([
    control.update(users).set(set).where(eq(users.id, userId)),
    control.insert(auditLog).values(
      auditRow(
        auditBy({ actor }, "user", userId, {
          action: `account.${change === "delete" ? "deleted" : `${change}d`}`,
          before: { status: user.status },
          after: { status: set.status, ...(change === "delete" ? { deleted: true } : {}) },
        }),
      ),
    ),
  ]);
  if (change !== "reactivate") await endUserSessions(control, userId, { reason: `account_${change}` });
  return { userId, status: set.status, deleted: change === "delete" };
}
