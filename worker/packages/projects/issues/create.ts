import { and, eq, isNull, sql } from "drizzle-orm";
import { auditBy, auditRow } from "../../../../db/audit";
import { actorUserId, type ServiceContext } from "../../../../db/context";
import {
  auditLog,
  counters,
  groups,
  issueHistory,
  issues,
  notifications,
} from "../../../../db/tenant/schema";
import { AppError } from "../../../../shared/errors";
import { newId } from "../../../../shared/ids";
import type { Priority } from "../../../../shared/schemas/issue-model";
import { type CreateIssueInput, createIssueInput, type Issue } from "../../../../shared/schemas/issues";
import { dueDatesFor } from "../../../../shared/schemas/service-levels";
import { priorityOf, workflows } from "../../../../shared/schemas/workflows";
import { indexObject } from "../../../search/registry";
import { loadProject, loadTenantProjectRow } from "../projects/views";
import { assertActiveMember, assertCategory, assertGroup, assertOpenSchool } from "../references";
import { loadServiceLevels } from "../service-levels/load";
import { checkAnswers, fieldsOf, loadRequestType, type RequestTypeRow } from "./answers";
import { checkDetails } from "./details";
import { getIssue } from "./get";
import { autoWatch } from "./notices";
import { issueSearchType } from "./search-type";
import { syncSharedIndex } from "./shared-index";
import { issueKey } from "./views";

export const ISSUE_COUNTER = "issue";

/** The number the batch's counter statement assigned (the counter row is written in the same transaction). */
const assignedNumber = sql`(SELECT value FROM counters WHERE name = ${ISSUE_COUNTER})`;

/** Unique, lower-case, in the order first given. */
export const normalizeTags = (tags: readonly string[] | undefined) => [
  ...new Set((tags ?? []).map((t) => t.trim().toLowerCase())),
];

/** The group, when it still exists (otherwise no group). */
async function liveGroup(ctx: ServiceContext, groupId: string | null): Promise<string | null> {
  if (!groupId) return null;
  const [group] = await ctx.db
    .select({ id: groups.id })
    .from(groups)
    .where(and(eq(groups.id, groupId), isNull(groups.archivedAt)))
    .limit(1);
  return group?.id ?? null;
}

/** The group of an issue filed without one: the request type's default group, else the project's. */
async function defaultGroupOf(
  ctx: ServiceContext,
  project: { scope: "tenant" | "shared"; id: string },
  requestType: RequestTypeRow | null,
): Promise<string | null> {
  const fromRequestType = await liveGroup(ctx, requestType?.defaultAssigneeGroupId ?? null);
  if (fromRequestType || project.scope !== "tenant") return fromRequestType;
  return liveGroup(ctx, (await loadTenantProjectRow(ctx.db, project.id)).defaultAssigneeGroupId);
}

/**
 * Files an issue in one of the organization's projects or in a shared project of the root scope. In one
 * batch: the next issue number, the issue, its search document, a "created" history row and the audit
 * entry (and the assignee's notification). Then the assignee is emailed (`ctx.mail`), and shared-project
 * issues are summarised in the root desk's index (control database).
 */
