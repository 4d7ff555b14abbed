import { and, eq } from "drizzle-orm";
import { auditBy, auditIfChanged } from "../../../../db/audit";
import type { ServiceContext, UserContext } from "../../../../db/context";
import { issueWatchers } from "../../../../db/tenant/schema";
import { type AddWatchersInput, addWatchersInput } from "../../../../shared/schemas/issue-extras";
import { loadIssue } from "../activity/issues";
import { activeMemberIds } from "../activity/people";

function watcherAudit(ctx: ServiceContext, issueId: string, userId: string, added: boolean) {
  return auditBy(ctx, "issue", issueId, {
    action: added ? "issue.watcher_added" : "issue.watcher_removed",
    ...(added ? { after: { userId } } : { before: { userId } }),
  });
}

/** Statements that make `userId` watch `issueId` (nothing when they already do), audited. */
function watchStatements(ctx: ServiceContext, issueId: string, userId: string, now: Date) {
  const { db } = ctx;
  return [
    db.insert(issueWatchers).values({ issueId, userId, createdAt: now }).onConflictDoNothing(),
    auditIfChanged(db, watcherAudit(ctx, issueId, userId, true), now),
  ] as const;
}

/** Statements that stop `userId` watching `issueId` (nothing when they do not), audited. */
function unwatchStatements(ctx: ServiceContext, issueId: string, userId: string, now: Date) {
  const { db } = ctx;
  return [
    db.delete(issueWatchers).where(and(eq(issueWatchers.issueId, issueId), eq(issueWatchers.userId, userId))),
    auditIfChanged(db, watcherAudit(ctx, issueId, userId, false), now),
  ] as const;
}

/** The caller starts watching an issue: they hear of its changes. Doing it twice changes nothing. */
export async function watchIssue(ctx: UserContext, issueId: string) {
  const issue = await loadIssue(ctx.db, issueId);
  await ctx.db.batch(watchStatements(ctx, issue.id, ctx.actor.userId, new Date()));
  return { watching: true };
}

/** The caller stops watching an issue. */
export async function unwatchIssue(ctx: UserContext, issueId: string) {
  const issue = await loadIssue(ctx.db, issueId);
  await ctx.db.batch(unwatchStatements(ctx, issue.id, ctx.actor.userId, new Date()));
  return { watching: false };
}

/**
 * Makes other people watch an issue. Only active members of this organization can; every other id is
 * reported as rejected (whether it names someone elsewhere or no one at all).
 */
export async function addWatchers(ctx: ServiceContext, raw: AddWatchersInput) {
  const input = addWatchersInput.parse(raw);
  const { db } = ctx;
  const issue = await loadIssue(db, input.issueId);
  const userIds = [...new Set(input.userIds)];
  const eligible = await activeMemberIds(ctx.control, ctx.tenant.id, { ids: userIds });
  const rejected = userIds
    .filter((id) => !eligible.has(id))
    .map((userId) => ({ userId, reason: "not_an_active_member" as const }));
  const candidates = userIds.filter((id) => eligible.has(id));
  const added: string[] = [];
  const alreadyWatching: string[] = [];
  if (candidates.length > 0) {
    const now = new Date();
    const statements = candidates.flatMap((userId) => watchStatements(ctx, issue.id, userId, now));
    const results = await db.batch(statements as [(typeof statements)[number], ...typeof statements]);
    candidates.forEach((userId, i) => {
      (results[i * 2]!.rowsAffected > 0 ? added : alreadyWatching).push(userId);
    });
  }
  return { added, alreadyWatching, rejected };
}

/** Stops someone watching an issue; `removed: false` when they did not. */
export async function removeWatcher(ctx: ServiceContext, params: { issueId: string; userId: string }) {
  const issue = await loadIssue(ctx.db, params.issueId);
  const [result] = await ctx.db.batch(unwatchStatements(ctx, issue.id, params.userId, new Date()));
  return { removed: result.rowsAffected > 0 };
}
