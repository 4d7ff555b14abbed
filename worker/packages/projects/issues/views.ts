import type { Issue, IssueListItem } from "../../../../shared/schemas/issues";
import type { ProjectRef } from "../../../../shared/schemas/projects";
import { allowedTransitions, slaStateOf } from "../../../../shared/schemas/workflows";
import type { IssueListRow, IssueRow } from "./rows";

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** The issue's reference as people say it, e.g. TECH-42. */
export const issueKey = (project: { key: string }, number: number) => `${project.key}-${number}`;

/** SLA state now: response met by the first move out of the initial status, resolution by resolving or ending. */
export function slaOf(row: IssueListRow, now: Date) {
  return {
    response: slaStateOf(row.responseDueAt, row.respondedAt, now),
    resolution: slaStateOf(row.resolutionDueAt, row.resolvedAt ?? row.closedAt, now),
  };
}

export function toIssueListItem(row: IssueListRow, project: ProjectRef, now: Date): IssueListItem {
  return {
    id: row.id,
    number: row.number,
    key: issueKey(project, row.number),
    project,
    type: row.type,
    title: row.title,
    status: row.status,
    priority: row.priority,
    impact: row.impact,
    urgency: row.urgency,
    requesterId: row.requesterId,
    assigneeUserId: row.assigneeUserId,
    assigneeGroupId: row.assigneeGroupId,
    categoryId: row.categoryId,
    requestTypeId: row.requestTypeId,
    tags: row.tags,
    dueAt: iso(row.dueAt),
    responseDueAt: iso(row.responseDueAt),
    resolutionDueAt: iso(row.resolutionDueAt),
    respondedAt: iso(row.respondedAt),
    resolvedAt: iso(row.resolvedAt),
    closedAt: iso(row.closedAt),
    sla: slaOf(row, now),
    version: row.version,
    createdById: row.createdById,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    archived: row.archivedAt !== null,
    archivedAt: iso(row.archivedAt),
  };
}

export function toIssue(row: IssueRow, project: ProjectRef, now: Date, names: Issue["names"]): Issue {
  return {
    names,
    ...toIssueListItem(row, project, now),
    description: row.description,
    details: row.details,
    answers: row.answers,
    allowedTransitions: row.archivedAt ? [] : [...allowedTransitions(row.type, row.status)],
  } as Issue;
}
