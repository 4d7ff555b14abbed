import { useMutation, useQuery, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, notFound } from "@tanstack/react-router";
import { Archive, ArchiveRestore, Pencil, UserPlus, UsersRound } from "lucide-react";
import { type FormEvent, useEffect, useId, useState } from "react";
import { type Column, DataTable } from "../../../../components/collection/DataTable";
import { ConfirmDialog, DialogCancel, DialogFooter, Modal } from "../../../../components/Dialogs";
import { FormError } from "../../../../components/FormField";
import { GroupFormDialog } from "../../../../components/GroupFormDialog";
import { notify } from "../../../../components/Toast";
import {
  Badge,
  EmptyState,
  NotFoundInShell,
  PageHeader,
  Spinner,
  type Tone,
} from "../../../../components/ui";
import type { RouterOutputs } from "../../../../lib/api-types";
import { errorCode } from "../../../../lib/errors";
import { capitalize, formatDateTime } from "../../../../lib/format";
import { useDocumentTitle } from "../../../../lib/hooks";
import { useTenantPermissions } from "../../../../lib/permissions";
import { useTRPC } from "../../../../lib/trpc";

type GroupMember = RouterOutputs["system"]["groups"]["get"]["members"][number];

export const Route = createFileRoute("/_app/$tenant/system/groups/$groupId")({
  loader: async ({ context, params }) => {
    try {
      await context.queryClient.ensureQueryData(
        context.api.trpc.system.groups.get.queryOptions({ id: params.groupId }),
      );
    } catch (error) {
      if (errorCode(error) === "NOT_FOUND") throw notFound();
      throw error;
    }
  },
  component: GroupPage,
  notFoundComponent: GroupNotFound,
});

function GroupNotFound() {
  const { tenant } = Route.useParams();
  return <NotFoundInShell tenant={tenant} />;
}

const membershipTone: Record<GroupMember["membership"], Tone> = {
  active: "success",
  deactivated: "warning",
  removed: "neutral",
};

function GroupPage() {
  const { tenant, groupId } = Route.useParams();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data: group } = useSuspenseQuery(trpc.system.groups.get.queryOptions({ id: groupId }));
  const canManage = useTenantPermissions().has("system.admin") && !group.archived;
  const isAdmin = useTenantPermissions().has("system.admin");
  const [editing, setEditing] = useState(false);
  const [removing, setRemoving] = useState<GroupMember | null>(null);
  useDocumentTitle(group.name, "Groups");

  const settle = { onSettled: () => void queryClient.invalidateQueries(trpc.system.groups.pathFilter()) };
  const archive = useMutation({ ...trpc.system.groups.archive.mutationOptions(), ...settle });
  const restore = useMutation({ ...trpc.system.groups.restore.mutationOptions(), ...settle });
  const removeMember = useMutation({ ...trpc.system.groups.removeMember.mutationOptions(), ...settle });

  const columns: Column<GroupMember>[] = [
    {
      id: "name",
      header: "Name",
      rowHeader: true,
      cell: (m) => (
        <>
          <span className="strong">{m.name}</span>
          <span className="cell-detail">{m.email}</span>
        </>
      ),
    },
    {
      id: "membership",
      header: "In the organization",
      cell: (m) => <Badge tone={membershipTone[m.membership]}>{capitalize(m.membership)}</Badge>,
    },
    {
      id: "added",
      header: "Added",
      className: "nowrap",
      cell: (m) => <time dateTime={m.addedAt}>{formatDateTime(m.addedAt)}</time>,
    },
  ];

  return (
    <div className="page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/$tenant/system/groups" params={{ tenant }}>
          Groups
        </Link>
        <span aria-hidden="true">/</span>
        <span aria-current="page">{group.name}</span>
      </nav>
      <PageHeader
        title={
          <>
            {group.name}
            {group.archived ? <Badge>Archived</Badge> : null}
          </>
        }
        icon={<UsersRound size={20} aria-hidden="true" />}
        description={group.description ?? undefined}
        actions={
          isAdmin ? (
            group.archived ? (
              <button
                type="button"
                className="button"
                disabled={restore.isPending}
                onClick={() =>
                  restore.mutate(
                    { id: group.id },
                    { onSuccess: () => notify("Group restored", { description: group.name }) },
                  )
                }
              >
                <ArchiveRestore size={14} aria-hidden="true" />
                Restore
              </button>
            ) : (
              <>
                <button type="button" className="button" onClick={() => setEditing(true)}>
                  <Pencil size={14} aria-hidden="true" />
                  Edit
                </button>
                <ConfirmDialog
                  trigger={
                    <button type="button" className="button">
                      <Archive size={14} aria-hidden="true" />
                      Archive
                    </button>
                  }
                  title={`Archive ${group.name}?`}
                  confirmLabel="Archive"
                  tone="danger"
                  onConfirm={async () => {
                    await archive.mutateAsync({ id: group.id });
                    notify("Group archived", { description: group.name });
                  }}
                >
                  <p>It is hidden from lists and becomes read-only. Its members are kept.</p>
                </ConfirmDialog>
                <AddMembersDialog groupId={group.id} groupName={group.name} existing={group.members} />
              </>
            )
          ) : null
        }
      />
      {group.archived ? (
        <p className="notice" role="status">
          This group is archived: it is read-only. Restore it to change its members.
        </p>
      ) : null}
      <section className="section" aria-labelledby="members-title">
        <h2 id="members-title" className="section-title">
          Members
        </h2>
        <DataTable
          caption={`Members of ${group.name}`}
          columns={columns}
          rows={group.members}
          rowKey={(m) => m.userId}
          rowLabel={(m) => m.name}
          noun={{ one: "member", other: "members" }}
          rowActions={
            canManage
              ? (m) => (
                  <button
                    type="button"
                    className="button button-small"
                    aria-label={`Remove ${m.name} from the group`}
                    onClick={() => setRemoving(m)}
                  >
                    Remove
                  </button>
                )
              : undefined
          }
          empty={
            <EmptyState compact icon={<UsersRound size={18} aria-hidden="true" />} title="No members yet">
              <p>
                {canManage
                  ? "Use “Add members” to add people of this organization."
                  : "Nobody is in this group."}
              </p>
            </EmptyState>
          }
        />
      </section>

      <GroupFormDialog group={group} open={editing} onOpenChange={setEditing} />
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => {
          if (!open) setRemoving(null);
        }}
        title={`Remove ${removing?.name ?? ""} from ${group.name}?`}
        confirmLabel="Remove"
        tone="danger"
        onConfirm={async () => {
          if (!removing) return;
          await removeMember.mutateAsync({ groupId: group.id, userId: removing.userId });
          notify("Removed from the group", { description: removing.name });
        }}
      >
        <p>They stay a member of the organization.</p>
      </ConfirmDialog>
    </div>
  );
}

