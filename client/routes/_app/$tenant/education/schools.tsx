import { useSuspenseInfiniteQuery } from "@tanstack/react-query";
import { createFileRoute, useNavigate } from "@tanstack/react-router";
import { School as SchoolIcon, Search } from "lucide-react";
import { Suspense, useEffect, useId, useState } from "react";
import { z } from "zod/mini";
import { Badge, EmptyState, PageHeader, Pending, Spinner } from "../../../../components/ui";
import { formatNumber, gradeRange, levelLabel } from "../../../../lib/format";
import { useDocumentTitle } from "../../../../lib/hooks";
import { type TenantApi, useTRPC } from "../../../../lib/trpc";

const PAGE_SIZE = 25;

/**
 * Filters live in the URL, so a filtered list can be shared and survives a reload. A search typed into the
 * address bar may parse as a number (`?search=12`), so it is coerced; junk values are dropped.
 */
const searchSchema = z.object({
  search: z.catch(z.optional(z.coerce.string().check(z.maxLength(100))), undefined),
  status: z.catch(z.optional(z.enum(["open", "closed"])), undefined),
});
type SchoolFilters = z.infer<typeof searchSchema>;

function listOptions(trpc: TenantApi["trpc"], filters: SchoolFilters) {
  return trpc.education.schools.list.infiniteQueryOptions(
    { search: filters.search?.trim() || undefined, status: filters.status, limit: PAGE_SIZE },
    { getNextPageParam: (page) => page.nextCursor ?? undefined },
  );
}

export const Route = createFileRoute("/_app/$tenant/education/schools")({
  validateSearch: searchSchema,
  loaderDeps: ({ search }) => ({ search: search.search, status: search.status }),
  loader: ({ context, deps }) =>
    context.queryClient.ensureInfiniteQueryData(listOptions(context.api.trpc, deps)),
  component: SchoolsPage,
});

function SchoolsPage() {
  const filters = Route.useSearch();
  const navigate = useNavigate({ from: Route.fullPath });
  const [draft, setDraft] = useState(filters.search ?? "");
  const searchId = useId();
  const statusId = useId();
  useDocumentTitle("Schools");

  // The address changed from outside (back button, a link): show its search text.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the URL's value should reset the draft.
  useEffect(() => {
    if ((filters.search ?? "") !== draft.trim()) setDraft(filters.search ?? "");
  }, [filters.search]);

  // Typing updates the address (and so the list) once the user pauses.
  useEffect(() => {
    const next = draft.trim() || undefined;
    if (next === (filters.search?.trim() || undefined)) return;
    const timer = setTimeout(() => {
      void navigate({ search: (prev) => ({ ...prev, search: next }), replace: true });
    }, 250);
    return () => clearTimeout(timer);
  }, [draft, filters.search, navigate]);

  return (
    <div className="page">
      <PageHeader
        title="Schools"
        icon={<SchoolIcon size={20} aria-hidden="true" />}
        description="Every school of the organization, open and closed."
      />
      <search className="toolbar">
        <div className="search-field">
          <label htmlFor={searchId} className="visually-hidden">
            Search schools
          </label>
          <Search size={14} aria-hidden="true" className="search-field-icon" />
          <input
            id={searchId}
            type="search"
            className="input"
            placeholder="Search by name, code, principal or city"
            value={draft}
            maxLength={100}
            onChange={(event) => setDraft(event.target.value)}
          />
        </div>
        <div className="select-field">
          <label htmlFor={statusId}>Status</label>
          <select
            id={statusId}
            className="input select"
            value={filters.status ?? ""}
            onChange={(event) => {
              const value = event.target.value;
              const status = value === "open" || value === "closed" ? value : undefined;
              void navigate({ search: (prev) => ({ ...prev, status }), replace: true });
            }}
          >
            <option value="">All</option>
            <option value="open">Open</option>
            <option value="closed">Closed</option>
          </select>
        </div>
      </search>
      <Suspense fallback={<Pending />}>
        <SchoolsTable
          filters={filters}
          onClear={() => {
            setDraft("");
            void navigate({ search: {}, replace: true });
          }}
        />
      </Suspense>
    </div>
  );
}

function SchoolsTable({ filters, onClear }: { filters: SchoolFilters; onClear: () => void }) {
  const trpc = useTRPC();
  const { data, hasNextPage, fetchNextPage, isFetchingNextPage } = useSuspenseInfiniteQuery(
    listOptions(trpc, filters),
  );
  const schools = data.pages.flatMap((page) => page.items);
  const filtered = Boolean(filters.search || filters.status);

  if (schools.length === 0) {
    return (
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
            ? "Try another search, or show schools of every status."
            : "Schools appear here once they are imported for this organization."}
        </p>
      </EmptyState>
    );
  }

  return (
    <>
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">Schools</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Code</th>
              <th scope="col">Level</th>
              <th scope="col">Grades</th>
              <th scope="col">Principal</th>
              <th scope="col">City</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {schools.map((school) => (
              <tr key={school.id}>
                <th scope="row" className="row-header strong">
                  {school.name}
                </th>
                <td className="mono">{school.code}</td>
                <td>{levelLabel(school.level)}</td>
                <td className="nowrap">{gradeRange(school.lowGrade, school.highGrade)}</td>
                <td>{school.principal ?? <span className="muted">—</span>}</td>
                <td>{school.city ?? <span className="muted">—</span>}</td>
                <td>
                  <Badge tone={school.status === "open" ? "success" : "neutral"}>
                    {school.status === "open" ? "Open" : "Closed"}
                  </Badge>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="table-footer">
        <p className="muted small" aria-live="polite">
          Showing {formatNumber(schools.length)} {schools.length === 1 ? "school" : "schools"}
          {hasNextPage ? "" : " (all)"}
        </p>
        {hasNextPage ? (
          <button
            type="button"
            className="button"
            onClick={() => void fetchNextPage()}
            disabled={isFetchingNextPage}
          >
            {isFetchingNextPage ? <Spinner size={14} /> : null}
            {isFetchingNextPage ? "Loading…" : "Load more"}
          </button>
        ) : null}
      </div>
    </>
  );
}
