import { useMutation, useQuery, useQueryClient, useSuspenseInfiniteQuery } from "@tanstack/react-query";
import { createFileRoute, Link, Outlet, redirect, useNavigate, useParams } from "@tanstack/react-router";
import { Download, FolderKanban, Plus } from "lucide-react";
import { Suspense, useState } from "react";
import type { IssueListItem } from "../../../../../shared/schemas/issues";
import { issueStatuses } from "../../../../../shared/schemas/workflows";
import { BulkResults } from "../../../../components/BulkResults";
import { TableSkeleton } from "../../../../components/DataTable";
import { DialogFooter, Modal } from "../../../../components/Dialogs";
import { FilterBar, type FilterValues } from "../../../../components/FilterBar";
import { FormError } from "../../../../components/FormField";
import { AssigneePicker } from "../../../../components/projects/AssigneePicker";
import { CreateIssueDialog } from "../../../../components/projects/CreateIssueDialog";
import { issueColumns } from "../../../../components/projects/issue-columns";
import { SavedFilters } from "../../../../components/projects/SavedFilters";
import { useSchools } from "../../../../components/projects/SchoolSelect";
import { notify } from "../../../../components/Toast";
import { Badge, EmptyState, PageHeader } from "../../../../components/ui";
import { ObjectWorkspace, type WorkspaceConfig } from "../../../../components/workspace/ObjectWorkspace";
import type { RouterOutputs } from "../../../../lib/api-types";
import { downloadText } from "../../../../lib/download";
import { messageOf } from "../../../../lib/errors";
import { useDocumentTitle } from "../../../../lib/hooks";
import {
  anyStatusLabel,
  filtersOf,
  type IssueSearch,
  issueFacetFilters,
  issueListOptions,
  issueSearchSchema,
  issueTypeLabels,
  SEARCH_INPUT_ID,
  searchOf,
  slaLabels,
  slaTones,
  sortOptions,
} from "../../../../lib/issues";
import { useTenantPermissions } from "../../../../lib/permissions";
import { findObject } from "../../../../lib/registry";
import { firstTimeThisSession } from "../../../../lib/storage";
import { useTRPC } from "../../../../lib/trpc";

export const Route = createFileRoute("/_app/$tenant/projects/issues")({
  validateSearch: issueSearchSchema,
  // Context aware: the first time this session the list opens unfiltered, it opens on the project and
  // school remembered in My context — as ordinary, visible filters the user can clear.
  beforeLoad: async ({ context, search, params, location }) => {
    if (!location.pathname.endsWith("/projects/issues")) return;
    if (Object.values(search).some((v) => v !== undefined)) return;
    if (!firstTimeThisSession(`nexus.issueContext.${params.tenant}`)) return;
    const defaults = await context.queryClient.fetchQuery(
      context.api.trpc.projects.issues.listDefaults.queryOptions(),
    );
    const next = searchOf(defaults.filters, null, context.me.user.id);
    if (Object.values(next).some((v) => v !== undefined)) {
      throw redirect({ to: "/$tenant/projects/issues", params, search: next, replace: true });
    }
  },
  loaderDeps: ({ search }) => search,
  loader: async ({ context, deps }) => {
    await Promise.all([
      context.queryClient.ensureInfiniteQueryData(issueListOptions(context.api, deps, context.me.user.id)),
      context.queryClient.ensureQueryData(context.api.trpc.projects.projects.list.queryOptions()),
    ]);
  },
  component: IssuesPage,
});

const issueObject = findObject("projects", "issues");

function IssuesPage() {
  const search = Route.useSearch();
  const navigate = useNavigate({ from: Route.fullPath });
  const canWrite = useTenantPermissions().has("projects.write");
  const [creating, setCreating] = useState(false);
  useDocumentTitle("Issues");
  const update = (patch: FilterValues) =>
    void navigate({ search: (prev) => ({ ...prev, ...(patch as Partial<IssueSearch>) }), replace: true });

  return (
    <div className="page page-wide">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/$tenant/projects" params={{ tenant: Route.useParams().tenant }}>
          Projects
        </Link>
        <span aria-hidden="true">/</span>
        <span aria-current="page">Issues</span>
      </nav>
      <PageHeader
        title="Issues"
        icon={<FolderKanban size={20} aria-hidden="true" />}
        description="Service requests, incidents, problems, changes and repairs. Keys: j/k move, Enter opens, / searches, n files a new issue."
        actions={
          canWrite ? (
            <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
              <Plus size={14} aria-hidden="true" />
              New issue
            </button>
          ) : null
        }
      />
      <Suspense fallback={<TableSkeleton columns={6} label="Loading issues" />}>
        <IssuesWorkspace
          search={search}
          update={update}
          onNew={canWrite ? () => setCreating(true) : undefined}
        />
      </Suspense>
      {canWrite ? <CreateIssueDialog open={creating} onOpenChange={setCreating} /> : null}
    </div>
  );
}

type BulkOutcome = RouterOutputs["projects"]["issues"]["bulkClose"];

