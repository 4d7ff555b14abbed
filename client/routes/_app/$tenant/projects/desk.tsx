import { useQuery, useSuspenseInfiniteQuery } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { Headset, X } from "lucide-react";
import { Suspense } from "react";
import { z } from "zod/mini";
import { objectByKey } from "../../../../../shared/registry";
import {
  type IssueType,
  issueTypes,
  type Priority,
  priorities,
} from "../../../../../shared/schemas/issue-model";
import type { DeskItem, DeskListInput } from "../../../../../shared/schemas/projects";
import { issueStatuses } from "../../../../../shared/schemas/workflows";
import { CollectionHeader } from "../../../../components/collection/Collection";
import { type Column, DataTable } from "../../../../components/collection/DataTable";
import { FilterBar, type FilterValues } from "../../../../components/collection/FilterBar";
import { TableSkeleton } from "../../../../components/collection/skeletons";
import { issueColumns } from "../../../../components/projects/issue-columns";
import { EmptyState } from "../../../../components/ui";
import { issueFacetFilters, issueTypeLabels, optionalEnum, PAGE_SIZE } from "../../../../lib/issues";
import { cursorPages } from "../../../../lib/pages";
import { useTenantAccess } from "../../../../lib/permissions";
import { type TenantApi, useTRPC } from "../../../../lib/trpc";

const optionalId = z.catch(z.optional(z.string().check(z.minLength(1), z.maxLength(64))), undefined);

/** The desk's filters in the URL: a shared project, an organization (id, with its name to show), facets. */
const deskSearchSchema = z.object({
  project: optionalId,
  org: optionalId,
  orgName: z.catch(z.optional(z.string().check(z.maxLength(200))), undefined),
  type: optionalEnum(issueTypes),
  status: optionalEnum(issueStatuses),
  priority: optionalEnum(priorities),
});
type DeskSearch = z.infer<typeof deskSearchSchema>;

function deskInput(search: DeskSearch): NonNullable<DeskListInput> {
  return {
    limit: PAGE_SIZE,
    ...(search.project ? { projectId: search.project } : {}),
    ...(search.org ? { tenantId: search.org } : {}),
    ...(search.type ? { type: [search.type as IssueType] } : {}),
    ...(search.status ? { status: [search.status] } : {}),
    ...(search.priority ? { priority: [search.priority as Priority] } : {}),
  };
}

function deskOptions(api: TenantApi, search: DeskSearch) {
  const input = deskInput(search);
  return cursorPages(api.trpc.projects.desk.list.infiniteQueryKey(input), input, (page, signal) =>
    api.client.projects.desk.list.query(page, { signal }),
  );
}

/**
 * The shared service desk of the Global organization: issues every district filed in the shared projects,
 * newest change first. Each opens in its own organization, where Global administrators act as administrators.
 */
const deskObject = objectByKey("deskIssue");

export const Route = createFileRoute("/_app/$tenant/projects/desk")({
  validateSearch: deskSearchSchema,
  component: DeskPage,
});

function DeskPage() {
  const search = Route.useSearch();
  const navigate = useNavigate({ from: Route.fullPath });
  const access = useTenantAccess();
  const trpc = useTRPC();
  const update = (patch: FilterValues) =>
    void navigate({ search: (prev) => ({ ...prev, ...(patch as Partial<DeskSearch>) }), replace: true });
  const projects =
    useQuery({ ...trpc.projects.projects.list.queryOptions(), enabled: access.kind === "root" }).data
      ?.items ?? [];
  const allowed = access.kind === "root" && access.permissions.has("system.admin");

  return (
    <div className="page">
      <CollectionHeader
        object={deskObject}
        breadcrumb
        icon={<Headset size={20} aria-hidden="true" />}
        description="Every district's issues in the shared projects. Open one to work on it in its district."
      />
      {access.kind === null ? (
        <TableSkeleton columns={6} label="Loading the service desk" />
      ) : !allowed ? (
        <EmptyState
          icon={<Headset size={24} aria-hidden="true" />}
          title="The service desk is in the Global organization"
        >
          <p>Only administrators of the Global organization work the shared service desk.</p>
        </EmptyState>
      ) : (
        <>
          <FilterBar
            label="Filter the service desk"
            values={search}
            onChange={update}
            filters={[
              {
                kind: "select",
                key: "project",
                label: "Project",
                allLabel: "All shared projects",
                options: projects
                  .filter((p) => p.scope === "shared")
                  .map((p) => ({ value: p.id, label: `${p.name} (${p.key})` })),
              },
              ...issueFacetFilters,
            ]}
            actions={
              search.org ? (
                <button
                  type="button"
                  className="chip"
                  onClick={() => update({ org: undefined, orgName: undefined })}
                  aria-label={`Show every district (now: ${search.orgName ?? "one district"})`}
                >
                  {search.orgName ?? "One district"}
                  <X size={12} aria-hidden="true" />
                </button>
              ) : null
            }
          />
          <Suspense fallback={<TableSkeleton columns={6} label="Loading the service desk" />}>
            <DeskTable
              search={search}
              onOrganization={(item) => update({ org: item.tenant.id, orgName: item.tenant.name })}
            />
          </Suspense>
        </>
      )}
    </div>
  );
}

function DeskTable({
  search,
  onOrganization,
}: {
  search: DeskSearch;
  onOrganization: (item: DeskItem) => void;
}) {
  const { api } = Route.useRouteContext();
  const { data, hasNextPage, fetchNextPage, isFetchingNextPage } = useSuspenseInfiniteQuery(
    deskOptions(api, search),
  );
  const rows = data.pages.flatMap((page) => page.items);
  const filtered = Object.values(search).some((v) => v !== undefined);
  const columns: Column<DeskItem>[] = [
    {
      id: "issue",
      header: "Issue",
      rowHeader: true,
      cell: (i) => (
        <>
          <Link
            to="/$tenant/projects/issues/$issueId"
            params={{ tenant: i.tenant.slug, issueId: i.issueId }}
            className="text-link strong"
          >
            {i.title}
          </Link>
          <span className="cell-detail">
            <span className="mono issue-key">{i.number}</span> · {issueTypeLabels[i.type]}
          </span>
        </>
      ),
    },
    {
      id: "organization",
      header: "District",
      cell: (i) => (
        <button
          type="button"
          className="link-button"
          onClick={() => onOrganization(i)}
          title={`Only ${i.tenant.name}'s issues`}
        >
          {i.tenant.name}
        </button>
      ),
    },
    ...issueColumns<DeskItem>(),
  ];
  return (
    <DataTable
      caption="Shared-project issues of every district"
      columns={columns}
      rows={rows}
      rowKey={(i) => `${i.tenant.id}:${i.issueId}`}
      rowLabel={(i) => `${i.number} ${i.title}`}
      noun={{ one: "issue", other: "issues" }}
      pagination={{ hasNextPage, fetchNextPage, isFetchingNextPage }}
      empty={
        <EmptyState
          icon={<Headset size={24} aria-hidden="true" />}
          title={
            filtered ? "No issues match these filters" : "No district has filed in the shared projects yet"
          }
        >
          <p>
            {filtered
              ? "Clear a filter to see more."
              : "Issues districts file in Technology Service or Maintenance Service appear here."}
          </p>
        </EmptyState>
      }
    />
  );
}
