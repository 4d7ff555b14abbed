import { and, eq, exists, inArray, isNull, ne, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { auditBy, auditIfChanged } from "../../../../db/audit";
import type { ControlDb } from "../../../../db/client";
import type { ControlContext, ServiceLog } from "../../../../db/context";
import { memberships, users } from "../../../../db/control/schema";
import { mapSettled } from "../../../../shared/concurrency";
import { AppError } from "../../../../shared/errors";
import type { Role } from "../../../../shared/permissions";
import type { BulkResult } from "../../../../shared/schemas/organizations";
import { accessCache } from "../../../auth/access-cache";
import { endUserSessions } from "../../../auth/session";
import { memberScope } from "./members";

export type MembershipChange =
  | { kind: "role"; role: Role }
  | { kind: "deactivate" }
  | { kind: "reactivate" }
  | { kind: "remove" };

const actions: Record<MembershipChange["kind"], string> = {
  role: "membership.role_changed",
  deactivate: "membership.deactivated",
  reactivate: "membership.reactivated",
  remove: "membership.removed",
};

type Failure = { code: "NOT_FOUND" | "FORBIDDEN" | "CONFLICT"; error: string };

interface Target {
  membershipId: string;
  userId: string;
  role: Role;
  status: "active" | "deactivated";
}

const otherMembership = alias(memberships, "other_membership");
const otherUser = alias(users, "other_user");

/** True while the organization has an active owner (live account) other than `userId`. */
function anotherActiveOwner(control: ControlDb, tenantId: string, userId: string): SQL {
  return exists(
    control
      .select({ one: otherMembership.id })
      .from(otherMembership)
      .innerJoin(otherUser, eq(otherUser.id, otherMembership.userId))
      .where(
        and(
          eq(otherMembership.tenantId, tenantId),
          ne(otherMembership.userId, userId),
          eq(otherMembership.role, "owner"),
          eq(otherMembership.status, "active"),
          isNull(otherMembership.deletedAt),
          eq(otherUser.status, "active"),
          isNull(otherUser.deletedAt),
        ),
      ),
  );
}

/** What the change does to one member, or why it may not be done. null: already so. */
function plan(
  ctx: ControlContext,
  target: Target,
  change: MembershipChange,
): { set: Partial<typeof memberships.$inferInsert>; losesOwner: boolean } | Failure | null {
  const makesOwner =
    (change.kind === "role" && change.role === "owner") ||
    (change.kind === "reactivate" && target.role === "owner");
  if (ctx.tenant.role !== "owner" && (target.role === "owner" || makesOwner)) {
    return { code: "FORBIDDEN", error: "Only an owner can change an owner or make someone an owner." };
  }
  const activeOwner = target.role === "owner" && target.status === "active";
  switch (change.kind) {
    case "role":
      if (change.role === target.role) return null;
      return { set: { role: change.role }, losesOwner: activeOwner };
    case "deactivate":
      if (target.status === "deactivated") return null;
      return { set: { status: "deactivated" }, losesOwner: activeOwner };
    case "reactivate":
      if (target.status === "active") return null;
      return { set: { status: "active" }, losesOwner: false };
    case "remove":
      return { set: { deletedAt: new Date() }, losesOwner: activeOwner };
  }
}

/**
 * Applies one change to each of `userIds` (members of the actor's organization) and says, position by
 * position, what happened. Each change is a guarded update with its audit entry, all in one atomic batch:
 * a guard that fails (the last active owner, or a member changed meanwhile) leaves that user as they were
 * and without an audit entry, and is reported in their row — nothing is half-applied silently. Afterwards
 * the changed users' sessions end (role change, deactivation, removal), or their cached access is
 * forgotten (reactivation).
 */
export async function changeMemberships(
  ctx: ControlContext & { log?: ServiceLog },
  userIds: readonly string[],
  change: MembershipChange,
): Promise<BulkResult> {
  const { control, actor, log } = ctx;
  const ids = [...new Set(userIds)];
  const targets = await control
    .select({
      membershipId: memberships.id,
      userId: memberships.userId,
      role: memberships.role,
      status: memberships.status,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(memberScope(ctx.tenant.id), inArray(memberships.userId, ids)));
  const byUser = new Map(targets.map((t) => [t.userId, t]));

  const outcome = new Map<string, { ok: true; changed: boolean } | Failure>();
  const planned: { target: Target; losesOwner: boolean; statement: number }[] = [];
  const statements: Parameters<ControlDb["batch"]>[0][number][] = [];
  const now = new Date();

  for (const userId of ids) {
    const target = byUser.get(userId);
    if (!target) {
      outcome.set(userId, { code: "NOT_FOUND", error: "There is no such user in this organization." });
      continue;
    }
    const step = plan(ctx, target, change);
    if (step === null) {
      outcome.set(userId, { ok: true, changed: false });
      continue;
    }
    if ("code" in step) {
      outcome.set(userId, step);
      continue;
    }
    const guard = [
      eq(memberships.id, target.membershipId),
      isNull(memberships.deletedAt),
      // Exactly the state this change was planned from, so the audit's "before" is the truth.
      eq(memberships.role, target.role),
      eq(memberships.status, target.status),
    ];
    if (step.losesOwner) guard.push(anotherActiveOwner(control, ctx.tenant.id, userId));
    planned.push({ target, losesOwner: step.losesOwner, statement: statements.length });
    const before = { role: target.role, status: target.status };
    statements.push(
      control
        .update(memberships)
        .set({ ...step.set, updatedAt: now })
        .where(and(...guard)),
      auditIfChanged(
        control,
        auditBy(ctx, "user", userId, {
          action: actions[change.kind],
          before,
          after: {
            role: step.set.role ?? target.role,
            status: step.set.status ?? target.status,
            ...(change.kind === "remove" ? { removed: true } : {}),
          },
        }),
        now,
      ),
    );
  }

  if (statements.length > 0) {
    const results = (await control.batch(
      statements as unknown as Parameters<ControlDb["batch"]>[0],
    )) as unknown as { rowsAffected: number }[];
    for (const { target, losesOwner, statement } of planned) {
      const changed = (results[statement]?.rowsAffected ?? 0) > 0;
      outcome.set(
        target.userId,
        changed
          ? { ok: true, changed: true }
          : {
              code: "CONFLICT",
              error: losesOwner
                ? "This is the organization's last active owner. Make someone else an owner first."
                : "This user was changed by someone else meanwhile. Reload and try again.",
            },
      );
    }
  }

  const changedIds = ids.filter((id) => {
    const o = outcome.get(id);
    return o && "ok" in o && o.changed;
  });
  if (change.kind === "reactivate") {
    for (const id of changedIds) accessCache.forgetUser(id);
  } else {
    const settled = await mapSettled(changedIds, 4, (userId) =>
      endUserSessions(control, userId, {
        reason: actions[change.kind],
        // Acting on oneself does not end the session doing it.
        ...(actor.kind === "user" && userId === actor.userId ? { exceptSessionId: actor.credential.id } : {}),
      }),
    );
    settled.forEach((s, i) => {
      // The change itself is committed and already in force (access is resolved from the membership).
      if (s.status === "rejected") {
        accessCache.forgetUser(changedIds[i]!);
        log?.warn("ending sessions after a membership change failed", {
          targetUserId: changedIds[i],
          error: s.reason instanceof Error ? s.reason.message : String(s.reason),
        });
      }
    });
  }

  // One result per position asked for (results[i] answers userIds[i]); a repeated id changes nothing twice.
  // Ids are not echoed back, so an answer never repeats an id the organization does not know.
  const seen = new Set<string>();
  const results = userIds.map((userId, index) => {
    const o = outcome.get(userId)!;
    const repeat = seen.has(userId);
    seen.add(userId);
    if (!("ok" in o)) return { index, ok: false as const, ...o };
    return { index, ok: true as const, changed: o.changed && !repeat };
  });
  return {
    results,
    changed: changedIds.length,
    failed: results.filter((r) => !r.ok).length,
  };
}

/** The single-user form: throws the user's failure as an AppError instead of reporting it. */
export async function changeMembership(
  ctx: ControlContext & { log?: ServiceLog },
  userId: string,
  change: MembershipChange,
): Promise<{ changed: boolean }> {
  const { results } = await changeMemberships(ctx, [userId], change);
  const result = results[0]!;
  if (!result.ok) throw new AppError(result.code, result.error);
  return { changed: result.changed };
}
