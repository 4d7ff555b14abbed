import { useSuspenseInfiniteQuery } from "@tanstack/react-query";
import { createFileRoute, useNavigate } from "@tanstack/react-router";
import { Plus, School as SchoolIcon } from "lucide-react";
import { type ReactNode, useState } from "react";
import { type LifecycleTransition, objectByKey } from "../../../../../shared/registry";
import type { School } from "../../../../../shared/schemas/education";
import { Collection, CollectionPage, usePagedRows } from "../../../../components/collection/Collection";
import type { Column } from "../../../../components/collection/DataTable";
import type { FilterValues } from "../../../../components/collection/FilterBar";
import { LifecycleButtons } from "../../../../components/collection/lifecycle";
import { OpenSchoolDialog, SchoolChangeDialog } from "../../../../components/education/SchoolDialogs";
import { Badge, EmptyState } from "../../../../components/ui";
import {
  type CollectionSearch,
  clearedFilters,
  defineCollection,
  filterValues,
  isFiltered,
  searchSchemaOf,
} from "../../../../lib/collection";
import { formatDate, gradeRange, levelLabel } from "../../../../lib/format";
import { useTenantPermissions } from "../../../../lib/permissions";
import { type TenantApi, useTRPC } from "../../../../lib/trpc";

const PAGE_SIZE = 25;
const school = objectByKey("school");

/** The schools list's filters (the server searches name, building code, principal and city), and the school open in the inspector. */
const schoolCollection = defineCollection({
  filters: [
    {
      kind: "search",
      key: "search",
      label: "Search schools",
      placeholder: "Search by name, code, principal or city",
    },
    {
      kind: "select",
      key: "status",
      label: "Status",
      options: [
        { value: "open", label: "Open" },
        { value: "closed", label: "Closed" },
      ],
    },
  ],
  inspector: true,
});
type SchoolSearch = CollectionSearch<typeof schoolCollection>;

function listOptions(trpc: TenantApi["trpc"], search: SchoolSearch) {
  return trpc.education.schools.list.infiniteQueryOptions(
    { search: search.search?.trim() || undefined, status: search.status, limit: PAGE_SIZE },
    { getNextPageParam: (page) => page.nextCursor ?? undefined },
  );
}

export const Route = createFileRoute("/_app/$tenant/education/schools")({
  validateSearch: searchSchemaOf(schoolCollection),
  // Opening a school changes the address but not the list.
  loaderDeps: ({ search }) => filterValues(schoolCollection.filters, search),
  loader: ({ context, deps }) =>
    context.queryClient.ensureInfiniteQueryData(listOptions(context.api.trpc, deps)),
  component: SchoolsPage,
});

function SchoolsPage() {
  const search = Route.useSearch();
  const canManage = useTenantPermissions().has("education.admin");
  const navigate = useNavigate({ from: Route.fullPath });
  const update = (patch: FilterValues | Partial<SchoolSearch>) =>
    void navigate({ search: (prev) => ({ ...prev, ...(patch as Partial<SchoolSearch>) }), replace: true });

  return (
    <CollectionPage
      object={school}
      icon={<SchoolIcon size={20} aria-hidden="true" />}
      description="Every school of the organization, open and closed. Open one to see its details."
      actions={
        canManage ? (
          <OpenSchoolDialog
            trigger={
              <button type="button" className="button button-primary">
                <Plus size={14} aria-hidden="true" />
                Open a school
              </button>
            }
          />
        ) : null
      }
      filters={{ decl: schoolCollection.filters, values: search, onChange: update }}
      loadingColumns={7}
    >
      <SchoolsList
        search={search}
        onOpen={(id) => void navigate({ search: (prev) => ({ ...prev, open: id }) })}
        onClose={() => void navigate({ search: (prev) => ({ ...prev, open: undefined }) })}
        onClear={() => update(clearedFilters(schoolCollection.filters))}
      />
    </CollectionPage>
  );
}

const dash = <span className="muted">—</span>;

