import { useQuery, useSuspenseInfiniteQuery } from "@tanstack/react-query";
import { createFileRoute, useNavigate } from "@tanstack/react-router";
import { ScrollText } from "lucide-react";
import { Suspense } from "react";
import { z } from "zod/mini";
import { type Column, DataTable } from "../../../../components/collection/DataTable";
import { FilterBar, type FilterValues } from "../../../../components/collection/FilterBar";
import { TableSkeleton } from "../../../../components/collection/skeletons";
import { DiffView } from "../../../../components/DiffView";
import { Badge, EmptyState, PageHeader } from "../../../../components/ui";
import type { RouterOutputs } from "../../../../lib/api-types";
import { formatDateTime } from "../../../../lib/format";
import { useDocumentTitle } from "../../../../lib/hooks";
import { type TenantApi, useTRPC } from "../../../../lib/trpc";

const PAGE_SIZE = 50;

type AuditEntry = RouterOutputs["system"]["audit"]["list"]["items"][number];
const isoDay = /^\d{4}-\d{2}-\d{2}$/;

const searchSchema = z.object({
  action: z.catch(z.optional(z.coerce.string().check(z.maxLength(100))), undefined),
  actor: z.catch(z.optional(z.string().check(z.maxLength(64))), undefined),
  target: z.catch(z.optional(z.coerce.string().check(z.maxLength(60))), undefined),
  from: z.catch(z.optional(z.string().check(z.regex(isoDay))), undefined),
  to: z.catch(z.optional(z.string().check(z.regex(isoDay))), undefined),
});
type AuditSearch = z.infer<typeof searchSchema>;

/** A day picked in the browser's time zone, as the instant it starts (or ends). */
function dayBound(day: string | undefined, end: boolean): string | undefined {
  if (!day) return undefined;
  const date = new Date(`${day}T00:00:00`);
  if (Number.isNaN(date.getTime())) return undefined;
  if (end) {
    date.setDate(date.getDate() + 1);
    date.setMilliseconds(-1);
  }
  return date.toISOString();
}

function listOptions(trpc: TenantApi["trpc"], search: AuditSearch) {
  const from = dayBound(search.from, false);
  const to = dayBound(search.to, true);
  return trpc.system.audit.list.infiniteQueryOptions(
    {
      action: search.action?.trim() || undefined,
      actorId: search.actor,
      targetType: search.target?.trim() || undefined,
      from,
      // An end before the start would be refused; the start alone is then what the user meant.
      to: from && to && to < from ? undefined : to,
      limit: PAGE_SIZE,
    },
    { getNextPageParam: (page) => page.nextCursor ?? undefined },
  );
}

export const Route = createFileRoute("/_app/$tenant/system/audit")({
  validateSearch: searchSchema,
  loaderDeps: ({ search }) => search,
  loader: ({ context, deps }) =>
    context.queryClient.ensureInfiniteQueryData(listOptions(context.api.trpc, deps)),
  component: AuditPage,
});

const actionPrefixes = [
  "auth.",
  "auth.sign_in",
  "membership.",
  "invitation.",
  "group.",
  "tenant.",
  "two_factor.",
  "token.",
  "user.",
  "profile.",
];
const targetTypes = ["user", "session", "tenant", "invitation", "group", "token", "membership"];

function AuditPage() {
  const search = Route.useSearch();
  const navigate = useNavigate({ from: Route.fullPath });
  const trpc = useTRPC();
  useDocumentTitle("Audit log");
  const { data: people } = useQuery(trpc.system.users.list.queryOptions({ limit: 100, sort: "name" }));
  const actorOptions = (people?.items ?? []).map((u) => ({ value: u.userId, label: u.name }));
  if (search.actor && !actorOptions.some((o) => o.value === search.actor)) {
    actorOptions.unshift({ value: search.actor, label: "The chosen person" });
  }

  const update = (patch: FilterValues) =>
    void navigate({ search: (prev) => ({ ...prev, ...(patch as Partial<AuditSearch>) }), replace: true });

  return (
    <div className="page">
      <PageHeader
        title="Audit log"
        icon={<ScrollText size={20} aria-hidden="true" />}
        description="Who did what in this organization, and when: sign-ins, role changes, invitations, settings and groups. Entries cannot be changed."
      />
      <FilterBar
        label="Filter the audit log"
        values={search}
        onChange={update}
        filters={[
          {
            kind: "text",
            key: "action",
            label: "Action",
            placeholder: "e.g. membership.",
            suggestions: actionPrefixes,
          },
          { kind: "select", key: "actor", label: "Actor", options: actorOptions, allLabel: "Anyone" },
          {
            kind: "text",
            key: "target",
            label: "Target",
            placeholder: "e.g. user",
            suggestions: targetTypes,
          },
          { kind: "date", key: "from", label: "From" },
          { kind: "date", key: "to", label: "To" },
        ]}
      />
      <Suspense fallback={<TableSkeleton columns={5} label="Loading the audit log" />}>
        <AuditTable
          search={search}
          onActor={(actor) => update({ actor })}
          onClear={() =>
            update({ action: undefined, actor: undefined, target: undefined, from: undefined, to: undefined })
          }
        />
      </Suspense>
    </div>
  );
}

