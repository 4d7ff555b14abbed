import { auditBy, auditRow } from "../../../../db/audit";
import type { UserContext } from "../../../../db/context";
import { auditLog, issueAttachments, issueHistory } from "../../../../db/tenant/schema";
import { AppError } from "../../../../shared/errors";
import { newId } from "../../../../shared/ids";
import { allowedAttachmentExtensions, MAX_ATTACHMENT_BYTES } from "../../../../shared/schemas/issue-extras";
import { describeError } from "../../../log";
import { relatedHistoryRow } from "../activity/history";
import { issueLabel, loadOpenIssue, summarize } from "../activity/issues";
import { notifyWatchers } from "../notifications/notify";
import { cleanFilename } from "./filename";
import { detectAttachmentType } from "./sniff";
import { attachmentKey, toAttachment } from "./views";

export function tooLarge() {
  return new AppError("PAYLOAD_TOO_LARGE", `Files can be at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB.`, {
    fieldErrors: { file: ["The file is too large"] },
    reason: "attachment_too_large",
  });
}

function refused(message: string, field: string, reason: string) {
  return new AppError("BAD_REQUEST", message, { fieldErrors: { [field]: [message] }, reason });
}

function hex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Attaches a file to an issue. Checked before anything is stored: size (≤ 25 MB, not empty), name, and
 * type by extension AND content. Then the bytes go to R2 under `<tenant>/<issue>/<attachment>` (with their
 * SHA-256, which R2 verifies), and the row, its history row, the audit entry and the watchers'
 * notifications are written in one batch; if that batch fails, the R2 object is deleted again.
 */
export async function uploadAttachment(
  ctx: UserContext,
  params: { bucket: R2Bucket; issueId: string; filename: string; bytes: Uint8Array<ArrayBuffer> },
) {
  const { db, actor } = ctx;
  const { bytes } = params;
  if (bytes.byteLength > MAX_ATTACHMENT_BYTES) throw tooLarge();
  if (bytes.byteLength === 0) throw refused("The file is empty.", "file", "attachment_empty");
  const filename = cleanFilename(params.filename);
  if (!filename) throw refused("Give the file a name.", "filename", "attachment_unnamed");
  const detected = detectAttachmentType(filename, bytes);
  if (!detected.ok) {
    throw detected.reason === "extension"
      ? refused(
          `Files of this type cannot be attached. Allowed: ${allowedAttachmentExtensions.join(", ")}.`,
          "file",
          "attachment_type_not_allowed",
        )
      : refused(
          "The file's content does not match its extension, so it was refused.",
          "file",
          "attachment_content_mismatch",
        );
  }
  const issue = await loadOpenIssue(db, params.issueId);
  const id = newId();
  const key = attachmentKey(ctx.tenant.id, issue.id, id);
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  const sha256 = hex(digest);
  const now = new Date();
  const row = {
    id,
    issueId: issue.id,
    r2Key: key,
    filename,
    contentType: detected.contentType,
    size: bytes.byteLength,
    sha256,
    uploadedById: actor.userId,
    createdAt: now,
    deletedAt: null,
  };
  const [shown] = await summarize(db, ctx.control, [issue]);
  const watchers = await notifyWatchers(
    db,
    issue.id,
    actor.userId,
    `${actor.name} attached ${filename} to ${issueLabel(shown!)}`,
    { at: now },
  );
  await params.bucket.put(key, bytes, {
    sha256: digest,
    httpMetadata: { contentType: detected.contentType },
    customMetadata: { tenantId: ctx.tenant.id, issueId: issue.id, uploadedById: actor.userId },
  });
  try {
    await db.batch([
      db.insert(issueAttachments).values(row),
      db
        .insert(issueHistory)
        .values(
          relatedHistoryRow(
            issue.id,
            actor,
            "attachment",
            { after: { id, filename, size: row.size, contentType: row.contentType } },
            now,
          ),
        ),
      db.insert(auditLog).values(
        auditRow(
          auditBy(ctx, "issue_attachment", id, {
            action: "issue_attachment.uploaded",
            after: { issueId: issue.id, filename, contentType: row.contentType, size: row.size, sha256 },
          }),
          now,
        ),
      ),
      ...watchers,
    ]);
  } catch (error) {
    try {
      await params.bucket.delete(key);
    } catch (cleanup) {
      ctx.log.warn("attachment bytes left behind after a failed write", {
        key,
        ...describeError(cleanup),
      });
    }
    throw error;
  }
  return toAttachment(row, new Map([[actor.userId, { name: actor.name }]]));
}