export async function createIssue(ctx: ServiceContext, raw: CreateIssueInput): Promise<Issue> {
  const input = createIssueInput.parse(raw);
  const { db, control, actor } = ctx;
  const actorId = actorUserId(actor);
  const project = await loadProject(db, control, input.projectScope, input.projectId);
  if (project.archived) {
    throw new AppError("CONFLICT", "This project is archived: new issues cannot be filed in it.", {
      reason: "project_archived",
    });
  }
  if (input.assigneeUserId)
    await assertActiveMember(control, ctx.tenant.id, input.assigneeUserId, "assigneeUserId");
  if (input.assigneeGroupId) await assertGroup(db, input.assigneeGroupId, "assigneeGroupId");
  if (input.requesterId) await assertActiveMember(control, ctx.tenant.id, input.requesterId, "requesterId");
  if (input.categoryId) await assertCategory(db, input.categoryId, "categoryId");
  const school = input.schoolId ? await assertOpenSchool(db, input.schoolId, "schoolId") : null;
  const requestType = input.requestTypeId
    ? await loadRequestType(db, input.requestTypeId, { type: input.type, typeField: "type" })
    : null;
  const answers = checkAnswers(requestType && fieldsOf(requestType), input.answers ?? {});
  const details = await checkDetails(ctx, input.type, input.details as Record<string, unknown>, null);

  const now = new Date();
  const priority: Priority =
    input.type === "incident" ? priorityOf(input.impact, input.urgency) : (input.priority ?? "medium");
  const assigneeGroupId =
    input.assigneeGroupId === undefined
      ? await defaultGroupOf(ctx, project, requestType)
      : input.assigneeGroupId;
  const row = {
    id: newId(),
    projectScope: project.scope,
    projectId: project.id,
    type: input.type,
    title: input.title,
    description: input.description || null,
    status: workflows[input.type].initial,
    priority,
    impact: input.type === "incident" ? input.impact : null,
    urgency: input.type === "incident" ? input.urgency : null,
    requesterId: input.requesterId ?? actorId,
    assigneeUserId: input.assigneeUserId ?? null,
    assigneeGroupId,
    categoryId: input.categoryId === undefined ? (requestType?.categoryId ?? null) : input.categoryId,
    requestTypeId: requestType?.id ?? null,
    schoolId: school?.id ?? null,
    tags: normalizeTags(input.tags),
    details,
    answers,
    dueAt: input.dueAt ? new Date(input.dueAt) : null,
    ...dueDatesFor(await loadServiceLevels(db, ctx.log), priority, now),
    version: 1,
    createdById: actorId,
    createdAt: now,
    updatedAt: now,
  };
  const snapshot = {
    projectScope: row.projectScope,
    projectId: row.projectId,
    type: row.type,
    title: row.title,
    status: row.status,
    priority: row.priority,
    requesterId: row.requesterId,
    assigneeUserId: row.assigneeUserId,
    assigneeGroupId: row.assigneeGroupId,
    ...(row.schoolId ? { schoolId: row.schoolId } : {}),
    ...(row.requestTypeId
      ? { categoryId: row.categoryId, requestTypeId: row.requestTypeId, answers: row.answers }
      : {}),
  };
  const audit = auditRow(auditBy(ctx, "issue", row.id, { action: "issue.created", after: snapshot }), now);
  // The new assignee hears of it (not when they file it themselves); requester and assignee watch it.
  const reference = sql`${`${project.key}-`} || ${assignedNumber}`;
  const assignedRows =
    row.assigneeUserId && row.assigneeUserId !== actorId
      ? [
          db.insert(notifications).values({
            id: newId(),
            userId: row.assigneeUserId!,
            kind: "assigned",
            issueId: row.id,
            actorId,
            summary: sql`'You were assigned ' || ${reference} || ${`: ${row.title}`.slice(0, 280)}`,
            createdAt: now,
            readAt: null,
          }),
        ]
      : [];
  // History and audit record the number the batch assigns.
  const withNumber = sql`json_set(${JSON.stringify(snapshot)}, '$.number', ${assignedNumber})`;
  const [counter] = await db.batch([
    db
      .insert(counters)
      .values({ name: ISSUE_COUNTER, value: 1 })
      .onConflictDoUpdate({ target: counters.name, set: { value: sql`${counters.value} + 1` } })
      .returning({ value: counters.value }),
    db.insert(issues).values({ ...row, number: assignedNumber }),
    ...indexObject(db, issueSearchType, row.id, {
      reference,
      type: row.type,
      title: row.title,
      description: row.description,
      tags: row.tags,
      details: row.details,
      answers: row.answers,
      schoolId: row.schoolId,
      schoolName: school?.name,
    }),
    db.insert(issueHistory).values({
      id: newId(),
      issueId: row.id,
      actorId,
      at: now,
      field: "created",
      before: null,
      after: withNumber,
      requestId: actor.requestId,
    }),
    db.insert(auditLog).values({ ...audit, after: withNumber }),
    ...autoWatch(db, row.id, [row.requesterId, row.assigneeUserId], now),
    ...assignedRows,
  ]);
  const number = counter[0]!.value;
  if (assignedRows.length > 0) {
    const issue = { id: row.id, key: issueKey(project, number), title: row.title };
    await ctx.mail?.send([{ kind: "assigned", userId: row.assigneeUserId!, issue }]);
  }
  if (project.scope === "shared") {
    await syncSharedIndex(ctx, [
      {
        kind: "upsert",
        row: {
          ...row,
          number,
          archivedAt: null,
          respondedAt: null,
          resolvedAt: null,
          closedAt: null,
          slaPausedAt: null,
          slaPausedMinutes: 0,
          slaPausedBusinessMinutes: 0,
        },
        project,
      },
    ]);
  }
  return getIssue(ctx, row.id);
}
