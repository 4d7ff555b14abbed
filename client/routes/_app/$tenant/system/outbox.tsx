import { useSuspenseInfiniteQuery } from "@tanstack/react-query";
import { createFileRoute, useNavigate } from "@tanstack/react-router";
import { Inbox, RefreshCw } from "lucide-react";
import { type ReactNode, Suspense, useState } from "react";
import { z } from "zod/mini";
import { type Column, DataTable } from "../../../../components/collection/DataTable";
import { FilterBar, type FilterValues } from "../../../../components/collection/FilterBar";
import { TableSkeleton } from "../../../../components/collection/skeletons";
import { DialogFooter, Modal } from "../../../../components/Dialogs";
import { Badge, EmptyState, PageHeader, type Tone } from "../../../../components/ui";
import type { RouterOutputs } from "../../../../lib/api-types";
import { capitalize, formatDateTime, humanize } from "../../../../lib/format";
import { useDocumentTitle } from "../../../../lib/hooks";
import { type TenantApi, useTRPC } from "../../../../lib/trpc";

type OutboxMessage = RouterOutputs["system"]["outbox"]["list"]["items"][number];

const PAGE_SIZE = 25;
const statuses = ["captured", "sent", "failed"] as const;

const searchSchema = z.object({
  status: z.catch(z.optional(z.enum(statuses)), undefined),
  kind: z.catch(z.optional(z.coerce.string().check(z.maxLength(50))), undefined),
});
type OutboxSearch = z.infer<typeof searchSchema>;

function listOptions(trpc: TenantApi["trpc"], search: OutboxSearch) {
  return {
    ...trpc.system.outbox.list.infiniteQueryOptions(
      { status: search.status, kind: search.kind?.trim() || undefined, limit: PAGE_SIZE },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
    // New mail arrives while a tester works elsewhere: ask again whenever the page opens.
    staleTime: 0,
  };
}

export const Route = createFileRoute("/_app/$tenant/system/outbox")({
  validateSearch: searchSchema,
  loaderDeps: ({ search }) => search,
  loader: ({ context, deps }) =>
    context.queryClient.ensureInfiniteQueryData(listOptions(context.api.trpc, deps)),
  component: OutboxPage,
});

const statusTone: Record<OutboxMessage["status"], Tone> = {
  captured: "accent",
  sent: "success",
  failed: "danger",
};

function OutboxPage() {
  const search = Route.useSearch();
  const navigate = useNavigate({ from: Route.fullPath });
  useDocumentTitle("Outbox");
  const update = (patch: FilterValues) =>
    void navigate({ search: (prev) => ({ ...prev, ...(patch as Partial<OutboxSearch>) }), replace: true });

  return (
    <div className="page">
      <PageHeader
        title="Outbox"
        icon={<Inbox size={20} aria-hidden="true" />}
        description="Email Nexus sent for this organization. Where no email provider is configured (a local setup), messages are only captured here, so their links can be opened from this page."
      />
      <FilterBar
        label="Filter email"
        values={search}
        onChange={update}
        filters={[
          {
            kind: "select",
            key: "status",
            label: "Status",
            options: statuses.map((s) => ({ value: s, label: capitalize(s) })),
          },
          {
            kind: "text",
            key: "kind",
            label: "Kind",
            placeholder: "invitation",
            suggestions: ["invitation", "issue_assigned", "issue_mentioned"],
          },
        ]}
      />
      <Suspense fallback={<TableSkeleton columns={5} label="Loading email" />}>
        <OutboxTable search={search} />
      </Suspense>
    </div>
  );
}

function OutboxTable({ search }: { search: OutboxSearch }) {
  const trpc = useTRPC();
  const { data, hasNextPage, fetchNextPage, isFetchingNextPage, refetch, isRefetching } =
    useSuspenseInfiniteQuery(listOptions(trpc, search));
  const messages = data.pages.flatMap((page) => page.items);
  const [open, setOpen] = useState<OutboxMessage | null>(null);

  const columns: Column<OutboxMessage>[] = [
    {
      id: "subject",
      header: "Subject",
      rowHeader: true,
      cell: (m) => (
        <button type="button" className="link-button strong" onClick={() => setOpen(m)}>
          {m.subject}
        </button>
      ),
    },
    { id: "to", header: "To", cell: (m) => m.to },
    { id: "kind", header: "Kind", cell: (m) => humanize(m.kind) },
    {
      id: "status",
      header: "Status",
      cell: (m) => (
        <>
          <Badge tone={statusTone[m.status]}>{capitalize(m.status)}</Badge>
          {m.error ? <span className="cell-error">{m.error}</span> : null}
        </>
      ),
    },
    {
      id: "created",
      header: "When",
      className: "nowrap",
      cell: (m) => <time dateTime={m.createdAt}>{formatDateTime(m.createdAt)}</time>,
    },
  ];

  return (
    <>
      <div className="table-toolbar">
        <button type="button" className="button" onClick={() => void refetch()} disabled={isRefetching}>
          <RefreshCw size={14} aria-hidden="true" className={isRefetching ? "spin" : undefined} />
          {isRefetching ? "Checking…" : "Check for new email"}
        </button>
      </div>
      <DataTable
        caption="Email"
        columns={columns}
        rows={messages}
        rowKey={(m) => m.id}
        rowLabel={(m) => m.subject}
        noun={{ one: "message", other: "messages" }}
        pagination={{ hasNextPage, fetchNextPage, isFetchingNextPage }}
        empty={
          <EmptyState icon={<Inbox size={24} aria-hidden="true" />} title="No email yet">
            <p>Invitations and other messages Nexus sends for this organization appear here.</p>
          </EmptyState>
        }
      />
      <Modal
        open={open !== null}
        onOpenChange={(next) => {
          if (!next) setOpen(null);
        }}
        size="wide"
        title={open?.subject ?? ""}
        description={open ? `To ${open.to} · ${formatDateTime(open.createdAt)}` : undefined}
      >
        {open ? (
          <>
            <div className="email-body" data-testid="email-body">
              <Linkified text={open.text} />
            </div>
            <DialogFooter>
              <button type="button" className="button button-primary" onClick={() => setOpen(null)}>
                Close
              </button>
            </DialogFooter>
          </>
        ) : null}
      </Modal>
    </>
  );
}

const URL_PATTERN = /(https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)])/g;

/** The message's text with its web addresses as links; Nexus's own open here, others in a new tab. */
function Linkified({ text }: { text: string }) {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = match[0];
    const index = match.index ?? 0;
    parts.push(text.slice(last, index));
    let sameOrigin = false;
    try {
      sameOrigin = new URL(url).origin === window.location.origin;
    } catch {
      // Not a URL after all: shown as text.
    }
    parts.push(
      sameOrigin ? (
        <a key={index} href={url} className="text-link">
          {url}
        </a>
      ) : (
        <a key={index} href={url} className="text-link" target="_blank" rel="noopener noreferrer">
          {url}
        </a>
      ),
    );
    last = index + url.length;
  }
  parts.push(text.slice(last));
  return <p className="email-text">{parts}</p>;
}
