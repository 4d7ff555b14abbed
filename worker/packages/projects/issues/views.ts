import type { Issue, IssueListItem, SchoolRef } from "../../../../shared/schemas/issues";
import type { ProjectRef } from "../../../../shared/schemas/projects";
import { allowedTransitions, slaStateOf } from "../../../../shared/schemas/workflows";
import type { IssueListRow, IssueRow } from "./rows";

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** The issue's reference as people say it, e.g. TECH-42. */
export const issueKey = (project: { key: string }, number: number) => `${project.key}-${number}`;

/**
 * SLA state now: response met by the first move out of the initial status, resolution by resolving or
 * ending; `paused` for a target not met while the issue waits in a status that stops the clock.
 */
export function slaOf(row: IssueListRow, now: Date) {
  return {
    response: slaStateOf(row.responseDueAt, row.respondedAt, now, row.slaPausedAt),
    resolution: slaStateOf(row.resolutionDueAt, row.resolvedAt ?? row.closedAt, now, row.slaPausedAt),
  };
}

/** A school named by id whose row is gone. */
export const unknownSchool = (id: string): SchoolRef => ({ id, name: "Unknown school" });

/** The school of a list row: its name came with the row (null when the row names none). */
export const schoolRefOf = (schoolId: string | null, name: string | null): SchoolRef | null =>
  schoolId ? (name !== null ? { id: schoolId, name } : unknownSchool(schoolId)) : null;

/** What a list item and the full issue share. */
function issueFields(row: IssueListRow, project: ProjectRef, now: Date): Omit<IssueListItem, "school"> {
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
    schoolId: row.schoolId,
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

export function toIssueListItem(
  row: IssueListRow,
  project: ProjectRef,
  school: SchoolRef | null,
  now: Date,
): IssueListItem {
  return { ...issueFields(row, project, now), school };
}

export function toIssue(row: IssueRow, project: ProjectRef, now: Date, names: Issue["names"]): Issue {
  return {
    names,
    ...issueFields(row, project, now),
    description: row.description,
    details: row.details,
    answers: row.answers,
    allowedTransitions: row.archivedAt ? [] : [...allowedTransitions(row.type, row.status)],
  } as Issue;
}
