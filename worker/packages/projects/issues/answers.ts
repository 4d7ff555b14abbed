import { eq } from "drizzle-orm";
import { z } from "zod";
import type { TenantDb } from "../../../../db/client";
import { requestTypes } from "../../../../db/tenant/schema";
import { AppError } from "../../../../shared/errors";
import { type ExtraField, extraFields } from "../../../../shared/schemas/issue-extras";
import type { IssueType } from "../../../../shared/schemas/issue-model";
import type { IssueAnswers } from "../../../../shared/schemas/issues";
import { issueTypeLabels } from "../../../../shared/schemas/workflows";
import { referenceNotFound } from "../references";
import type { IssueRow } from "./rows";

export type RequestTypeRow = typeof requestTypes.$inferSelect;
/** Answers as the input gives them: null (or "") leaves a field unanswered. */
export type AnswersInput = Readonly<Record<string, string | number | null>>;

const badRequest = (field: string, message: string) =>
  new AppError("BAD_REQUEST", message, { fieldErrors: { [field]: [message] } });

/**
 * A request type of the catalog (NOT_FOUND at `requestTypeId` otherwise). Chosen anew (`chosen`), it must
 * not be archived and must be for the issue's subtype (BAD_REQUEST at `typeField`).
 */
export async function loadRequestType(
  db: TenantDb,
  id: string,
  chosen: { type: IssueType; typeField: string } | null,
): Promise<RequestTypeRow> {
  const row = await db.query.requestTypes.findFirst({ where: eq(requestTypes.id, id) });
  if (!row) {
    throw referenceNotFound("requestTypeId", "There is no such request type in this organization's catalog.");
  }
  if (!chosen) return row;
  if (row.archivedAt) {
    throw badRequest("requestTypeId", "That request type is archived: choose another one.");
  }
  if (row.issueType !== chosen.type) {
    const label = issueTypeLabels[row.issueType].toLowerCase();
    throw badRequest(chosen.typeField, `The request type "${row.name}" files issues of type ${label}.`);
  }
  return row;
}

/** The extra fields a request type asks for (stored fields that no longer parse count as none). */
export function fieldsOf(row: RequestTypeRow): ExtraField[] {
  const parsed = extraFields.safeParse(row.fields);
  return parsed.success ? parsed.data : [];
}

const isoDay = z.iso.date();

/** What is wrong with an answer to `field`, or null when it fits. */
function answerProblem(field: ExtraField, value: string | number): string | null {
  switch (field.kind) {
    case "text":
      return typeof value === "string" ? null : "Answer with text.";
    case "number":
      return typeof value === "number" ? null : "Answer with a number.";
    case "date":
      return isoDay.safeParse(value).success ? null : "Give a date as YYYY-MM-DD.";
    case "select":
      return typeof value === "string" && field.options?.includes(value)
        ? null
        : `Choose one of: ${field.options?.join(", ")}.`;
  }
}

/**
 * Answers checked against the extra fields of the issue's request type (`null`: it has none). Unanswered
 * fields (null, "") are left out, the rest kept in the fields' order. Every key that is not a field, every
 * required field left unanswered and every answer of the wrong kind gets a field error at
 * `answers.<key>`; any of them answers BAD_REQUEST.
 */
export function checkAnswers(fields: readonly ExtraField[] | null, given: AnswersInput): IssueAnswers {
  const known = new Map((fields ?? []).map((field) => [field.key, field]));
  const fieldErrors: Record<string, string[]> = {};
  for (const key of Object.keys(given)) {
    if (known.has(key)) continue;
    fieldErrors[`answers.${key}`] = [
      fields
        ? "The request type has no field with this key."
        : "Only issues with a request type take answers.",
    ];
  }
  const answers: IssueAnswers = {};
  for (const field of known.values()) {
    const value = given[field.key];
    const problem =
      value === undefined || value === null || value === ""
        ? field.required
          ? `"${field.label}" needs an answer.`
          : null
        : answerProblem(field, value);
    if (problem) fieldErrors[`answers.${field.key}`] = [problem];
    else if (value !== undefined && value !== null && value !== "") answers[field.key] = value;
  }
  if (Object.keys(fieldErrors).length > 0) {
    throw new AppError("BAD_REQUEST", "Some answers do not fit the request type's fields.", { fieldErrors });
  }
  return answers;
}

/**
 * The request type and answers an update leaves an issue with, or null when it touches neither. A new
 * request type is checked as when filing; the answers — those given, or else the ones the issue has — must
 * fit the request type the issue ends up with.
 */
export async function answersOnUpdate(
  db: TenantDb,
  row: IssueRow,
  input: { requestTypeId?: string | null; answers?: AnswersInput },
): Promise<{ requestTypeId: string | null; answers: IssueAnswers } | null> {
  const requestTypeId = input.requestTypeId === undefined ? row.requestTypeId : input.requestTypeId;
  const moved = requestTypeId !== row.requestTypeId;
  if (!moved && input.answers === undefined) return null;
  const requestType = requestTypeId
    ? await loadRequestType(db, requestTypeId, moved ? { type: row.type, typeField: "requestTypeId" } : null)
    : null;
  const fields = requestType ? fieldsOf(requestType) : null;
  return { requestTypeId, answers: checkAnswers(fields, input.answers ?? row.answers) };
}
