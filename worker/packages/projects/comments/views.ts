import { eq } from "drizzle-orm";
import type { TenantDb } from "../../../../db/client";
import { issueComments } from "../../../../db/tenant/schema";
import { AppError } from "../../../../shared/errors";
import type { Comment } from "../../../../shared/schemas/issue-extras";
import { personRefOf } from "../activity/people";

export type CommentRow = typeof issueComments.$inferSelect;

export function toComment(row: CommentRow, people: Map<string, { name: string }>): Comment {
  return {
    id: row.id,
    issueId: row.issueId,
    author: personRefOf(people, row.authorId),
    body: row.deletedAt ? null : row.body,
    visibility: row.visibility,
    createdAt: row.createdAt.toISOString(),
    editedAt: row.editedAt?.toISOString() ?? null,
    deletedAt: row.deletedAt?.toISOString() ?? null,
  };
}

export const commentNotFound = () =>
  new AppError("NOT_FOUND", "There is no such comment in this organization.");

/** A comment that has not been deleted; NOT_FOUND otherwise (also for another organization's id). */
export async function loadLiveComment(db: TenantDb, id: string): Promise<CommentRow> {
  const row = await db.query.issueComments.findFirst({ where: eq(issueComments.id, id) });
  if (!row || row.deletedAt) throw commentNotFound();
  return row;
}