function actionTone(action: string) {
  if (/failed|refused|revoked|deactivated|removed|deleted|disabled/.test(action)) return "danger" as const;
  if (/created|enabled|accepted|signed_in|registered|reactivated/.test(action)) return "success" as const;
  return "neutral" as const;
}

function AuditTable({
  search,
  onActor,
  onClear,
}: {
  search: AuditSearch;
  onActor: (actorId: string) => void;
  onClear: () => void;
}) {
  const trpc = useTRPC();
  const { data, hasNextPage, fetchNextPage, isFetchingNextPage } = useSuspenseInfiniteQuery(
    listOptions(trpc, search),
  );
  const entries = data.pages.flatMap((page) => page.items);
  const filtered = Object.values(search).some(Boolean);

  const columns: Column<AuditEntry>[] = [
    {
      id: "at",
      header: "When",
      rowHeader: true,
      className: "nowrap",
      cell: (e) => (
        <>
          <time dateTime={e.at}>{formatDateTime(e.at)}</time>
          <span className="cell-detail mono" title={e.requestId ? `Request ${e.requestId}` : undefined}>
            {e.ip ?? ""}
          </span>
        </>
      ),
    },
    {
      id: "action",
      header: "Action",
      cell: (e) => (
        <Badge tone={actionTone(e.action)}>
          <span className="mono">{e.action}</span>
        </Badge>
      ),
    },
    {
      id: "actor",
      header: "Actor",
      cell: (e) =>
        e.actor ? (
          <>
            <button
              type="button"
              className="link-button"
              title={`Show only what ${e.actor.name} did`}
              onClick={() => onActor(e.actor!.id)}
            >
              {e.actor.name}
            </button>
            <span className="cell-detail">{e.actor.email}</span>
          </>
        ) : (
          <span className="muted">
            {e.actorKind === "system" ? "Nexus" : e.actorKind === "token" ? "A token" : "Unknown"}
          </span>
        ),
    },
    {
      id: "target",
      header: "Target",
      cell: (e) => (
        <>
          {e.targetUser ? <span>{e.targetUser.name}</span> : <span className="mono">{e.targetType}</span>}
          <span className="cell-detail">
            {e.targetUser ? (
              e.targetUser.email
            ) : e.targetId ? (
              <span className="mono" title={e.targetId}>
                {e.targetId.length > 16 ? `${e.targetId.slice(0, 8)}…${e.targetId.slice(-4)}` : e.targetId}
              </span>
            ) : null}
          </span>
        </>
      ),
    },
    {
      id: "change",
      header: "Change",
      className: "cell-diff",
      cell: (e) =>
        e.before == null && e.after == null ? (
          <span className="muted">—</span>
        ) : (
          <DiffView before={e.before ?? undefined} after={e.after ?? undefined} />
        ),
    },
  ];

  return (
    <DataTable
      caption="Audit log"
      columns={columns}
      rows={entries}
      rowKey={(e) => e.id}
      rowLabel={(e) => `${e.action} at ${formatDateTime(e.at)}`}
      noun={{ one: "entry", other: "entries" }}
      pagination={{ hasNextPage, fetchNextPage, isFetchingNextPage }}
      empty={
        <EmptyState
          icon={<ScrollText size={24} aria-hidden="true" />}
          title={filtered ? "No entries match these filters" : "Nothing recorded yet"}
          action={
            filtered ? (
              <button type="button" className="button" onClick={onClear}>
                Clear filters
              </button>
            ) : undefined
          }
        >
          <p>
            {filtered
              ? "Widen the dates, or try another action or person."
              : "Sign-ins and administrators' changes appear here as they happen."}
          </p>
        </EmptyState>
      }
    />
  );
}
