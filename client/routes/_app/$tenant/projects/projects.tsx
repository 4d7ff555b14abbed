import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { FolderKanban, Plus } from "lucide-react";
import { useState } from "react";
import { objectByKey } from "../../../../../shared/registry";
import type { Project } from "../../../../../shared/schemas/projects";
import { Collection, CollectionPage } from "../../../../components/collection/Collection";
import type { FilterValues } from "../../../../components/collection/FilterBar";
import { lifecycleActions } from "../../../../components/collection/lifecycle";
import { ArchiveConfirm } from "../../../../components/Dialogs";
import { ProjectFormDialog } from "../../../../components/projects/ProjectFormDialog";
import { RowActions } from "../../../../components/RowActions";
import { notify } from "../../../../components/Toast";
import { Badge, EmptyState } from "../../../../components/ui";
import { type CollectionSearch, defineCollection, searchSchemaOf } from "../../../../lib/collection";
import { useTenantPermissions } from "../../../../lib/permissions";
import { useTRPC } from "../../../../lib/trpc";

const project = objectByKey("project");

const projectCollection = defineCollection({
  filters: [
    {
      kind: "select",
      key: "show",
      label: "Show",
      allLabel: "Active projects",
      options: [{ value: "all", label: "Active and archived" }],
    },
  ],
});
type ProjectsSearch = CollectionSearch<typeof projectCollection>;

const listInput = (search: ProjectsSearch) => ({ includeArchived: search.show === "all" });

/** The organization's projects (managed here by project administrators) and the shared projects it files in. */
export const Route = createFileRoute("/_app/$tenant/projects/projects")({
  validateSearch: searchSchemaOf(projectCollection),
  loaderDeps: ({ search }) => search,
  loader: ({ context, deps }) =>
    context.queryClient.ensureQueryData(
      context.api.trpc.projects.projects.list.queryOptions(listInput(deps)),
    ),
  component: ProjectsPage,
});

function NewProjectButton({ label }: { label: string }) {
  return (
    <ProjectFormDialog
      trigger={
        <button type="button" className="button button-primary">
          <Plus size={14} aria-hidden="true" />
          {label}
        </button>
      }
    />
  );
}

function ProjectsPage() {
  const search = Route.useSearch();
  const navigate = useNavigate({ from: Route.fullPath });
  const canManage = useTenantPermissions().has("projects.admin");
  const update = (patch: FilterValues) =>
    void navigate({ search: (prev) => ({ ...prev, ...(patch as Partial<ProjectsSearch>) }), replace: true });
  return (
    <CollectionPage
      object={project}
      title="All projects"
      breadcrumb
      icon={<FolderKanban size={20} aria-hidden="true" />}
      description="This organization's own projects, and the shared service desks every district files in."
      actions={canManage ? <NewProjectButton label="New project" /> : null}
      filters={{ decl: projectCollection.filters, values: search, onChange: update }}
    >
      <ProjectsTable search={search} canManage={canManage} />
    </CollectionPage>
  );
}

function ProjectsTable({ search, canManage }: { search: ProjectsSearch; canManage: boolean }) {
  const { tenant } = Route.useParams();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data } = useSuspenseQuery(trpc.projects.projects.list.queryOptions(listInput(search)));
  const [editing, setEditing] = useState<Project | null>(null);
  const [archiving, setArchiving] = useState<Project | null>(null);
  const settle = { onSettled: () => void queryClient.invalidateQueries(trpc.projects.projects.pathFilter()) };
  const archive = useMutation({ ...trpc.projects.projects.archive.mutationOptions(), ...settle });
  const restore = useMutation({ ...trpc.projects.projects.restore.mutationOptions(), ...settle });
  return (
    <>
      <Collection<Project>
        rows={data.items}
        rowKey={(p) => `${p.scope}:${p.id}`}
        rowLabel={(p) => p.name}
        rowAttributes={(p) => ({ "data-archived": p.archived ? "true" : undefined })}
        columns={[
          {
            id: "name",
            header: "Project",
            rowHeader: true,
            cell: (p) => (
              <>
                <Link
                  to="/$tenant/projects/issues"
                  params={{ tenant }}
                  search={{ project: `${p.scope}:${p.id}` }}
                  className="text-link strong"
                  data-row-link=""
                >
                  {p.name}
                </Link>
                {p.description ? <span className="cell-detail clamp">{p.description}</span> : null}
              </>
            ),
          },
          { id: "key", header: "Key", cell: (p) => <span className="mono">{p.key}</span> },
          {
            id: "scope",
            header: "Scope",
            cell: (p) => (p.scope === "shared" ? <Badge tone="accent">Shared</Badge> : <Badge>Own</Badge>),
          },
          {
            id: "group",
            header: "Default group",
            cell: (p) =>
              p.defaultAssigneeGroup ? (
                (p.defaultAssigneeGroup.name ?? "Unknown group")
              ) : (
                <span className="muted">—</span>
              ),
          },
          {
            id: "status",
            header: "Status",
            cell: (p) => (p.archived ? <Badge>Archived</Badge> : <Badge tone="success">Active</Badge>),
          },
        ]}
        rowActions={
          canManage
            ? (p) =>
                p.scope === "shared" ? null : (
                  <RowActions
                    label={p.name}
                    actions={lifecycleActions(project, p.archived ? "archived" : "active", {
                      onEdit: () => setEditing(p),
                      run: {
                        archive: () => setArchiving(p),
                        restore: () =>
                          restore.mutate(
                            { id: p.id },
                            { onSuccess: () => notify("Project restored", { description: p.name }) },
                          ),
                      },
                    })}
                  />
                )
            : undefined
        }
        empty={
          <EmptyState
            icon={<FolderKanban size={24} aria-hidden="true" />}
            title="No projects yet"
            action={canManage ? <NewProjectButton label="Create the first project" /> : undefined}
          >
            <p>
              {canManage
                ? "A project collects the issues of one team or service, such as the help desk."
                : "An administrator can create projects; shared service desks appear here on their own."}
            </p>
          </EmptyState>
        }
      />
      <ProjectFormDialog
        project={editing ?? undefined}
        open={editing !== null}
        onOpenChange={(open) => {
          if (!open) setEditing(null);
        }}
      />
      <ArchiveConfirm
        record={archiving}
        onClose={() => setArchiving(null)}
        noun="Project"
        archive={(p) => archive.mutateAsync({ id: p.id })}
        afterward={(p) => `${p.name} takes no new issues; restore it any time.`}
      >
        <p>Its issues stay as they are, but no new issues can be filed in it.</p>
      </ArchiveConfirm>
    </>
  );
}
