import {
  createLinkInput,
  deletedOutput,
  issueIdInput,
  issueLink,
  linkIdInput,
  listLinksOutput,
} from "../../../../shared/schemas/issue-extras";
import { requirePermission, router } from "../../../trpc/init";
import { createLink } from "./create";
import { deleteLink } from "./delete";
import { listLinks } from "./list";

const reader = requirePermission("projects.read");
const writer = requirePermission("projects.write");

/** Links between issues: relates to, duplicates, blocks, caused by (projects.links.*). */
export const linksRouter = router({
  /** An issue's links in both directions, with the other issue's number, title and status. */
  list: reader
    .meta({
      rest: {
        method: "GET",
        path: "/projects/issues/{issueId}/links",
        tag: "Projects: Links",
        summary: "List an issue's links",
      },
    })
    .input(issueIdInput)
    .output(listLinksOutput)
    .query(({ ctx, input }) => listLinks(ctx.db, { control: ctx.control, issueId: input.issueId })),

  /** Links two issues of this organization; the same link twice is a CONFLICT. */
  create: writer
    .meta({
      rest: { method: "POST", path: "/projects/links", tag: "Projects: Links", summary: "Link two issues" },
    })
    .input(createLinkInput)
    .output(issueLink)
    .mutation(({ ctx, input }) => createLink(ctx, input)),

  /** Removes a link. */
  delete: writer
    .meta({
      rest: {
        method: "DELETE",
        path: "/projects/links/{id}",
        tag: "Projects: Links",
        summary: "Remove a link",
      },
    })
    .input(linkIdInput)
    .output(deletedOutput)
    .mutation(({ ctx, input }) => deleteLink(ctx, input.id)),
});
