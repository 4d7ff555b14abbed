import { useMutation, useQueryClient, useSuspenseInfiniteQuery } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { Ban, FileUp, Mail, Plus, Send } from "lucide-react";
import { type ChangeEvent, type FormEvent, Suspense, useId, useState } from "react";
import { z } from "zod/mini";
import { roles } from "../../../../../shared/permissions";
import { BulkResults } from "../../../../components/BulkResults";
import { type Column, DataTable, TableSkeleton } from "../../../../components/DataTable";
import { ConfirmDialog, DialogCancel, DialogFooter, Modal } from "../../../../components/Dialogs";
import { ExportMenu } from "../../../../components/ExportMenu";
import { FilterBar, type FilterValues } from "../../../../components/FilterBar";
import { FormError, FormField } from "../../../../components/FormField";
import { RowActions } from "../../../../components/RowActions";
import { notify } from "../../../../components/Toast";
import { Badge, EmptyState, PageHeader, Spinner, type Tone } from "../../../../components/ui";
import type { RouterOutputs } from "../../../../lib/api-types";
import { capitalize, formatDateTime, formatNumber } from "../../../../lib/format";
import { useDocumentTitle } from "../../../../lib/hooks";
import { type TenantApi, useTRPC } from "../../../../lib/trpc";

type Invitation = RouterOutputs["system"]["invitations"]["list"]["items"][number];
type InvitationStatus = Invitation["status"];

const PAGE_SIZE = 50;
const MAX_CSV_BYTES = 1024 * 1024;
const statuses = ["pending", "accepted", "revoked", "expired"] as const;

const searchSchema = z.object({
  search: z.catch(z.optional(z.coerce.string().check(z.maxLength(100))), undefined),
  status: z.catch(z.optional(z.enum(statuses)), undefined),
});
type InvitationsSearch = z.infer<typeof searchSchema>;

function listOptions(trpc: TenantApi["trpc"], search: InvitationsSearch) {
  return trpc.system.invitations.list.infiniteQueryOptions(
    { search: search.search?.trim() || undefined, status: search.status, limit: PAGE_SIZE },
    { getNextPageParam: (page) => page.nextCursor ?? undefined },
  );
}

export const Route = createFileRoute("/_app/$tenant/system/invitations")({
  validateSearch: searchSchema,
  loaderDeps: ({ search }) => search,
  loader: ({ context, deps }) =>
    context.queryClient.ensureInfiniteQueryData(listOptions(context.api.trpc, deps)),
  component: InvitationsPage,
});

const statusTone: Record<InvitationStatus, Tone> = {
  pending: "accent",
  accepted: "success",
  revoked: "danger",
  expired: "neutral",
};

/** What became of an invitation email, for the notice after sending it. */
function deliveryNote(delivery: { status: "captured" | "sent" | "failed"; error: string | null } | null) {
  if (!delivery) return undefined;
  if (delivery.status === "sent") return "The email is on its way.";
  if (delivery.status === "captured") return "Email is not configured here: the message is in the Outbox.";
  return `The email could not be sent${delivery.error ? `: ${delivery.error}` : ""}. It is kept in the Outbox.`;
}

function InvitationsPage() {
  const search = Route.useSearch();
  const navigate = useNavigate({ from: Route.fullPath });
  const _trpc = useTRPC();
  useDocumentTitle("Invitations");

  const update = (patch: FilterValues) =>
    void navigate({
      search: (prev) => ({ ...prev, ...(patch as Partial<InvitationsSearch>) }),
      replace: true,
    });

  return (
    <div className="page">
      <PageHeader
        title="Invitations"
        icon={<Mail size={20} aria-hidden="true" />}
        description="Invite people by email. Each link works once, for the invited address, until it expires."
        actions={
          <>
            <ExportMenu what="invitations" />
            <BulkInviteDialog />
            <InviteDialog />
          </>
        }
      />
      <FilterBar
        label="Filter invitations"
        values={search}
        onChange={update}
        filters={[
          { kind: "search", key: "search", label: "Search invitations", placeholder: "Search by address" },
          {
            kind: "select",
            key: "status",
            label: "Status",
            options: statuses.map((s) => ({ value: s, label: capitalize(s) })),
          },
        ]}
      />
      <Suspense fallback={<TableSkeleton columns={6} label="Loading invitations" />}>
        <InvitationsTable search={search} onClear={() => update({ search: undefined, status: undefined })} />
      </Suspense>
    </div>
  );
}