const statusBadge = (s: School) => (
  <Badge tone={s.status === "open" ? "success" : "neutral"}>{s.status === "open" ? "Open" : "Closed"}</Badge>
);

function SchoolsList({
  search,
  onOpen,
  onClose,
  onClear,
}: {
  search: SchoolSearch;
  onOpen: (id: string) => void;
  onClose: () => void;
  onClear: () => void;
}) {
  const trpc = useTRPC();
  const { rows, pagination } = usePagedRows(useSuspenseInfiniteQuery(listOptions(trpc, search)));
  const filtered = isFiltered(schoolCollection.filters, search);

  const columns: Column<School>[] = [
    {
      id: "name",
      header: "Name",
      rowHeader: true,
      className: "strong",
      cell: (s) => (
        <button type="button" className="link-button strong" data-row-link="" onClick={() => onOpen(s.id)}>
          {s.name}
        </button>
      ),
    },
    { id: "code", header: "Code", className: "mono", cell: (s) => s.code },
    { id: "level", header: "Level", hideOnNarrow: true, cell: (s) => levelLabel(s.level) },
    {
      id: "grades",
      header: "Grades",
      className: "nowrap",
      hideOnNarrow: true,
      cell: (s) => gradeRange(s.lowGrade, s.highGrade),
    },
    { id: "principal", header: "Principal", hideOnNarrow: true, cell: (s) => s.principal ?? dash },
    { id: "city", header: "City", hideOnNarrow: true, cell: (s) => s.city ?? dash },
    { id: "status", header: "Status", cell: statusBadge },
  ];

  return (
    <Collection
      columns={columns}
      rows={rows}
      rowKey={(s) => s.id}
      rowLabel={(s) => s.name}
      rowAttributes={(s) => ({ "data-status": s.status })}
      pagination={pagination}
      detail={{
        kind: "sheet",
        openKey: search.open ?? null,
        onClose,
        title: (s) => s.name,
        content: (s) => <SchoolInspector school={s} />,
      }}
      empty={
        <EmptyState
          icon={<SchoolIcon size={24} aria-hidden="true" />}
          title={filtered ? "No schools match these filters" : "No schools yet"}
          action={
            filtered ? (
              <button type="button" className="button" onClick={onClear}>
                Clear filters
              </button>
            ) : null
          }
        >
          <p>
            {filtered
              ? "Try another name or code, or show schools of every status."
              : "Schools appear here once they are imported or opened for this organization."}
          </p>
        </EmptyState>
      }
    />
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="detail-field">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/**
 * One school in the inspector: what the district records about it, where it is in its lifecycle, and the
 * changes the registry offers from there (close or reopen, for education administrators).
 */
function SchoolInspector({ school: s }: { school: School }) {
  const canManage = useTenantPermissions().has("education.admin");
  const [change, setChange] = useState<LifecycleTransition | null>(null);
  return (
    <div className="inspector">
      <p>{statusBadge(s)}</p>
      <dl className="detail-fields">
        <Field label="Code">
          <span className="mono">{s.code}</span>
        </Field>
        <Field label="Level">{levelLabel(s.level)}</Field>
        <Field label="Grades">{gradeRange(s.lowGrade, s.highGrade)}</Field>
        <Field label="Principal">{s.principal ?? "—"}</Field>
        <Field label="City">{s.city ?? "—"}</Field>
        <Field label="Phone">{s.phone ?? "—"}</Field>
        <Field label={s.status === "closed" ? "Opened" : "Open since"}>
          {s.openedOn ? formatDate(s.openedOn) : "—"}
        </Field>
        {s.status === "closed" ? (
          <Field label="Closed">{s.closedOn ? formatDate(s.closedOn) : "—"}</Field>
        ) : null}
      </dl>
      {canManage ? (
        <>
          <LifecycleButtons object={school} state={s.status} run={setChange} />
          <SchoolChangeDialog school={s} transition={change} onClose={() => setChange(null)} />
        </>
      ) : null}
    </div>
  );
}
