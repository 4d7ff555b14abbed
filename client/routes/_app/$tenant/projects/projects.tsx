import { useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link } from "@tanstack/react-router";
import { FolderKanban } from "lucide-react";
import { Suspense } from "react";
import { DataTable, TableSkeleton } from "../../../../components/DataTable";
import { Badge, EmptyState, PageHeader } from "../../../../components/ui";
import type { RouterOutputs } from "../../../../lib/api-types";
import { useDocumentTitle } from "../../../../lib/hooks";
import { useTRPC } from "../../../../lib/trpc";

type Project = RouterOutputs["projects"]["projects"]["list"]["items"][number];

/** The organization's projects and the shared projects it files in. */
export const Route = createFileRoute("/_app/$tenant/projects/projects")({
  loader: ({ context }) =>
    context.queryClient.ensureQueryData(context.api.trpc.projects.projects.list.queryOptions()),
  component: ProjectsPage,
});

function ProjectsPage() {
  useDocumentTitle("Projects", "Projects");
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
      />
      <Suspense fallback={<TableSkeleton columns={4} label="Loading projects" />}>
        <ProjectsTable />
      </Suspense>
    </div>
  );
}

function ProjectsTable() {
  const { tenant } = Route.useParams();
  const trpc = useTRPC();
  const { data } = useSuspenseQuery(trpc.projects.projects.list.queryOptions());
  return (
    <DataTable<Project>
      caption="Projects"
      rows={data.items}
      rowKey={(p) => `${p.scope}:${p.id}`}
      rowLabel={(p) => p.name}
      noun={{ one: "project", other: "projects" }}
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
          id: "status",
          header: "Status",
          cell: (p) => (p.archived ? <Badge>Archived</Badge> : <Badge tone="success">Active</Badge>),
        },
      ]}
      empty={
        <EmptyState icon={<FolderKanban size={24} aria-hidden="true" />} title="No projects yet">
          <p>An administrator can create projects; shared service desks appear here on their own.</p>
        </EmptyState>
      }
    />
  );
}
