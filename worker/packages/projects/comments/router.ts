import {
  comment,
  commentIdInput,
  createCommentInput,
  deletedOutput,
  listCommentsInput,
  listCommentsOutput,
  updateCommentInput,
} from "../../../../shared/schemas/issue-extras";
import { requirePermission, router } from "../../../trpc/init";
import { createComment } from "./create";
import { deleteComment } from "./delete";
import { listComments } from "./list";
import { updateComment } from "./update";

const reader = requirePermission("projects.read");
const writer = requirePermission("projects.write");

/** Comments on issues (projects.comments.*). */
export const commentsRouter = router({
  /**
   * An issue's comments, oldest first. Everyone with projects.read sees internal and public ones; a future
   * requester portal role will see public ones only.
   */
  list: reader
    .meta({
      rest: {
        method: "GET",
        path: "/projects/issues/{issueId}/comments",
        tag: "Projects: Comments",
        summary: "List an issue's comments",
      },
    })
    .input(listCommentsInput)
    .output(listCommentsOutput)
    .query(({ ctx, input }) => listComments(ctx.db, { control: ctx.control, input })),

  /**
   * Adds a comment (markdown, ≤ 20 000 characters); mentioned members and watchers are notified, and the
   * mentioned emailed as their preferences allow.
   */
  create: writer
    .meta({
      rest: {
        method: "POST",
        path: "/projects/issues/{issueId}/comments",
        tag: "Projects: Comments",
        summary: "Comment on an issue",
      },
    })
    .input(createCommentInput)
    .output(comment)
    .mutation(({ ctx, input }) => createComment(ctx, input)),

  /** Edits a comment: its author only. */
  update: writer
    .meta({
      rest: {
        method: "PATCH",
        path: "/projects/comments/{id}",
        tag: "Projects: Comments",
        summary: "Edit a comment",
      },
    })
    .input(updateCommentInput)
    .output(comment)
    .mutation(({ ctx, input }) => updateComment(ctx, input)),

  /** Deletes a comment (it stays in the thread without its text): its author or an administrator. */
  delete: writer
    .meta({
      rest: {
        method: "DELETE",
        path: "/projects/comments/{id}",
        tag: "Projects: Comments",
        summary: "Delete a comment",
      },
    })
    .input(commentIdInput)
    .output(deletedOutput)
    .mutation(({ ctx, input }) => deleteComment(ctx, input.id)),
});
