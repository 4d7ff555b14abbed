import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { FolderKanban, Plus } from "lucide-react";
import { Suspense, useState } from "react";
import { z } from "zod/mini";
import type { Project } from "../../../../../shared/schemas/projects";
import { DataTable, TableSkeleton } from "../../../../components/DataTable";
import { ArchiveConfirm } from "../../../../components/Dialogs";
import { FilterBar, type FilterValues } from "../../../../components/FilterBar";
import { ProjectFormDialog } from "../../../../components/projects/ProjectFormDialog";
import { lifecycleActions, RowActions } from "../../../../components/RowActions";
import { notify } from "../../../../components/Toast";
import { Badge, EmptyState, PageHeader } from "../../../../components/ui";
import { useDocumentTitle } from "../../../../lib/hooks";
import { useTenantPermissions } from "../../../../lib/permissions";
import { useTRPC } from "../../../../lib/trpc";

const searchSchema = z.object({
  show: z.catch(z.optional(z.enum(["all"])), undefined),
});
type ProjectsSearch = z.infer<typeof searchSchema>;

const listInput = (search: ProjectsSearch) => ({ includeArchived: search.show === "all" });

/** The organization's projects (managed here by project administrators) and the shared projects it files in. */
export const Route = createFileRoute("/_app/$tenant/projects/projects")({
  validateSearch: searchSchema,
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
  useDocumentTitle("Projects", "Projects");
  const search = Route.useSearch();
  const navigate = useNavigate({ from: Route.fullPath });
  const canManage = useTenantPermissions().has("projects.admin");
  const update = (patch: FilterValues) =>
    void navigate({ search: (prev) => ({ ...prev, ...(patch as Partial<ProjectsSearch>) }), replace: true });
  return (
    <div className="page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/$tenant/projects" params={{ tenant: Route.useParams().tenant }}>
          Projects
        </Link>
        <span aria-hidden="true">/</span>
        <span aria-current="page">All projects</span>
      </nav>
      <PageHeader
        title="All projects"
        icon={<FolderKanban size={20} aria-hidden="true" />}
        description="This organization's own projects, and the shared service desks every district files in."
        actions={canManage ? <NewProjectButton label="New project" /> : null}
      />
      <FilterBar
        label="Filter projects"
        values={search}
        onChange={update}
        filters={[
          {
            kind: "select",
            key: "show",
            label: "Show",
            allLabel: "Active projects",
            options: [{ value: "all", label: "Active and archived" }],
          },
        ]}
      />
      <Suspense fallback={<TableSkeleton columns={5} label="Loading projects" />}>
        <ProjectsTable search={search} canManage={canManage} />
      </Suspense>
    </div>
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
      <DataTable<Project>
        caption="Projects"
        rows={data.items}
        rowKey={(p) => `${p.scope}:${p.id}`}
        rowLabel={(p) => p.name}
        noun={{ one: "project", other: "projects" }}
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
                    actions={lifecycleActions(p.archived, {
                      onEdit: () => setEditing(p),
                      onArchive: () => setArchiving(p),
                      onRestore: () =>
                        restore.mutate(
                          { id: p.id },
                          { onSuccess: () => notify("Project restored", { description: p.name }) },
                        ),
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
