import {
  infiniteQueryOptions,
  useMutation,
  useQueryClient,
  useSuspenseInfiniteQuery,
} from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { Mail, ShieldCheck, UserRoundX, Users, UserX } from "lucide-react";
import { type ReactNode, useState } from "react";
import { type Role, roles } from "../../../../../shared/permissions";
import { objectByKey } from "../../../../../shared/registry";
import { BulkResults } from "../../../../components/BulkResults";
import { Collection, CollectionPage, usePagedRows } from "../../../../components/collection/Collection";
import type { Column } from "../../../../components/collection/DataTable";
import type { FilterValues } from "../../../../components/collection/FilterBar";
import { lifecycleActions } from "../../../../components/collection/lifecycle";
import { ConfirmDialog, DialogFooter, Modal } from "../../../../components/Dialogs";
import { ExportMenu } from "../../../../components/ExportMenu";
import { MenuButton, RowActions } from "../../../../components/RowActions";
import { notify } from "../../../../components/Toast";
import { Badge, EmptyState, type Tone } from "../../../../components/ui";
import type { RouterOutputs } from "../../../../lib/api-types";
import {
  type CollectionSearch,
  clearedFilters,
  defineCollection,
  isFiltered,
  searchSchemaOf,
  sortOf,
} from "../../../../lib/collection";
import { capitalize, formatDateTime } from "../../../../lib/format";
import { type TenantApi, useTRPC } from "../../../../lib/trpc";

type OrganizationUser = RouterOutputs["system"]["users"]["list"]["items"][number];
type BulkResult = RouterOutputs["system"]["users"]["bulkChangeRole"];

const PAGE_SIZE = 50;

const user = objectByKey("user");

const userCollection = defineCollection({
  filters: [
    { kind: "search", key: "search", label: "Search users", placeholder: "Search by name or email" },
    {
      kind: "select",
      key: "role",
      label: "Role",
      options: roles.map((r) => ({ value: r, label: capitalize(r) })),
    },
    {
      kind: "select",
      key: "status",
      label: "Status",
      options: [
        { value: "active", label: "Active" },
        { value: "deactivated", label: "Deactivated" },
      ],
    },
  ],
  sort: { keys: ["name", "email", "role", "createdAt"], initial: { key: "name", direction: "asc" } },
});
type UsersSearch = CollectionSearch<typeof userCollection>;

/**
 * Users one keyset page at a time. Not `infiniteQueryOptions` of the tRPC proxy: tRPC adds its own
 * `direction` ("forward") to an infinite query's input, which collides with this procedure's sort
 * `direction`. The key keeps the proxy's shape (`[[slug], path, …]`), so `pathFilter()` still matches it.
 */