function IssuesWorkspace({
  search,
  update,
  onNew,
}: {
  search: IssueSearch;
  update: (patch: FilterValues) => void;
  onNew: (() => void) | undefined;
}) {
  const { tenant } = Route.useParams();
  const { me, api } = Route.useRouteContext();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const issueId = useParams({ strict: false, select: (p) => (p as { issueId?: string }).issueId ?? null });
  const canWrite = useTenantPermissions().has("projects.write");
  const { data, hasNextPage, fetchNextPage, isFetchingNextPage } = useSuspenseInfiniteQuery(
    issueListOptions(api, search, me.user.id),
  );
  const projects = useQuery(trpc.projects.projects.list.queryOptions()).data?.items ?? [];
  const schools = useSchools();
  const rows = data.pages.flatMap((page) => page.items);
  const [bulk, setBulk] = useState<{ title: string; ids: string[]; outcome: BulkOutcome } | null>(null);
  const [bulkError, setBulkError] = useState<unknown>(null);
  const settle = { onSettled: () => void queryClient.invalidateQueries(trpc.projects.issues.pathFilter()) };
  const bulkAssign = useMutation({ ...trpc.projects.issues.bulkAssign.mutationOptions(), ...settle });
  const bulkTransition = useMutation({ ...trpc.projects.issues.bulkTransition.mutationOptions(), ...settle });
  const bulkClose = useMutation({ ...trpc.projects.issues.bulkClose.mutationOptions(), ...settle });
  const exporter = useMutation(trpc.projects.issues.export.mutationOptions());
  const filtered = Object.values(search).some((v) => v !== undefined && v !== "");

  const open = (id: string) =>
    void navigate({
      to: "/$tenant/projects/issues/$issueId",
      params: { tenant, issueId: id },
      search: (prev: IssueSearch) => prev,
    });
  const close = () =>
    void navigate({
      to: "/$tenant/projects/issues",
      params: { tenant },
      search: (prev: IssueSearch) => prev,
    });

  const runBulk = async (title: string, ids: string[], run: () => Promise<BulkOutcome>) => {
    setBulkError(null);
    try {
      const outcome = await run();
      setBulk({ title, ids, outcome });
    } catch (error) {
      setBulkError(error);
      notify(`${title} failed`, { tone: "danger", description: messageOf(error) });
    }
  };

  const config: WorkspaceConfig<IssueListItem> = {
    object: issueObject ?? {
      key: "issue",
      package: "projects",
      label: "Issue",
      pluralLabel: "Issues",
      segment: "issues",
      availability: "available",
    },
    rowKey: (i) => i.id,
    rowLabel: (i) => `${i.key} ${i.title}`,
    rowAttributes: (i) => ({ "data-status": i.status, "data-archived": i.archived ? "true" : undefined }),
    columns: [
      {
        id: "title",
        header: "Issue",
        rowHeader: true,
        cell: (i) => (
          <>
            <Link
              to="/$tenant/projects/issues/$issueId"
              params={{ tenant, issueId: i.id }}
              search={(prev: IssueSearch) => prev}
              className="text-link strong"
              data-row-link=""
            >
              {i.title}
            </Link>
            <span className="cell-detail">
              <span className="mono issue-key">{i.key}</span> · {issueTypeLabels[i.type]} · {i.project.name}
              {i.school ? ` · ${i.school.name}` : ""}
            </span>
          </>
        ),
      },
      ...issueColumns<IssueListItem>([
        {
          id: "sla",
          header: "Resolution",
          hideOnNarrow: true,
          cell: (i) => <Badge tone={slaTones[i.sla.resolution]}>{slaLabels[i.sla.resolution]}</Badge>,
        },
      ]),
    ],
  };

  const toolbar = (
    <>
      <FilterBar
        label="Filter issues"
        values={search}
        onChange={update}
        filters={[
          {
            kind: "search",
            key: "q",
            label: "Search issues",
            placeholder: "Search issues ( / )",
            inputId: SEARCH_INPUT_ID,
          },
          ...issueFacetFilters,
          {
            kind: "select",
            key: "assignee",
            label: "Assignee",
            allLabel: "Anyone",
            options: [
              { value: "me", label: "Assigned to me" },
              { value: "unassigned", label: "Unassigned" },
            ],
          },
          {
            kind: "select",
            key: "project",
            label: "Project",
            allLabel: "All projects",
            options: projects.map((p) => ({ value: `${p.scope}:${p.id}`, label: `${p.name} (${p.key})` })),
          },
          {
            kind: "select",
            key: "school",
            label: "School",
            allLabel: "All schools",
            options: [
              { value: "none", label: "No particular school" },
              ...schools.map((school) => ({ value: school.id, label: school.name })),
            ],
          },
          {
            kind: "select",
            key: "sort",
            label: "Sort",
            allLabel: "Recently updated",
            options: sortOptions.filter((o) => o.value !== "updatedAt.desc"),
          },
          {
            kind: "select",
            key: "archived",
            label: "Show",
            allLabel: "Live issues",
            options: [{ value: "yes", label: "Archived only" }],
          },
        ]}
        actions={
          <>
            <SavedFilters search={search} onApply={(next) => update({ ...clearedSearch, ...next })} />
            <button
              type="button"
              className="button"
              disabled={exporter.isPending}
              onClick={async () => {
                try {
                  const file = await exporter.mutateAsync(filtersOf(search, me.user.id));
                  downloadText(file.filename, file.content, file.contentType);
                  notify("Export ready", {
                    description: `${file.rows} issues${file.truncated ? " (the first ones: narrow the filters for the rest)" : ""}.`,
                  });
                } catch (error) {
                  notify("Export failed", { tone: "danger", description: messageOf(error) });
                }
              }}
            >
              <Download size={14} aria-hidden="true" />
              Export CSV
            </button>
          </>
        }
      />
      <FormError error={bulkError} />
    </>
  );

  return (
    <>
      <ObjectWorkspace
        config={config}
        rows={rows}
        pagination={{ hasNextPage, fetchNextPage, isFetchingNextPage }}
        openKey={issueId}
        onOpen={open}
        onClose={close}
        onNew={onNew}
        searchInputId={SEARCH_INPUT_ID}
        toolbar={toolbar}
        bulkActions={
          canWrite
            ? (ids, clear) => (
                <>
                  <button
                    type="button"
                    className="button"
                    onClick={() =>
                      void runBulk("Assign to me", ids, () =>
                        bulkAssign.mutateAsync({ ids, assigneeUserId: me.user.id }),
                      ).then(clear)
                    }
                  >
                    Assign to me
                  </button>
                  <AssigneePicker
                    label="Assign to"
                    placeholder="Assign to…"
                    value={null}
                    onChange={(to) =>
                      void runBulk(to ? `Assign to ${to.name}` : "Unassign", ids, () =>
                        bulkAssign.mutateAsync(
                          !to
                            ? { ids, assigneeUserId: null, assigneeGroupId: null }
                            : to.kind === "user"
                              ? { ids, assigneeUserId: to.id }
                              : { ids, assigneeUserId: null, assigneeGroupId: to.id },
                        ),
                      ).then(clear)
                    }
                  />
                  <label className="inline-select">
                    <span className="visually-hidden">Move the selected issues to</span>
                    <select
                      className="input input-narrow"
                      value=""
                      onChange={(event) => {
                        const to = event.target.value;
                        if (!to) return;
                        void runBulk(`Move to ${anyStatusLabel(to)}`, ids, () =>
                          bulkTransition.mutateAsync({ ids, to }),
                        ).then(clear);
                      }}
                    >
                      <option value="">Move to…</option>
                      {issueStatuses.map((s) => (
                        <option key={s} value={s}>
                          {anyStatusLabel(s)}
                        </option>
                      ))}
                    </select>
                  </label>
                  <button
                    type="button"
                    className="button"
                    onClick={() =>
                      void runBulk("Close", ids, () => bulkClose.mutateAsync({ ids })).then(clear)
                    }
                  >
                    Close
                  </button>
                </>
              )
            : undefined
        }
        detail={<Outlet />}
        empty={
          <EmptyState
            icon={<FolderKanban size={24} aria-hidden="true" />}
            title={filtered ? "No issues match these filters" : "No issues yet"}
            action={
              filtered ? (
                <button type="button" className="button" onClick={() => update(clearedSearch)}>
                  Clear filters
                </button>
              ) : onNew ? (
                <button type="button" className="button button-primary" onClick={onNew}>
                  <Plus size={14} aria-hidden="true" />
                  File the first issue
                </button>
              ) : undefined
            }
          >
            <p>
              {filtered
                ? "Try other words or fewer filters."
                : "Incidents, requests and changes filed in this organization's projects appear here."}
            </p>
          </EmptyState>
        }
      />
      <Modal
        open={bulk !== null}
        onOpenChange={(next) => {
          if (!next) setBulk(null);
        }}
        title={bulk ? `${bulk.title}: results` : "Results"}
        size="wide"
      >
        {bulk ? (
          <BulkResults
            caption="What happened to each issue"
            summary={`${bulk.outcome.changed} of ${bulk.ids.length} issues changed.`}
            rows={bulk.outcome.results.map((r) => {
              const id = bulk.ids[r.index] ?? "";
              const row = rows.find((i) => i.id === id);
              return {
                key: `${r.index}`,
                label: row ? `${row.key} ${row.title}` : `Issue ${r.index + 1}`,
                outcome: r.ok ? (r.changed ? "Changed" : "Unchanged") : "Failed",
                tone: r.ok ? (r.changed ? "success" : "neutral") : "danger",
                ...(r.ok ? {} : { message: r.error }),
              };
            })}
          />
        ) : null}
        <DialogFooter>
          <button type="button" className="button button-primary" onClick={() => setBulk(null)}>
            Done
          </button>
        </DialogFooter>
      </Modal>
    </>
  );
}

const clearedSearch: FilterValues = {
  q: undefined,
  status: undefined,
  type: undefined,
  priority: undefined,
  assignee: undefined,
  project: undefined,
  school: undefined,
  sort: undefined,
  archived: undefined,
};
