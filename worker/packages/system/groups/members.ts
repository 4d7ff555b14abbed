import { and, eq, inArray, isNull } from "drizzle-orm";
import { auditBy, auditIfChanged } from "../../../../db/audit";
import type { ControlDb } from "../../../../db/client";
import { actorUserId, type ServiceContext } from "../../../../db/context";
import { memberships, users } from "../../../../db/control/schema";
import { groupMembers } from "../../../../db/tenant/schema";
import { AppError } from "../../../../shared/errors";
import {
  type AddGroupMembersInput,
  addGroupMembersInput,
  removeGroupMemberInput,
} from "../../../../shared/schemas/groups";
import { loadChangeableGroup, loadGroup } from "./views";

/** Of `userIds`, the active members of the organization (active account, active membership). */
async function activeMembers(control: ControlDb, tenantId: string, userIds: string[]): Promise<Set<string>> {
  const rows = await control
    .select({ id: users.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.tenantId, tenantId),
        inArray(memberships.userId, userIds),
        eq(memberships.status, "active"),
        isNull(memberships.deletedAt),
        eq(users.status, "active"),
        isNull(users.deletedAt),
      ),
    );
  return new Set(rows.map((r) => r.id));
}

/**
 * Adds people to a group. Only active members of this organization can be added; every other id is
 * reported as rejected (whether it names someone elsewhere or no one at all). Each addition is audited.
 */
export async function addGroupMembers(ctx: ServiceContext, raw: AddGroupMembersInput) {
  const { db } = ctx;
  const input = addGroupMembersInput.parse(raw);
  const group = await loadChangeableGroup(db, input.groupId);
  const userIds = [...new Set(input.userIds)];
  const eligible = await activeMembers(ctx.control, ctx.tenant.id, userIds);
  const rejected = userIds
    .filter((id) => !eligible.has(id))
    .map((userId) => ({ userId, reason: "not_an_active_member" as const }));
  const candidates = userIds.filter((id) => eligible.has(id));
  const added: string[] = [];
  const alreadyMembers: string[] = [];
  if (candidates.length > 0) {
    const now = new Date();
    const statements = candidates.flatMap((userId) => [
      db
        .insert(groupMembers)
        .values({ groupId: group.id, userId, addedAt: now, addedById: actorUserId(ctx.actor) })
        .onConflictDoNothing(),
      auditIfChanged(
        db,
        auditBy(ctx, "group", group.id, { action: "group.member_added", after: { userId } }),
        now,
      ),
    ]);
    const results = await db.batch(statements as [(typeof statements)[number], ...typeof statements]);
    candidates.forEach((userId, i) => {
      (results[i * 2]!.rowsAffected > 0 ? added : alreadyMembers).push(userId);
    });
  }
  return { added, alreadyMembers, rejected, group: await loadGroup(db, group.id) };
}

/** Takes one person out of a group; NOT_FOUND when they are not in it. */
export async function removeGroupMember(ctx: ServiceContext, raw: { groupId: string; userId: string }) {
  const { db } = ctx;
  const input = removeGroupMemberInput.parse(raw);
  const group = await loadChangeableGroup(db, input.groupId);
  const now = new Date();
  const [removed] = await db.batch([
    db
      .delete(groupMembers)
      .where(and(eq(groupMembers.groupId, group.id), eq(groupMembers.userId, input.userId))),
    auditIfChanged(
      db,
      auditBy(ctx, "group", group.id, {
        action: "group.member_removed",
        before: { userId: input.userId },
      }),
      now,
    ),
  ]);
  if (removed.rowsAffected === 0) throw new AppError("NOT_FOUND", "That person is not in this group.");
  return { group: await loadGroup(db, group.id) };
}