function AddMembersDialog({
  groupId,
  groupName,
  existing,
}: {
  groupId: string;
  groupName: string;
  existing: readonly GroupMember[];
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const searchId = useId();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState("");
  const [search, setSearch] = useState("");
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const inGroup = new Set(existing.filter((m) => m.membership !== "removed").map((m) => m.userId));

  useEffect(() => {
    const timer = setTimeout(() => setSearch(draft.trim()), 250);
    return () => clearTimeout(timer);
  }, [draft]);

  const candidates = useQuery({
    ...trpc.system.users.list.queryOptions({ search: search || undefined, status: "active", limit: 25 }),
    enabled: open,
  });
  const add = useMutation({
    ...trpc.system.groups.addMembers.mutationOptions(),
    onSuccess: (result) => {
      void queryClient.invalidateQueries(trpc.system.groups.pathFilter());
      setOpen(false);
      const parts = [
        `${result.added.length} added`,
        result.alreadyMembers.length ? `${result.alreadyMembers.length} already in the group` : "",
        result.rejected.length ? `${result.rejected.length} not active in the organization` : "",
      ].filter(Boolean);
      notify(`Members added to ${groupName}`, {
        description: parts.join(", "),
        tone: result.rejected.length ? "danger" : "success",
      });
    },
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (chosen.size > 0) add.mutate({ groupId, userIds: [...chosen] });
  };

  return (
    <Modal
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) {
          add.reset();
          setChosen(new Set());
          setDraft("");
        }
      }}
      trigger={
        <button type="button" className="button button-primary">
          <UserPlus size={14} aria-hidden="true" />
          Add members
        </button>
      }
      title={`Add members to ${groupName}`}
      description="Choose active members of the organization."
    >
      <form className="form" onSubmit={onSubmit}>
        <div className="field">
          <label htmlFor={searchId}>Find people</label>
          <input
            id={searchId}
            type="search"
            className="input"
            placeholder="Name or email"
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            // biome-ignore lint/a11y/noAutofocus: the dialog's first field.
            autoFocus
          />
        </div>
        <div className="pick-list" aria-live="polite">
          {candidates.isPending ? (
            <Spinner />
          ) : candidates.error ? (
            <FormError error={candidates.error} />
          ) : candidates.data.items.length === 0 ? (
            <p className="muted">Nobody matches “{search}”.</p>
          ) : (
            <ul>
              {candidates.data.items.map((u) => {
                const already = inGroup.has(u.userId);
                return (
                  <li key={u.userId}>
                    <label className="checkbox-row">
                      <input
                        type="checkbox"
                        className="checkbox"
                        disabled={already}
                        checked={already || chosen.has(u.userId)}
                        onChange={(event) => {
                          const next = new Set(chosen);
                          if (event.target.checked) next.add(u.userId);
                          else next.delete(u.userId);
                          setChosen(next);
                        }}
                      />
                      <span>
                        <span className="strong">{u.name}</span>{" "}
                        <span className="muted small">
                          {u.email}
                          {already ? " · already in the group" : ""}
                        </span>
                      </span>
                    </label>
                  </li>
                );
              })}
            </ul>
          )}
        </div>
        <FormError error={add.error} />
        <DialogFooter>
          <DialogCancel />
          <button
            type="submit"
            className="button button-primary"
            disabled={chosen.size === 0 || add.isPending}
          >
            {add.isPending ? <Spinner size={14} /> : null}
            Add {chosen.size > 0 ? chosen.size : ""} {chosen.size === 1 ? "person" : "people"}
          </button>
        </DialogFooter>
      </form>
    </Modal>
  );
}
