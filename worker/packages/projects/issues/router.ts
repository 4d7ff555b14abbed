import { z } from "zod";
import {
  bulkAssignInput,
  bulkCloseInput,
  bulkOutput,
  bulkTransitionInput,
  createIssueInput,
  exportIssuesInput,
  exportIssuesOutput,
  issue,
  issueIdInput,
  listDefaultsOutput,
  listIssuesInput,
  listIssuesOutput,
  transitionIssueInput,
  updateIssueInput,
} from "../../../../shared/schemas/issues";
import { issueCountsInput, issueCountsOutput } from "../../../../shared/schemas/projects";
import { requirePermission, router } from "../../../trpc/init";
import { setIssueArchived } from "./archive";
import { bulkAssign, bulkClose, bulkTransition } from "./bulk";
import { countIssues } from "./counts";
import { createIssue } from "./create";
import { exportIssues } from "./export";
import { getIssue } from "./get";
import { listIssues } from "./list";
import { listDefaults } from "./list-defaults";
import { transitionIssue } from "./transition";
import { updateIssue } from "./update";

const reader = requirePermission("projects.read");
const writer = requirePermission("projects.write");

/** Issues of every subtype, in the organization's projects and in shared projects. */
export const issuesRouter = router({
  /** Filtered, sorted, one keyset page at a time; every filter combination is served by an index. */
  list: reader
    .meta({
      rest: { method: "GET", path: "/projects/issues", tag: "Projects: Issues", summary: "List issues" },
    })
    .input(listIssuesInput)
    .output(listIssuesOutput)
    .query(({ ctx, input }) => listIssues(ctx, input)),

  /**
   * The caller's remembered project (/me context) as suggested filters. The list never applies it by
   * itself: the client prefills its filter bar with it.
   */
  listDefaults: reader
    .meta({
      rest: {
        method: "GET",
        path: "/projects/issues/defaults",
        tag: "Projects: Issues",
        summary: "The caller's suggested list filters",
      },
    })
    .input(z.void())
    .output(listDefaultsOutput)
    .query(({ ctx }) => listDefaults(ctx)),

  /** One issue, with its reference (e.g. TECH-42), SLA state and the statuses it can move to. */
  get: reader
    .meta({
      rest: {
        method: "GET",
        path: "/projects/issues/{id}",
        tag: "Projects: Issues",
        summary: "Get an issue",
      },
    })
    .input(issueIdInput)
    .output(issue)
    .query(({ ctx, input }) => getIssue(ctx, input.id)),

  /** Files an issue in a project of the organization or in a shared project. */
  create: writer
    .meta({
      rest: { method: "POST", path: "/projects/issues", tag: "Projects: Issues", summary: "Create an issue" },
    })
    .input(createIssueInput)
    .output(issue)
    .mutation(({ ctx, input }) => createIssue(ctx, input)),

  /** Changes fields of an issue read at `version` (CONFLICT stale_version when someone changed it since). */
  update: writer
    .meta({
      rest: {
        method: "PATCH",
        path: "/projects/issues/{id}",
        tag: "Projects: Issues",
        summary: "Update an issue",
      },
    })
    .input(updateIssueInput)
    .output(issue)
    .mutation(({ ctx, input }) => updateIssue(ctx, input)),

  /** Moves an issue read at `version` along its subtype's workflow (400 invalid_transition otherwise). */
  transition: writer
    .meta({
      rest: {
        method: "POST",
        path: "/projects/issues/{id}/transition",
        tag: "Projects: Issues",
        summary: "Move an issue along its workflow",
      },
    })
    .input(transitionIssueInput)
    .output(issue)
    .mutation(({ ctx, input }) => transitionIssue(ctx, input)),

  /** Archives an issue: read-only, out of default lists and search. */
  archive: writer
    .meta({
      rest: {
        method: "POST",
        path: "/projects/issues/{id}/archive",
        tag: "Projects: Issues",
        summary: "Archive an issue",
      },
    })
    .input(issueIdInput)
    .output(issue)
    .mutation(({ ctx, input }) => setIssueArchived(ctx, input.id, true)),

  /** Restores an archived issue. */
  restore: writer
    .meta({
      rest: {
        method: "POST",
        path: "/projects/issues/{id}/restore",
        tag: "Projects: Issues",
        summary: "Restore an issue",
      },
    })
    .input(issueIdInput)
    .output(issue)
    .mutation(({ ctx, input }) => setIssueArchived(ctx, input.id, false)),

  /** The issues matching the filters as CSV (at most 10 000; audited). */
  export: reader
    .meta({
      rest: {
        method: "POST",
        path: "/projects/issues/export",
        tag: "Projects: Issues",
        summary: "Export issues as CSV",
      },
    })
    .input(exportIssuesInput)
    .output(exportIssuesOutput)
    .mutation(({ ctx, input }) => exportIssues(ctx, input)),

  /** Assigns up to 200 issues; one result per issue. */
  bulkAssign: writer
    .meta({
      rest: {
        method: "POST",
        path: "/projects/issues/bulk/assign",
        tag: "Projects: Issues",
        summary: "Assign many issues",
      },
    })
    .input(bulkAssignInput)
    .output(bulkOutput)
    .mutation(({ ctx, input }) => bulkAssign(ctx, input)),

  /** Moves up to 200 issues to a status, each where its workflow allows; one result per issue. */
  bulkTransition: writer
    .meta({
      rest: {
        method: "POST",
        path: "/projects/issues/bulk/transition",
        tag: "Projects: Issues",
        summary: "Move many issues to a status",
      },
    })
    .input(bulkTransitionInput)
    .output(bulkOutput)
    .mutation(({ ctx, input }) => bulkTransition(ctx, input)),

  /** Live issues counted by status category, and the open ones by priority and type (the landing page). */
  counts: reader
    .meta({
      rest: {
        method: "GET",
        path: "/projects/issues/counts",
        tag: "Projects: Issues",
        summary: "Count issues by status, priority and type",
      },
    })
    .input(issueCountsInput)
    .output(issueCountsOutput)
    .query(({ ctx, input }) => countIssues(ctx, input)),

  /** Closes up to 200 issues (their workflow's final status), each where allowed; one result per issue. */
  bulkClose: writer
    .meta({
      rest: {
        method: "POST",
        path: "/projects/issues/bulk/close",
        tag: "Projects: Issues",
        summary: "Close many issues",
      },
    })
    .input(bulkCloseInput)
    .output(bulkOutput)
    .mutation(({ ctx, input }) => bulkClose(ctx, input)),
});