type Pending = { kind: "resend" | "revoke"; invitation: Invitation };

function InvitationsTable({ search, onClear }: { search: InvitationsSearch; onClear: () => void }) {
  const { tenant } = Route.useParams();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data, hasNextPage, fetchNextPage, isFetchingNextPage } = useSuspenseInfiniteQuery(
    listOptions(trpc, search),
  );
  const invitations = data.pages.flatMap((page) => page.items);
  const [pending, setPending] = useState<Pending | null>(null);
  const filtered = Boolean(search.search || search.status);

  const settle = {
    onSettled: () => void queryClient.invalidateQueries(trpc.system.invitations.pathFilter()),
  };
  const resend = useMutation({ ...trpc.system.invitations.resend.mutationOptions(), ...settle });
  const revoke = useMutation({ ...trpc.system.invitations.revoke.mutationOptions(), ...settle });

  const columns: Column<Invitation>[] = [
    {
      id: "email",
      header: "Address",
      rowHeader: true,
      cell: (i) => <span className="strong">{i.email}</span>,
    },
    { id: "role", header: "Role", cell: (i) => capitalize(i.role) },
    {
      id: "status",
      header: "Status",
      cell: (i) => <Badge tone={statusTone[i.status]}>{capitalize(i.status)}</Badge>,
    },
    {
      id: "sent",
      header: "Last sent",
      className: "nowrap",
      cell: (i) =>
        i.lastSentAt ? (
          <>
            <time dateTime={i.lastSentAt}>{formatDateTime(i.lastSentAt)}</time>
            {i.sendCount > 1 ? <span className="cell-detail">Sent {i.sendCount} times</span> : null}
          </>
        ) : (
          <span className="muted">—</span>
        ),
    },
    {
      id: "expires",
      header: "Expires",
      className: "nowrap",
      cell: (i) =>
        i.status === "accepted" && i.acceptedAt ? (
          <span className="muted">Accepted {formatDateTime(i.acceptedAt)}</span>
        ) : (
          <time dateTime={i.expiresAt}>{formatDateTime(i.expiresAt)}</time>
        ),
    },
    { id: "by", header: "Invited by", cell: (i) => i.invitedBy?.name ?? <span className="muted">—</span> },
  ];

  return (
    <>
      <DataTable
        caption="Invitations"
        columns={columns}
        rows={invitations}
        rowKey={(i) => i.id}
        rowLabel={(i) => i.email}
        noun={{ one: "invitation", other: "invitations" }}
        pagination={{ hasNextPage, fetchNextPage, isFetchingNextPage }}
        rowAttributes={(i) => ({ "data-status": i.status })}
        rowActions={(i) =>
          i.status === "pending" || i.status === "expired" ? (
            <RowActions
              label={i.email}
              actions={[
                {
                  label: "Send again",
                  icon: Send,
                  onSelect: () => setPending({ kind: "resend", invitation: i }),
                },
                ...(i.status === "pending"
                  ? [
                      {
                        label: "Revoke",
                        icon: Ban,
                        danger: true,
                        onSelect: () => setPending({ kind: "revoke", invitation: i }),
                      },
                    ]
                  : []),
              ]}
            />
          ) : null
        }
        empty={
          <EmptyState
            icon={<Mail size={24} aria-hidden="true" />}
            title={filtered ? "No invitations match these filters" : "No invitations yet"}
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
                ? "Try another address or status."
                : "Use “Invite” to send someone a link to join, or “Bulk invite” for a CSV of addresses."}
            </p>
          </EmptyState>
        }
      />
      <ConfirmDialog
        open={pending !== null}
        onOpenChange={(open) => {
          if (!open) setPending(null);
        }}
        title={
          pending?.kind === "revoke"
            ? `Revoke the invitation to ${pending.invitation.email}?`
            : `Send the invitation to ${pending?.invitation.email ?? ""} again?`
        }
        confirmLabel={pending?.kind === "revoke" ? "Revoke" : "Send again"}
        tone={pending?.kind === "revoke" ? "danger" : "primary"}
        onConfirm={async () => {
          if (!pending) return;
          if (pending.kind === "revoke") {
            await revoke.mutateAsync({ id: pending.invitation.id });
            notify("Invitation revoked", {
              description: `The link sent to ${pending.invitation.email} no longer works.`,
            });
          } else {
            const result = await resend.mutateAsync({ id: pending.invitation.id });
            notify("Invitation sent again", {
              description: (
                <>
                  {deliveryNote(result.delivery)}{" "}
                  {result.delivery.status !== "sent" ? (
                    <Link to="/$tenant/system/outbox" params={{ tenant }} className="text-link">
                      Open the Outbox
                    </Link>
                  ) : null}
                </>
              ),
            });
          }
        }}
      >
        <p>
          {pending?.kind === "revoke"
            ? "The link stops working at once. You can invite the address again later."
            : "A new link is sent; the previous one stops working. The invitation gets a new expiry."}
        </p>
      </ConfirmDialog>
    </>
  );
}