function listOptions(api: TenantApi, search: UsersSearch) {
  const sort = sortOf(userCollection.sort, search);
  const input = {
    search: search.search?.trim() || undefined,
    role: search.role,
    status: search.status,
    sort: sort.key,
    direction: sort.direction,
    limit: PAGE_SIZE,
  } as const;
  return infiniteQueryOptions({
    queryKey: [[api.slug], ["system", "users", "list"], { input, type: "infinite" }],
    queryFn: ({ pageParam, signal }) =>
      api.client.system.users.list.query(
        { ...input, ...(pageParam ? { cursor: pageParam } : {}) },
        { signal },
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
}

export const Route = createFileRoute("/_app/$tenant/system/users")({
  validateSearch: searchSchemaOf(userCollection),
  loaderDeps: ({ search }) => search,
  loader: ({ context, deps }) => context.queryClient.ensureInfiniteQueryData(listOptions(context.api, deps)),
  component: UsersPage,
});

const roleTone: Record<Role, Tone> = {
  owner: "accent",
  admin: "accent",
  member: "neutral",
  viewer: "neutral",
};
function UsersPage() {
  const search = Route.useSearch();
  const { tenant } = Route.useParams();
  const navigate = useNavigate({ from: Route.fullPath });
  const update = (patch: FilterValues | Partial<UsersSearch>) =>
    void navigate({ search: (prev) => ({ ...prev, ...(patch as Partial<UsersSearch>) }), replace: true });

  return (
    <CollectionPage
      object={user}
      icon={<Users size={20} aria-hidden="true" />}
      description="Everyone who belongs to this organization, their role and whether they can sign in."
      actions={
        <>
          <ExportMenu what="users" />
          <Link to="/$tenant/system/invitations" params={{ tenant }} className="button button-primary">
            <Mail size={14} aria-hidden="true" />
            Invite people
          </Link>
        </>
      }
      filters={{ decl: userCollection.filters, values: search, onChange: update }}
      loadingColumns={6}
    >
      <UsersTable
        search={search}
        onSort={(sort) => update({ sort: sort.key as UsersSearch["sort"], dir: sort.direction })}
        onClear={() => update(clearedFilters(userCollection.filters))}
      />
    </CollectionPage>
  );
}

type Pending =
  | { kind: "role"; user: OrganizationUser; role: Role }
  | { kind: "deactivate" | "reactivate" | "remove"; user: OrganizationUser }
  | { kind: "bulkRole"; users: OrganizationUser[]; role: Role }
  | { kind: "bulkDeactivate"; users: OrganizationUser[] };

interface BulkOutcome {
  title: string;
  users: OrganizationUser[];
  result: BulkResult;
}

function UsersTable({
  search,
  onSort,
  onClear,
}: {
  search: UsersSearch;
  onSort: (sort: { key: string; direction: "asc" | "desc" }) => void;
  onClear: () => void;
}) {
  const { tenant } = Route.useParams();
  const { me, api } = Route.useRouteContext();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { rows: users, pagination } = usePagedRows(useSuspenseInfiniteQuery(listOptions(api, search)));
  const [pending, setPending] = useState<(Pending & { done?: () => void }) | null>(null);
  const [outcome, setOutcome] = useState<BulkOutcome | null>(null);
  const filtered = isFiltered(userCollection.filters, search);

  const refresh = () => queryClient.invalidateQueries(trpc.system.users.pathFilter());
  const options = { onSettled: () => void refresh() };
  const changeRole = useMutation({ ...trpc.system.users.changeRole.mutationOptions(), ...options });
  const deactivate = useMutation({ ...trpc.system.users.deactivate.mutationOptions(), ...options });
  const reactivate = useMutation({ ...trpc.system.users.reactivate.mutationOptions(), ...options });
  const remove = useMutation({ ...trpc.system.users.remove.mutationOptions(), ...options });
  const bulkRole = useMutation({ ...trpc.system.users.bulkChangeRole.mutationOptions(), ...options });
  const bulkDeactivate = useMutation({ ...trpc.system.users.bulkDeactivate.mutationOptions(), ...options });

  const selectedUsers = (keys: string[]) => users.filter((u) => keys.includes(u.userId));

  const runPending = async () => {
    if (!pending) return;
    switch (pending.kind) {
      case "role":
        await changeRole.mutateAsync({ userId: pending.user.userId, role: pending.role });
        notify("Role changed", {
          description: `${pending.user.name} is now ${pending.role === "admin" ? "an" : "a"} ${pending.role}.`,
        });
        return;
      case "deactivate":
        await deactivate.mutateAsync({ userId: pending.user.userId });
        notify("User deactivated", {
          description: `${pending.user.name} can no longer use this organization.`,
        });
        return;
      case "reactivate":
        await reactivate.mutateAsync({ userId: pending.user.userId });
        notify("User reactivated", { description: `${pending.user.name} can use this organization again.` });
        return;
      case "remove":
        await remove.mutateAsync({ userId: pending.user.userId });
        notify("User removed", { description: `${pending.user.name} is no longer a member.` });
        return;
      case "bulkRole": {
        const result = await bulkRole.mutateAsync({
          userIds: pending.users.map((u) => u.userId),
          role: pending.role,
        });
        setOutcome({ title: `Change role to ${pending.role}`, users: pending.users, result });
        pending.done?.();
        return;
      }
      case "bulkDeactivate": {
        const result = await bulkDeactivate.mutateAsync({ userIds: pending.users.map((u) => u.userId) });
        setOutcome({ title: "Deactivate users", users: pending.users, result });
        pending.done?.();
        return;
      }
    }
  };

  const columns: Column<OrganizationUser>[] = [
    {
      id: "name",
      header: "Name",
      sortKey: "name",
      rowHeader: true,
      cell: (u) => (
        <>
          <span className="strong">{u.name}</span>
          {u.userId === me.user.id ? <span className="muted"> (you)</span> : null}
          <span className="cell-detail show-narrow">{u.email}</span>
        </>
      ),
    },
    { id: "email", header: "Email", sortKey: "email", cell: (u) => u.email, hideOnNarrow: true },
    {
      id: "role",
      header: "Role",
      sortKey: "role",
      cell: (u) => <Badge tone={roleTone[u.role]}>{capitalize(u.role)}</Badge>,
    },
    {
      id: "status",
      header: "Status",
      cell: (u) => <Badge tone={u.status === "active" ? "success" : "warning"}>{capitalize(u.status)}</Badge>,
    },
    {
      id: "twoFactor",
      header: "Two-factor",
      hideOnNarrow: true,
      cell: (u) =>
        u.twoFactorEnabled ? (
          <span className="with-icon">
            <ShieldCheck size={14} aria-hidden="true" className="text-success" /> On
          </span>
        ) : (
          <span className="muted">Off</span>
        ),
    },
    {
      id: "joined",
      header: "Joined",
      hideOnNarrow: true,
      sortKey: "createdAt",
      className: "nowrap",
      cell: (u) => <time dateTime={u.createdAt}>{formatDateTime(u.createdAt)}</time>,
    },
  ];

  return (
    <>
      <Collection
        columns={columns}
        rows={users}
        rowKey={(u) => u.userId}
        rowLabel={(u) => u.name}
        sort={sortOf(userCollection.sort, search)}
        onSortChange={onSort}
        canSelect={(u) => u.userId !== me.user.id}
        rowAttributes={(u) => ({ "data-status": u.status })}
        pagination={pagination}
        bulkActions={(keys, clear) => (
          <>
            <MenuButton
              label="Change role"
              actions={roles.map((role) => ({
                label: capitalize(role),
                onSelect: () =>
                  setPending({ kind: "bulkRole", users: selectedUsers(keys), role, done: clear }),
              }))}
            />
            <button
              type="button"
              className="button button-danger-outline"
              onClick={() => setPending({ kind: "bulkDeactivate", users: selectedUsers(keys), done: clear })}
            >
              <UserX size={14} aria-hidden="true" />
              Deactivate
            </button>
          </>
        )}
        rowActions={(u) =>
          u.userId === me.user.id ? null : (
            <RowActions
              label={u.name}
              actions={[
                {
                  label: "Change role",
                  submenu: roles.map((role) => ({
                    label: capitalize(role),
                    checked: role === u.role,
                    disabled: role === u.role,
                    onSelect: () => setPending({ kind: "role", user: u, role }),
                  })),
                },
                ...lifecycleActions(user, u.status, {
                  run: {
                    deactivate: () => setPending({ kind: "deactivate", user: u }),
                    reactivate: () => setPending({ kind: "reactivate", user: u }),
                  },
                }),
                { separator: true },
                {
                  label: "Remove from organization",
                  icon: UserRoundX,
                  danger: true,
                  onSelect: () => setPending({ kind: "remove", user: u }),
                },
              ]}
            />
          )
        }
        empty={
          <EmptyState
            icon={<Users size={24} aria-hidden="true" />}
            title={filtered ? "No users match these filters" : "No users yet"}
            action={
              filtered ? (
                <button type="button" className="button" onClick={onClear}>
                  Clear filters
                </button>
              ) : (
                <Link to="/$tenant/system/invitations" params={{ tenant }} className="button button-primary">
                  Invite people
                </Link>
              )
            }
          >
            <p>
              {filtered
                ? "Try another search, role or status."
                : "Invite the people who work in this organization."}
            </p>
          </EmptyState>
        }
      />

      <ConfirmDialog
        open={pending !== null}
        onOpenChange={(open) => {
          if (!open) setPending(null);
        }}
        {...confirmCopy(pending)}
        onConfirm={runPending}
      />

      <Modal
        open={outcome !== null}
        onOpenChange={(open) => {
          if (!open) setOutcome(null);
        }}
        size="wide"
        title={outcome ? `${outcome.title}: results` : ""}
      >
        {outcome ? (
          <>
            <BulkResults
              caption="Result for each user"
              summary={`${outcome.result.changed} changed, ${outcome.result.results.filter((r) => r.ok && !r.changed).length} already so, ${outcome.result.failed} not changed.`}
              rows={outcome.result.results.map((r) => {
                const user = outcome.users[r.index];
                return {
                  key: String(r.index),
                  label: user?.name ?? `User ${r.index + 1}`,
                  detail: user?.email,
                  outcome: r.ok ? (r.changed ? "Changed" : "Already so") : "Not changed",
                  tone: r.ok ? (r.changed ? "success" : "neutral") : "danger",
                  message: r.ok ? undefined : r.error,
                };
              })}
            />
            <DialogFooter>
              <button type="button" className="button button-primary" onClick={() => setOutcome(null)}>
                Done
              </button>
            </DialogFooter>
          </>
        ) : null}
      </Modal>
    </>
  );
}

function confirmCopy(pending: Pending | null): {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  tone: "primary" | "danger";
} {
  if (!pending) return { title: "", children: null, confirmLabel: "Confirm", tone: "primary" };
  switch (pending.kind) {
    case "role":
      return {
        title: `Make ${pending.user.name} ${pending.role === "admin" || pending.role === "owner" ? "an" : "a"} ${pending.role}?`,
        children: <p>Their sessions end, so they sign in again with the new role.</p>,
        confirmLabel: "Change role",
        tone: "primary",
      };
    case "deactivate":
      return {
        title: `Deactivate ${pending.user.name}?`,
        children: <p>They are signed out at once and cannot use this organization until reactivated.</p>,
        confirmLabel: "Deactivate",
        tone: "danger",
      };
    case "reactivate":
      return {
        title: `Reactivate ${pending.user.name}?`,
        children: <p>They can sign in to this organization again with their role, {pending.user.role}.</p>,
        confirmLabel: "Reactivate",
        tone: "primary",
      };
    case "remove":
      return {
        title: `Remove ${pending.user.name} from the organization?`,
        children: (
          <p>
            They lose access at once. Their history stays in the audit log. To let them back, invite them
            again.
          </p>
        ),
        confirmLabel: "Remove",
        tone: "danger",
      };
    case "bulkRole":
      return {
        title: `Change the role of ${pending.users.length} ${pending.users.length === 1 ? "user" : "users"} to ${pending.role}?`,
        children: (
          <p>
            {pending.users.map((u) => u.name).join(", ")}. Their sessions end, so they sign in again with the
            new role.
          </p>
        ),
        confirmLabel: "Change roles",
        tone: "primary",
      };
    case "bulkDeactivate":
      return {
        title: `Deactivate ${pending.users.length} ${pending.users.length === 1 ? "user" : "users"}?`,
        children: (
          <p>
            {pending.users.map((u) => u.name).join(", ")}. They are signed out at once and cannot use this
            organization until reactivated.
          </p>
        ),
        confirmLabel: "Deactivate",
        tone: "danger",
      };
  }
}
