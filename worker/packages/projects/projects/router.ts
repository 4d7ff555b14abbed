import {
  createProjectInput,
  listProjectsInput,
  listProjectsOutput,
  project,
  projectIdInput,
  projectRefInput,
  updateProjectInput,
} from "../../../../shared/schemas/projects";
import { requirePermission, router } from "../../../trpc/init";
import { createProject } from "./create";
import { listProjects } from "./list";
import { setProjectArchived, updateProject } from "./update";
import { loadProject, withGroupName, withGroupNames } from "./views";

const reader = requirePermission("projects.read");
const admin = requirePermission("projects.admin");

/** Projects: the organization's own (managed here) and the root scope's shared ones (read-only here). */
export const projectRecordsRouter = router({
  /** The organization's projects, then the shared projects, each marked with its scope. */
  list: reader
    .meta({
      rest: {
        method: "GET",
        path: "/projects/projects",
        tag: "Projects: Projects",
        summary: "List projects",
      },
    })
    .input(listProjectsInput)
    .output(listProjectsOutput)
    .query(async ({ ctx, input }) => {
      const { items } = await listProjects(ctx.db, ctx.control, input);
      return { items: await withGroupNames(ctx.db, items) };
    }),

  /** One project of the organization, or one shared project. */
  get: reader
    .meta({
      rest: {
        method: "GET",
        path: "/projects/projects/{scope}/{id}",
        tag: "Projects: Projects",
        summary: "Get a project",
      },
    })
    .input(projectRefInput)
    .output(project)
    .query(({ ctx, input }) =>
      withGroupName(ctx.db, loadProject(ctx.db, ctx.control, input.scope, input.id)),
    ),

  /** Creates a project of the organization (key unique, and unlike any shared project's). */
  create: admin
    .meta({
      rest: {
        method: "POST",
        path: "/projects/projects",
        tag: "Projects: Projects",
        summary: "Create a project",
      },
    })
    .input(createProjectInput)
    .output(project)
    .mutation(({ ctx, input }) => withGroupName(ctx.db, createProject(ctx, input))),

  /** Renames a project of the organization, or changes its description or default group. */
  update: admin
    .meta({
      rest: {
        method: "PATCH",
        path: "/projects/projects/{id}",
        tag: "Projects: Projects",
        summary: "Update a project",
      },
    })
    .input(updateProjectInput)
    .output(project)
    .mutation(({ ctx, input }) => withGroupName(ctx.db, updateProject(ctx, input))),

  /** Archives a project of the organization: its issues stay, no new ones can be filed. */
  archive: admin
    .meta({
      rest: {
        method: "POST",
        path: "/projects/projects/{id}/archive",
        tag: "Projects: Projects",
        summary: "Archive a project",
      },
    })
    .input(projectIdInput)
    .output(project)
    .mutation(({ ctx, input }) => withGroupName(ctx.db, setProjectArchived(ctx, input.id, true))),

  /** Restores an archived project of the organization. */
  restore: admin
    .meta({
      rest: {
        method: "POST",
        path: "/projects/projects/{id}/restore",
        tag: "Projects: Projects",
        summary: "Restore a project",
      },
    })
    .input(projectIdInput)
    .output(project)
    .mutation(({ ctx, input }) => withGroupName(ctx.db, setProjectArchived(ctx, input.id, false))),
});
