import { asc, eq } from "drizzle-orm";
import type { ControlDb, TenantDb } from "../../../../db/client";
import { issueWatchers } from "../../../../db/tenant/schema";
import type { Watcher } from "../../../../shared/schemas/issue-extras";
import { loadIssue } from "../activity/issues";
import { peopleById, UNKNOWN_USER } from "../activity/people";

/** Who watches an issue (by name), and whether the caller does. */
export async function listWatchers(
  db: TenantDb,
  params: { control: ControlDb; userId: string; issueId: string },
) {
  const issue = await loadIssue(db, params.issueId);
  const rows = await db
    .select()
    .from(issueWatchers)
    .where(eq(issueWatchers.issueId, issue.id))
    .orderBy(asc(issueWatchers.createdAt), asc(issueWatchers.userId));
  const people = await peopleById(
    params.control,
    rows.map((r) => r.userId),
  );
  const items: Watcher[] = rows.map((row) => ({
    userId: row.userId,
    name: people.get(row.userId)?.name ?? UNKNOWN_USER,
    email: people.get(row.userId)?.email ?? "",
    since: row.createdAt.toISOString(),
  }));
  items.sort((a, b) => a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId));
  return { items, watching: rows.some((r) => r.userId === params.userId) };
}
