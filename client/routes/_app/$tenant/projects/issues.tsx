import { useMutation, useQuery, useQueryClient, useSuspenseInfiniteQuery } from "@tanstack/react-query";
import { createFileRoute, Link, Outlet, redirect, useNavigate, useParams } from "@tanstack/react-router";
import { Download, FolderKanban, Plus } from "lucide-react";
import { useState } from "react";
import { objectByKey } from "../../../../../shared/registry";
import type { IssueListItem } from "../../../../../shared/schemas/issues";
import { issueStatuses } from "../../../../../shared/schemas/workflows";
import { BulkResults } from "../../../../components/BulkResults";
import { Collection, CollectionPage, usePagedRows } from "../../../../components/collection/Collection";
import type { FilterValues } from "../../../../components/collection/FilterBar";
import { DialogFooter, Modal } from "../../../../components/Dialogs";
import { FormError } from "../../../../components/FormField";
import { AssigneePicker } from "../../../../components/projects/AssigneePicker";
import { CreateIssueDialog } from "../../../../components/projects/CreateIssueDialog";
import { issueColumns } from "../../../../components/projects/issue-columns";
import { SavedFilters } from "../../../../components/projects/SavedFilters";
import { schoolChoices, useSchools } from "../../../../components/projects/SchoolSelect";
import { notify } from "../../../../components/Toast";
import { Badge, EmptyState } from "../../../../components/ui";
import type { RouterOutputs } from "../../../../lib/api-types";
import { clearedFilters, isFiltered } from "../../../../lib/collection";
import { downloadText } from "../../../../lib/download";
import { messageOf } from "../../../../lib/errors";
import {
  anyStatusLabel,
  filtersOf,
  type IssueSearch,
  issueCollection,
  issueListOptions,
  issueSearchSchema,
  issueTypeLabels,
  searchOf,
  slaLabels,
  slaTones,
} from "../../../../lib/issues";
import { useTenantPermissions } from "../../../../lib/permissions";
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
  // The filter bar shows before the list: its project and school choices load with the list.
  loader: async ({ context, deps }) => {
    await Promise.all([
      context.queryClient.ensureInfiniteQueryData(issueListOptions(context.api, deps, context.me.user.id)),
      context.queryClient.ensureQueryData(context.api.trpc.projects.projects.list.queryOptions()),
      context.queryClient.ensureQueryData(schoolChoices(context.api.trpc)),
    ]);
  },
  component: IssuesPage,
});

const issueObject = objectByKey("issue");
const cleared = clearedFilters(issueCollection.filters);

function IssuesPage() {
  const search = Route.useSearch();
  const { tenant } = Route.useParams();
  const { me } = Route.useRouteContext();
  const navigate = useNavigate({ from: Route.fullPath });
  const trpc = useTRPC();
  const canWrite = useTenantPermissions().has("projects.write");
  const issueId = useParams({ strict: false, select: (p) => (p as { issueId?: string }).issueId ?? null });
  const [creating, setCreating] = useState(false);
  const [bulkError, setBulkError] = useState<unknown>(null);
  const projects = useQuery(trpc.projects.projects.list.queryOptions()).data?.items ?? [];
  const schools = useSchools();
  const exporter = useMutation(trpc.projects.issues.export.mutationOptions());
  const update = (patch: FilterValues) =>
    void navigate({ search: (prev) => ({ ...prev, ...(patch as Partial<IssueSearch>) }), replace: true });
  const onNew = canWrite ? () => setCreating(true) : undefined;

  const exportCsv = async () => {
    try {
      const file = await exporter.mutateAsync(filtersOf(search, me.user.id));
      downloadText(file.filename, file.content, file.contentType);
      notify("Export ready", {
        description: `${file.rows} issues${file.truncated ? " (the first ones: narrow the filters for the rest)" : ""}.`,
      });
    } catch (error) {
      notify("Export failed", { tone: "danger", description: messageOf(error) });
    }
  };

  return (
    <CollectionPage
      object={issueObject}
      icon={<FolderKanban size={20} aria-hidden="true" />}
      description="Service requests, incidents, problems, changes and repairs. Keys: j/k move, Enter opens, / searches, n files a new issue."
      breadcrumb
      wide
      detailOpen={issueId !== null}
      loadingColumns={6}
      actions={
        onNew ? (
          <button type="button" className="button button-primary" onClick={onNew}>
            <Plus size={14} aria-hidden="true" />
            New issue
          </button>
        ) : null
      }
      filters={{
        decl: issueCollection.filters,
        values: search,
        onChange: update,
        options: {
          project: projects.map((p) => ({ value: `${p.scope}:${p.id}`, label: `${p.name} (${p.key})` })),
          school: [
            { value: "none", label: "No particular school" },
            ...schools.map((school) => ({ value: school.id, label: school.name })),
          ],
        },
        actions: (
          <>
            <SavedFilters search={search} onApply={(next) => update({ ...cleared, ...next })} />
            <button type="button" className="button" disabled={exporter.isPending} onClick={exportCsv}>
              <Download size={14} aria-hidden="true" />
              Export CSV
            </button>
          </>
        ),
      }}
      notice={<FormError error={bulkError} />}
    >
      <IssuesList
        tenant={tenant}
        search={search}
        issueId={issueId}
        onNew={onNew}
        onClear={() => update(cleared)}
        onBulkError={setBulkError}
      />
      {onNew ? <CreateIssueDialog open={creating} onOpenChange={setCreating} /> : null}
    </CollectionPage>
  );
}

