import { useMutation, useQueryClient, useSuspenseInfiniteQuery } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { FileUp, Mail, Plus, Send } from "lucide-react";
import { type ChangeEvent, useId, useState } from "react";
import { z } from "zod/mini";
import { roles } from "../../../../../shared/permissions";
import { objectByKey } from "../../../../../shared/registry";
import { BulkResults } from "../../../../components/BulkResults";
import { Collection, CollectionPage, usePagedRows } from "../../../../components/collection/Collection";
import type { Column } from "../../../../components/collection/DataTable";
import type { FilterValues } from "../../../../components/collection/FilterBar";
import { lifecycleActions } from "../../../../components/collection/lifecycle";
import { ConfirmDialog, DialogCancel, DialogFooter, Modal } from "../../../../components/Dialogs";
import { ExportMenu } from "../../../../components/ExportMenu";
import { FormDialog } from "../../../../components/FormDialog";
import { FormError } from "../../../../components/FormField";
import { SelectField, TextField } from "../../../../components/form";
import { RowActions } from "../../../../components/RowActions";
import { notify } from "../../../../components/Toast";
import { Badge, EmptyState, Spinner, type Tone } from "../../../../components/ui";
import type { RouterOutputs } from "../../../../lib/api-types";
import {
  type CollectionSearch,
  clearedFilters,
  defineCollection,
  isFiltered,
  searchSchemaOf,
} from "../../../../lib/collection";
import { capitalize, formatDateTime, formatNumber } from "../../../../lib/format";
import { type TenantApi, useTRPC } from "../../../../lib/trpc";

type Invitation = RouterOutputs["system"]["invitations"]["list"]["items"][number];
type InvitationStatus = Invitation["status"];

const PAGE_SIZE = 50;
const MAX_CSV_BYTES = 1024 * 1024;
const statuses = ["pending", "accepted", "revoked", "expired"] as const;

const invitation = objectByKey("invitation");

const invitationCollection = defineCollection({
  filters: [
    { kind: "search", key: "search", label: "Search invitations", placeholder: "Search by address" },
    {
      kind: "select",
      key: "status",
      label: "Status",
      options: statuses.map((s) => ({ value: s, label: capitalize(s) })),
    },
  ],
});
type InvitationsSearch = CollectionSearch<typeof invitationCollection>;

function listOptions(trpc: TenantApi["trpc"], search: InvitationsSearch) {
  return trpc.system.invitations.list.infiniteQueryOptions(
    { search: search.search?.trim() || undefined, status: search.status, limit: PAGE_SIZE },
    { getNextPageParam: (page) => page.nextCursor ?? undefined },
  );
}

export const Route = createFileRoute("/_app/$tenant/system/invitations")({
  validateSearch: searchSchemaOf(invitationCollection),
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
  const update = (patch: FilterValues) =>
    void navigate({
      search: (prev) => ({ ...prev, ...(patch as Partial<InvitationsSearch>) }),
      replace: true,
    });

  return (
    <CollectionPage
      object={invitation}
      icon={<Mail size={20} aria-hidden="true" />}
      description="Invite people by email. Each link works once, for the invited address, until it expires."
      actions={
        <>
          <ExportMenu what="invitations" />
          <BulkInviteDialog />
          <InviteDialog />
        </>
      }
      filters={{ decl: invitationCollection.filters, values: search, onChange: update }}
      loadingColumns={6}
    >
      <InvitationsTable
        search={search}
        onClear={() => update(clearedFilters(invitationCollection.filters))}
      />
    </CollectionPage>
  );
}

type Pending = { kind: "resend" | "revoke"; invitation: Invitation };

function InvitationsTable({ search, onClear }: { search: InvitationsSearch; onClear: () => void }) {
  const { tenant } = Route.useParams();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { rows: invitations, pagination } = usePagedRows(useSuspenseInfiniteQuery(listOptions(trpc, search)));
  const [pending, setPending] = useState<Pending | null>(null);
  const filtered = isFiltered(invitationCollection.filters, search);

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
      <Collection
        columns={columns}
        rows={invitations}
        rowKey={(i) => i.id}
        rowLabel={(i) => i.email}
        pagination={pagination}
        rowAttributes={(i) => ({ "data-status": i.status })}
        rowActions={(i) => (
          <RowActions
            label={i.email}
            actions={lifecycleActions(invitation, i.status, {
              run: {
                resend: () => setPending({ kind: "resend", invitation: i }),
                revoke: () => setPending({ kind: "revoke", invitation: i }),
              },
            })}
          />
        )}
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

/** An address to invite and, optionally, the role (blank: the organization's default). */
const inviteForm = z.object({
  email: z.string().check(z.trim(), z.minLength(1, "Enter an email address."), z.maxLength(254)),
  role: z.pipe(
    z.string(),
    z.transform((role: string) =>
      (roles as readonly string[]).includes(role) ? (role as (typeof roles)[number]) : undefined,
    ),
  ),
});

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

  return (
    <FormDialog
      state={{ isOpen: open, setOpen }}
      trigger={
        <button type="button" className="button button-primary">
          <Plus size={14} aria-hidden="true" />
          Invite
        </button>
      }
      title="Invite someone"
      description="They get an email with a link to join this organization. The link works for 7 days."
      formKey="invite"
      submission={create}
      submitLabel="Send invitation"
      submitIcon={<Send size={14} aria-hidden="true" />}
      schema={inviteForm}
      defaultValues={{ email: "", role: "" }}
      onSubmit={(input) => create.mutate(input)}
    >
      <TextField
        name="email"
        label="Email address"
        type="email"
        required
        maxLength={254}
        autoComplete="off"
        autoFocus
      />
      <SelectField
        name="role"
        label="Role"
        hint="Members can read everything and work on projects and assets; admins also manage the organization."
      >
        <option value="">The organization's default role</option>
        {roles.map((role) => (
          <option key={role} value={role}>
            {capitalize(role)}
          </option>
        ))}
      </SelectField>
    </FormDialog>
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