function InviteDialog() {
  const { tenant } = Route.useParams();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const create = useMutation({
    ...trpc.system.invitations.create.mutationOptions(),
    onSuccess: (result) => {
      void queryClient.invalidateQueries(trpc.system.invitations.pathFilter());
      setOpen(false);
      notify(result.created ? `Invitation sent to ${result.invitation.email}` : "Already invited", {
        tone: result.created ? "success" : "info",
        description: result.created ? (
          <>
            {deliveryNote(result.delivery)}{" "}
            {result.delivery?.status !== "sent" ? (
              <Link to="/$tenant/system/outbox" params={{ tenant }} className="text-link">
                Open the Outbox
              </Link>
            ) : null}
          </>
        ) : (
          `${result.invitation.email} already has a pending invitation. Use “Send again” to resend it.`
        ),
      });
    },
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const role = String(form.get("role") ?? "");
    create.mutate({
      email: String(form.get("email") ?? ""),
      role: (roles as readonly string[]).includes(role) ? (role as (typeof roles)[number]) : undefined,
    });
  };

  return (
    <Modal
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) create.reset();
      }}
      trigger={
        <button type="button" className="button button-primary">
          <Plus size={14} aria-hidden="true" />
          Invite
        </button>
      }
      title="Invite someone"
      description="They get an email with a link to join this organization. The link works for 7 days."
    >
      <form className="form" onSubmit={onSubmit}>
        <FormField label="Email address" name="email" error={create.error}>
          {(control) => (
            <input
              {...control}
              type="email"
              className="input"
              required
              maxLength={254}
              autoComplete="off"
              // biome-ignore lint/a11y/noAutofocus: the dialog's first field.
              autoFocus
            />
          )}
        </FormField>
        <FormField
          label="Role"
          name="role"
          error={create.error}
          hint="Members can read everything and work on projects and assets; admins also manage the organization."
        >
          {(control) => (
            <select {...control} className="input select select-block" defaultValue="">
              <option value="">The organization's default role</option>
              {roles.map((role) => (
                <option key={role} value={role}>
                  {capitalize(role)}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormError error={create.error} fields={["email", "role"]} />
        <DialogFooter>
          <DialogCancel />
          <button type="submit" className="button button-primary" disabled={create.isPending}>
            {create.isPending ? <Spinner size={14} /> : <Send size={14} aria-hidden="true" />}
            Send invitation
          </button>
        </DialogFooter>
      </form>
    </Modal>
  );
}

function BulkInviteDialog() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const fileId = useId();
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const bulk = useMutation({
    ...trpc.system.invitations.bulkCreate.mutationOptions(),
    onSuccess: () => void queryClient.invalidateQueries(trpc.system.invitations.pathFilter()),
  });

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0];
    setFile(null);
    setFileError(null);
    bulk.reset();
    if (!chosen) return;
    if (chosen.size > MAX_CSV_BYTES) {
      setFileError("The file is larger than 1 MB. Split it into smaller files.");
      return;
    }
    setFile({ name: chosen.name, text: await chosen.text() });
  };

  const result = bulk.data;

  return (
    <Modal
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) {
          bulk.reset();
          setFile(null);
          setFileError(null);
        }
      }}
      size="wide"
      trigger={
        <button type="button" className="button">
          <FileUp size={14} aria-hidden="true" />
          Bulk invite
        </button>
      }
      title="Invite from a CSV file"
      description={
        <>
          A header row with <span className="mono">email</span> and, optionally,{" "}
          <span className="mono">role</span> (empty: the default role); one address per row, at most 500 rows.
        </>
      }
    >
      {result ? (
        <>
          <BulkResults
            caption="Result for each row of the file"
            summary={`${formatNumber(result.counts.invited)} invited, ${formatNumber(result.counts.already_invited)} already invited, ${formatNumber(result.counts.already_member)} already members, ${formatNumber(result.counts.error)} with errors.`}
            rows={result.results.map((r) => ({
              key: String(r.row),
              label: r.email || <span className="muted">(no address)</span>,
              detail: `Row ${r.row}`,
              outcome:
                r.status === "invited"
                  ? "Invited"
                  : r.status === "already_invited"
                    ? "Already invited"
                    : r.status === "already_member"
                      ? "Already a member"
                      : "Error",
              tone: r.status === "invited" ? "success" : r.status === "error" ? "danger" : "neutral",
              message: r.message,
            }))}
          />
          <DialogFooter>
            <button
              type="button"
              className="button"
              onClick={() => {
                bulk.reset();
                setFile(null);
              }}
            >
              Invite from another file
            </button>
            <button type="button" className="button button-primary" onClick={() => setOpen(false)}>
              Done
            </button>
          </DialogFooter>
        </>
      ) : (
        <form
          className="form"
          onSubmit={(event) => {
            event.preventDefault();
            if (file) bulk.mutate({ csv: file.text });
          }}
        >
          <div className="field">
            <label htmlFor={fileId}>CSV file</label>
            <input
              id={fileId}
              type="file"
              accept=".csv,text/csv"
              className="input input-file"
              onChange={onFile}
            />
            {fileError ? <p className="field-errors">{fileError}</p> : null}
          </div>
          {file ? (
            <div className="csv-preview">
              <p className="muted small">
                {file.name}: {formatNumber(Math.max(file.text.trim().split(/\r?\n/).length - 1, 0))} rows
                below the header
              </p>
              <pre className="code-block">{file.text.split(/\r?\n/).slice(0, 6).join("\n")}</pre>
            </div>
          ) : (
            <pre className="code-block muted">
              {"email,role\nalex@district.org,member\nsam@district.org,"}
            </pre>
          )}
          <FormError error={bulk.error} />
          <DialogFooter>
            <DialogCancel />
            <button type="submit" className="button button-primary" disabled={!file || bulk.isPending}>
              {bulk.isPending ? <Spinner size={14} /> : <Send size={14} aria-hidden="true" />}
              {bulk.isPending ? "Inviting…" : "Invite everyone in the file"}
            </button>
          </DialogFooter>
        </form>
      )}
    </Modal>
  );
}
