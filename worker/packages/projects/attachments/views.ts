import { and, eq, isNull } from "drizzle-orm";
import type { TenantDb } from "../../../../db/client";
import { issueAttachments } from "../../../../db/tenant/schema";
import { AppError } from "../../../../shared/errors";
import type { Attachment } from "../../../../shared/schemas/issue-extras";
import { personRefOf } from "../activity/people";

export type AttachmentRow = typeof issueAttachments.$inferSelect;

/** Where the lead mounts the bytes' routes (worker/packages/projects/attachments/http.ts). */
export const ATTACHMENTS_PATH = "/api/v1/attachments";

/** The R2 key of an attachment's bytes: per organization, per issue. */
export function attachmentKey(tenantId: string, issueId: string, attachmentId: string): string {
  return `${tenantId}/${issueId}/${attachmentId}`;
}

export function toAttachment(row: AttachmentRow, people: Map<string, { name: string }>): Attachment {
  return {
    id: row.id,
    issueId: row.issueId,
    filename: row.filename,
    contentType: row.contentType,
    size: row.size,
    sha256: row.sha256,
    uploadedBy: personRefOf(people, row.uploadedById),
    createdAt: row.createdAt.toISOString(),
    downloadUrl: `${ATTACHMENTS_PATH}/${row.id}`,
  };
}

export const attachmentNotFound = () =>
  new AppError("NOT_FOUND", "There is no such attachment in this organization.");

/** An attachment that has not been deleted; NOT_FOUND otherwise (also for another organization's id). */
export async function loadAttachment(db: TenantDb, id: string): Promise<AttachmentRow> {
  const [row] = await db
    .select()
    .from(issueAttachments)
    .where(and(eq(issueAttachments.id, id), isNull(issueAttachments.deletedAt)))
    .limit(1);
  if (!row) throw attachmentNotFound();
  return row;
}
