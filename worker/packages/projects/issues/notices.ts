import type { TenantDb } from "../../../../db/client";
import type { MailNotice } from "../../../../db/context";
import { issueWatchers } from "../../../../db/tenant/schema";
import { statusDef } from "../../../../shared/schemas/workflows";
import { notify, notifyWatchers } from "../notifications/notify";
import type { IssueRow } from "./rows";
import type { HistoryEntry } from "./write";

/** Fields whose changes watchers hear about with their values (others are named only). */
const SHOWN = new Set(["priority", "impact", "urgency"]);
/** Fields that follow from another change and are not worth announcing on their own. */
const QUIET = new Set(["responseDueAt", "resolutionDueAt", "respondedAt", "resolvedAt", "closedAt"]);

const LABELS: Record<string, string> = {
  assigneeUserId: "assignee",
  assigneeGroupId: "assignee group",
  requesterId: "requester",
  categoryId: "category",
  requestTypeId: "request type",
  schoolId: "school",
  dueAt: "due date",
};

/** `details.cause` → "cause"; every `answers.<key>` is one "answers" (the request type's form). */
const labelOf = (field: string) =>
  LABELS[field] ??
  (field.startsWith("details.") ? field.slice(8) : field.startsWith("answers.") ? "answers" : field);

/** A short line for watchers, e.g. "TECH-42 moved to Resolved" or "TECH-42: priority high → critical". */
export function changeSummary(key: string, row: IssueRow, history: readonly HistoryEntry[]): string {
  const status = history.find((h) => h.field === "status");
  if (status) {
    const to = String(status.after);
    return `${key} moved to ${statusDef(row.type, to)?.label ?? to}`;
  }
  const parts = history
    .filter((h) => !QUIET.has(h.field))
    .map((h) =>
      SHOWN.has(h.field)
        ? `${labelOf(h.field)} ${h.before ?? "none"} → ${h.after ?? "none"}`
        : `${labelOf(h.field)} changed`,
    );
  return `${key}: ${parts.length ? [...new Set(parts)].join(", ") : "updated"}`;
}

/** Statements that make each of `userIds` watch `issueId` unless they already do (no separate audit: the change is audited). */
export function autoWatch(db: TenantDb, issueId: string, userIds: Iterable<string | null>, at: Date) {
  const rows = [...new Set([...userIds].filter((id): id is string => !!id))].map((userId) => ({
    issueId,
    userId,
    createdAt: at,
  }));
  return rows.length ? [db.insert(issueWatchers).values(rows).onConflictDoNothing()] : [];
}

/**
 * What a change of an issue announces, as statements for its batch: an `assigned` notification to a new
 * assignee (never the actor), a `watched_change` to the other watchers, and the requester and assignee
 * made watchers; and, to email once the batch committed, the assignment (`mail`).
 */
export async function changeNotices(
  db: TenantDb,
  params: {
    actorId: string | null;
    key: string;
    row: IssueRow;
    next: IssueRow;
    history: readonly HistoryEntry[];
    at: Date;
  },
) {
  const { row, next, at, actorId, key } = params;
  const newAssignee =
    next.assigneeUserId && next.assigneeUserId !== row.assigneeUserId ? next.assigneeUserId : null;
  const watchers = await notifyWatchers(db, row.id, actorId, changeSummary(key, next, params.history), {
    except: newAssignee ? [newAssignee] : [],
    at,
  });
  const statements = [
    ...(newAssignee
      ? notify(
          db,
          {
            userIds: [newAssignee],
            kind: "assigned",
            issueId: row.id,
            actorId,
            summary: `You were assigned ${key}: ${next.title}`,
          },
          at,
        )
      : []),
    ...watchers,
    ...autoWatch(db, row.id, [next.requesterId, next.assigneeUserId], at),
  ];
  const mail: MailNotice[] =
    newAssignee && newAssignee !== actorId
      ? [{ kind: "assigned", userId: newAssignee, issue: { id: row.id, key, title: next.title } }]
      : [];
  return { statements, mail };
}
