import { and, count, desc, eq, isNull } from "drizzle-orm";
import type { ControlDb, TenantDb } from "../../../../db/client";
import { decodeCursor, keysetAfter, keysetPage } from "../../../../db/lists";
import { notifications } from "../../../../db/tenant/schema";
import {
  type ListNotificationsInput,
  listNotificationsInput,
  type Notification,
} from "../../../../shared/schemas/issue-extras";
import { issueSummaries } from "../activity/issues";
import { peopleById, personRefOf } from "../activity/people";

const TAG = "notifications:createdAt";

/** The caller's notifications, newest first (only unread ones with `unreadOnly`). */
export async function listNotifications(
  db: TenantDb,
  params: { control: ControlDb; userId: string; input: ListNotificationsInput },
) {
  const input = listNotificationsInput.parse(params.input);
  const where = [eq(notifications.userId, params.userId)];
  if (input.unreadOnly) where.push(isNull(notifications.readAt));
  if (input.cursor) {
    const [at, id] = decodeCursor(input.cursor, TAG, ["number", "string"]);
    where.push(
      keysetAfter("desc", [
        [notifications.createdAt, new Date(at)],
        [notifications.id, id],
      ]),
    );
  }
  const rows = await db
    .select()
    .from(notifications)
    .where(and(...where))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(input.limit + 1);
  const { items: page, nextCursor } = keysetPage(rows, input.limit, TAG, (row) => [
    row.createdAt.getTime(),
    row.id,
  ]);
  const [issues, people] = await Promise.all([
    issueSummaries(
      db,
      params.control,
      page.flatMap((r) => (r.issueId ? [r.issueId] : [])),
    ),
    peopleById(
      params.control,
      page.map((r) => r.actorId),
    ),
  ]);
  const items: Notification[] = page.map((row) => ({
    id: row.id,
    kind: row.kind,
    summary: row.summary,
    issue: (row.issueId && issues.get(row.issueId)) || null,
    actor: row.actorId ? personRefOf(people, row.actorId) : null,
    createdAt: row.createdAt.toISOString(),
    readAt: row.readAt?.toISOString() ?? null,
  }));
  return { items, nextCursor };
}

/** How many of the caller's notifications are unread (served by the notifications_user index). */
export async function unreadCount(db: TenantDb, userId: string) {
  const [row] = await db
    .select({ count: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return { count: row?.count ?? 0 };
}
