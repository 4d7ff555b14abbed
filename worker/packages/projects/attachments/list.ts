import { and, asc, eq, isNull } from "drizzle-orm";
import type { ControlDb, TenantDb } from "../../../../db/client";
import { issueAttachments } from "../../../../db/tenant/schema";
import { loadIssue } from "../activity/issues";
import { peopleById } from "../activity/people";
import { toAttachment } from "./views";

/** An issue's attachments (not the deleted ones), oldest first, with who uploaded them. */
export async function listAttachments(db: TenantDb, params: { control: ControlDb; issueId: string }) {
  const issue = await loadIssue(db, params.issueId);
  const rows = await db
    .select()
    .from(issueAttachments)
    .where(and(eq(issueAttachments.issueId, issue.id), isNull(issueAttachments.deletedAt)))
    .orderBy(asc(issueAttachments.createdAt), asc(issueAttachments.id));
  const people = await peopleById(
    params.control,
    rows.map((r) => r.uploadedById),
  );
  return { items: rows.map((row) => toAttachment(row, people)) };
}