type BulkOutcome = RouterOutputs["projects"]["issues"]["bulkClose"];

function IssuesList({
  tenant,
  search,
  issueId,
  onNew,
  onClear,
  onBulkError,
}: {
  tenant: string;
  search: IssueSearch;
  issueId: string | null;
  onNew: (() => void) | undefined;
  onClear: () => void;
  onBulkError: (error: unknown) => void;
}) {
  const { me, api } = Route.useRouteContext();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const canWrite = useTenantPermissions().has("projects.write");
  const { rows, pagination } = usePagedRows(
    useSuspenseInfiniteQuery(issueListOptions(api, search, me.user.id)),
  );
  const [bulk, setBulk] = useState<{ title: string; ids: string[]; outcome: BulkOutcome } | null>(null);
  const settle = { onSettled: () => void queryClient.invalidateQueries(trpc.projects.issues.pathFilter()) };
  const bulkAssign = useMutation({ ...trpc.projects.issues.bulkAssign.mutationOptions(), ...settle });
  const bulkTransition = useMutation({ ...trpc.projects.issues.bulkTransition.mutationOptions(), ...settle });
  const bulkClose = useMutation({ ...trpc.projects.issues.bulkClose.mutationOptions(), ...settle });
  const filtered = isFiltered(issueCollection.filters, search);

  const close = () =>
    void navigate({
      to: "/$tenant/projects/issues",
      params: { tenant },
      search: true,
    });

  const runBulk = async (title: string, ids: string[], run: () => Promise<BulkOutcome>) => {
    onBulkError(null);
    try {
      const outcome = await run();
      setBulk({ title, ids, outcome });
    } catch (error) {
      onBulkError(error);
      notify(`${title} failed`, { tone: "danger", description: messageOf(error) });
    }
  };

  return (
    <>
      <Collection
        rows={rows}
        pagination={pagination}
        rowKey={(i) => i.id}
        rowLabel={(i) => `${i.key} ${i.title}`}
        rowAttributes={(i) => ({ "data-status": i.status, "data-archived": i.archived ? "true" : undefined })}
        columns={[
          {
            id: "title",
            header: "Issue",
            rowHeader: true,
            cell: (i: IssueListItem) => (
              <>
                <Link
                  to="/$tenant/projects/issues/$issueId"
                  params={{ tenant, issueId: i.id }}
                  search={true}
                  className="text-link strong"
                  data-row-link=""
                >
                  {i.title}
                </Link>
                <span className="cell-detail">
                  <span className="mono issue-key">{i.key}</span> · {issueTypeLabels[i.type]} ·{" "}
                  {i.project.name}
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
        ]}
        detail={{ kind: "pane", openKey: issueId, onClose: close, content: <Outlet /> }}
        onNew={onNew}
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
        empty={
          <EmptyState
            icon={<FolderKanban size={24} aria-hidden="true" />}
            title={filtered ? "No issues match these filters" : "No issues yet"}
            action={
              filtered ? (
                <button type="button" className="button" onClick={onClear}>
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
