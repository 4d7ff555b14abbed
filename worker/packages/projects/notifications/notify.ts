import { eq } from "drizzle-orm";
import type { TenantDb } from "../../../../db/client";
import { issueWatchers, notifications } from "../../../../db/tenant/schema";
import { newId } from "../../../../shared/ids";
import type { NotificationKind } from "../../../../shared/schemas/issue-extras";

const MAX_SUMMARY = 300;

export interface NotifyParams {
  userIds: Iterable<string>;
  kind: NotificationKind;
  issueId: string | null;
  actorId: string | null;
  summary: string;
}

/** The notification rows of one event: one per recipient, never the actor, each recipient once. */
export function notificationRows(params: NotifyParams, at = new Date()) {
  const recipients = [...new Set(params.userIds)].filter((id) => id !== params.actorId);
  const summary =
    params.summary.length > MAX_SUMMARY ? `${params.summary.slice(0, MAX_SUMMARY - 1)}…` : params.summary;
  return recipients.map((userId) => ({
    id: newId(),
    userId,
    kind: params.kind,
    issueId: params.issueId,
    actorId: params.actorId,
    summary,
    createdAt: at,
    readAt: null,
  }));
}

/**
 * Notifications for `userIds` (assignment, mentions, watched changes), as statements to put in the same
 * `db.batch([...])` as the change they announce: none when nobody is left once the actor is taken out,
 * else one multi-row insert. Spread the result into the batch: `db.batch([write, ...notify(db, {...})])`.
 */
export function notify(db: TenantDb, params: NotifyParams, at = new Date()) {
  const rows = notificationRows(params, at);
  return rows.length > 0 ? [db.insert(notifications).values(rows)] : [];
}

/**
 * `watched_change` notifications for everyone who watches issue `issueId`, except the actor and `except`
 * (e.g. people the same change already notified as mentioned or assigned), as batchable statements.
 */
export async function notifyWatchers(
  db: TenantDb,
  issueId: string,
  actorId: string | null,
  summary: string,
  options: { except?: Iterable<string>; at?: Date } = {},
) {
  const except = new Set(options.except ?? []);
  const watchers = await db
    .select({ userId: issueWatchers.userId })
    .from(issueWatchers)
    .where(eq(issueWatchers.issueId, issueId));
  return notify(
    db,
    {
      userIds: watchers.map((w) => w.userId).filter((id) => !except.has(id)),
      kind: "watched_change",
      issueId,
      actorId,
      summary,
    },
    options.at,
  );
}
