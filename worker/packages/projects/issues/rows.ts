import { eq } from "drizzle-orm";
import type { TenantDb } from "../../../../db/client";
import { issues } from "../../../../db/tenant/schema";
import { AppError } from "../../../../shared/errors";

export type IssueRow = typeof issues.$inferSelect;
export type IssueInsert = typeof issues.$inferInsert;

export const issueNotFound = () => new AppError("NOT_FOUND", "There is no such issue in this organization.");

export const issueArchived = () =>
  new AppError("CONFLICT", "This issue is archived. Restore it before changing it.", {
    reason: "issue_archived",
  });

export const staleVersion = () =>
  new AppError(
    "CONFLICT",
    "Someone else changed this issue since you opened it. Reload it and make your change again.",
    { reason: "stale_version" },
  );

export async function loadIssueRow(db: TenantDb, id: string): Promise<IssueRow> {
  const [row] = await db.select().from(issues).where(eq(issues.id, id)).limit(1);
  if (!row) throw issueNotFound();
  return row;
}

/** The row, for a change named at `version`: NOT_FOUND, CONFLICT when archived or when the version is stale. */
export async function loadChangeableIssue(db: TenantDb, id: string, version?: number): Promise<IssueRow> {
  const row = await loadIssueRow(db, id);
  assertChangeable(row, version);
  return row;
}

export function assertChangeable(row: IssueRow, version?: number): void {
  if (row.archivedAt) throw issueArchived();
  if (version !== undefined && row.version !== version) throw staleVersion();
}

/** Every column but the long ones (description, details, answers): what lists read. */
export const listColumns = {
  id: issues.id,
  number: issues.number,
  projectScope: issues.projectScope,
  projectId: issues.projectId,
  type: issues.type,
  title: issues.title,
  status: issues.status,
  priority: issues.priority,
  impact: issues.impact,
  urgency: issues.urgency,
  requesterId: issues.requesterId,
  assigneeUserId: issues.assigneeUserId,
  assigneeGroupId: issues.assigneeGroupId,
  categoryId: issues.categoryId,
  requestTypeId: issues.requestTypeId,
  schoolId: issues.schoolId,
  tags: issues.tags,
  dueAt: issues.dueAt,
  responseDueAt: issues.responseDueAt,
  resolutionDueAt: issues.resolutionDueAt,
  respondedAt: issues.respondedAt,
  resolvedAt: issues.resolvedAt,
  closedAt: issues.closedAt,
  slaPausedAt: issues.slaPausedAt,
  slaPausedMinutes: issues.slaPausedMinutes,
  slaPausedBusinessMinutes: issues.slaPausedBusinessMinutes,
  version: issues.version,
  createdById: issues.createdById,
  createdAt: issues.createdAt,
  updatedAt: issues.updatedAt,
  archivedAt: issues.archivedAt,
};
export type IssueListRow = Omit<IssueRow, "description" | "details" | "answers">;
