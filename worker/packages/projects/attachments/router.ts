import {
  attachmentIdInput,
  deletedOutput,
  issueIdInput,
  listAttachmentsOutput,
} from "../../../../shared/schemas/issue-extras";
import { requirePermission, router } from "../../../trpc/init";
import { deleteAttachment } from "./delete";
import { listAttachments } from "./list";

const reader = requirePermission("projects.read");
const writer = requirePermission("projects.write");

/**
 * Files attached to issues (projects.attachments.*). Uploading and downloading the bytes happen over plain
 * HTTP (`POST /api/v1/attachments?issueId=…`, `GET /api/v1/attachments/:id`; see ./http.ts).
 */
export const attachmentsRouter = router({
  /** An issue's attachments, oldest first. */
  list: reader
    .meta({
      rest: {
        method: "GET",
        path: "/projects/issues/{issueId}/attachments",
        tag: "Projects: Attachments",
        summary: "List an issue's attachments",
      },
    })
    .input(issueIdInput)
    .output(listAttachmentsOutput)
    .query(({ ctx, input }) => listAttachments(ctx.db, { control: ctx.control, issueId: input.issueId })),

  /** Removes an attachment and its bytes: its uploader or an administrator. */
  delete: writer
    .meta({
      rest: {
        method: "DELETE",
        path: "/projects/attachments/{id}",
        tag: "Projects: Attachments",
        summary: "Delete an attachment",
      },
    })
    .input(attachmentIdInput)
    .output(deletedOutput)
    .mutation(({ ctx, input }) => deleteAttachment(ctx, { bucket: ctx.env.ATTACHMENTS, id: input.id })),
});
