import {
  addWatchersInput,
  addWatchersOutput,
  issueIdInput,
  listWatchersOutput,
  removeWatcherInput,
  removeWatcherOutput,
  watchingOutput,
} from "../../../../shared/schemas/issue-extras";
import { requirePermission, router } from "../../../trpc/init";
import { addWatchers, removeWatcher, unwatchIssue, watchIssue } from "./change";
import { listWatchers } from "./list";

const reader = requirePermission("projects.read");
const writer = requirePermission("projects.write");

/** Who hears of an issue's changes (projects.watchers.*). */
export const watchersRouter = router({
  /** The issue's watchers, and whether the caller is one. */
  list: reader
    .meta({
      rest: {
        method: "GET",
        path: "/projects/issues/{issueId}/watchers",
        tag: "Projects: Watchers",
        summary: "List an issue's watchers",
      },
    })
    .input(issueIdInput)
    .output(listWatchersOutput)
    .query(({ ctx, input }) =>
      listWatchers(ctx.db, { control: ctx.control, userId: ctx.user.id, issueId: input.issueId }),
    ),

  /** The caller watches the issue. Anyone who may read issues may follow them. */
  watch: reader
    .meta({
      rest: {
        method: "POST",
        path: "/projects/issues/{issueId}/watch",
        tag: "Projects: Watchers",
        summary: "Watch an issue",
      },
    })
    .input(issueIdInput)
    .output(watchingOutput)
    .mutation(({ ctx, input }) => watchIssue(ctx, input.issueId)),

  /** The caller stops watching the issue. */
  unwatch: reader
    .meta({
      rest: {
        method: "POST",
        path: "/projects/issues/{issueId}/unwatch",
        tag: "Projects: Watchers",
        summary: "Stop watching an issue",
      },
    })
    .input(issueIdInput)
    .output(watchingOutput)
    .mutation(({ ctx, input }) => unwatchIssue(ctx, input.issueId)),

  /** Makes active members of the organization watch the issue (at most 50 at once). */
  add: writer
    .meta({
      rest: {
        method: "POST",
        path: "/projects/issues/{issueId}/watchers",
        tag: "Projects: Watchers",
        summary: "Add watchers to an issue",
      },
    })
    .input(addWatchersInput)
    .output(addWatchersOutput)
    .mutation(({ ctx, input }) => addWatchers(ctx, input)),

  /** Stops someone watching the issue. */
  remove: writer
    .meta({
      rest: {
        method: "DELETE",
        path: "/projects/issues/{issueId}/watchers/{userId}",
        tag: "Projects: Watchers",
        summary: "Remove a watcher",
      },
    })
    .input(removeWatcherInput)
    .output(removeWatcherOutput)
    .mutation(({ ctx, input }) => removeWatcher(ctx, input)),
});
