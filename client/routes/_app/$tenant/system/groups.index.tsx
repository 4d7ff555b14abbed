import { useMutation, useQueryClient, useSuspenseInfiniteQuery } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { Plus, UsersRound } from "lucide-react";
import { useState } from "react";
import { objectByKey } from "../../../../../shared/registry";
import { Collection, CollectionPage, usePagedRows } from "../../../../components/collection/Collection";
import type { Column } from "../../../../components/collection/DataTable";
import type { FilterValues } from "../../../../components/collection/FilterBar";
import { lifecycleActions } from "../../../../components/collection/lifecycle";
import { ArchiveConfirm } from "../../../../components/Dialogs";
import { GroupFormDialog } from "../../../../components/GroupFormDialog";
import { RowActions } from "../../../../components/RowActions";
import { notify } from "../../../../components/Toast";
import { Badge, EmptyState } from "../../../../components/ui";
import type { RouterOutputs } from "../../../../lib/api-types";
import {
  type CollectionSearch,
  clearedFilters,
  defineCollection,
  isFiltered,
  searchSchemaOf,
} from "../../../../lib/collection";
import { formatDateTime, formatNumber } from "../../../../lib/format";
import { useTenantPermissions } from "../../../../lib/permissions";
import { type TenantApi, useTRPC } from "../../../../lib/trpc";

type Group = RouterOutputs["system"]["groups"]["list"]["items"][number];

const PAGE_SIZE = 50;

const group = objectByKey("group");

const groupCollection = defineCollection({
  filters: [
    { kind: "search", key: "search", label: "Search groups", placeholder: "Search by name" },
    {
      kind: "select",
      key: "show",
      label: "Show",
      allLabel: "Active groups",
      options: [{ value: "all", label: "Active and archived" }],
    },
  ],
});
type GroupsSearch = CollectionSearch<typeof groupCollection>;

function listOptions(trpc: TenantApi["trpc"], search: GroupsSearch) {
  return trpc.system.groups.list.infiniteQueryOptions(
    { search: search.search?.trim() || undefined, includeArchived: search.show === "all", limit: PAGE_SIZE },
    { getNextPageParam: (page) => page.nextCursor ?? undefined },
  );
}

export const Route = createFileRoute("/_app/$tenant/system/groups/")({
  validateSearch: searchSchemaOf(groupCollection),
  loaderDeps: ({ search }) => search,
  loader: ({ context, deps }) =>
    context.queryClient.ensureInfiniteQueryData(listOptions(context.api.trpc, deps)),
  component: GroupsPage,
});

function GroupsPage() {
  const search = Route.useSearch();
  const navigate = useNavigate({ from: Route.fullPath });
  const canManage = useTenantPermissions().has("system.admin");
  const update = (patch: FilterValues) =>
    void navigate({ search: (prev) => ({ ...prev, ...(patch as Partial<GroupsSearch>) }), replace: true });

  return (
    <CollectionPage
      object={group}
      icon={<UsersRound size={20} aria-hidden="true" />}
      description="Named sets of people in this organization, such as a school's office staff or the technology team."
      actions={
        canManage ? (
          <GroupFormDialog
            trigger={
              <button type="button" className="button button-primary">
                <Plus size={14} aria-hidden="true" />
                New group
              </button>
            }
          />
        ) : null
      }
      filters={{ decl: groupCollection.filters, values: search, onChange: update }}
    >
      <GroupsTable
        search={search}
        canManage={canManage}
        onClear={() => update(clearedFilters(groupCollection.filters))}
      />
    </CollectionPage>
  );
}

function GroupsTable({
  search,
  canManage,
  onClear,
}: {
  search: GroupsSearch;
  canManage: boolean;
  onClear: () => void;
}) {
  const { tenant } = Route.useParams();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { rows: groups, pagination } = usePagedRows(useSuspenseInfiniteQuery(listOptions(trpc, search)));
  const [editing, setEditing] = useState<Group | null>(null);
  const [archiving, setArchiving] = useState<Group | null>(null);
  const settle = { onSettled: () => void queryClient.invalidateQueries(trpc.system.groups.pathFilter()) };
  const archive = useMutation({ ...trpc.system.groups.archive.mutationOptions(), ...settle });
  const restore = useMutation({ ...trpc.system.groups.restore.mutationOptions(), ...settle });
  const filtered = isFiltered(groupCollection.filters, search);

  const columns: Column<Group>[] = [
    {
      id: "name",
      header: "Name",
      rowHeader: true,
      cell: (g) => (
        <>
          <Link
            to="/$tenant/system/groups/$groupId"
            params={{ tenant, groupId: g.id }}
            className="text-link strong"
            data-row-link=""
          >
            {g.name}
          </Link>
          {g.description ? <span className="cell-detail clamp">{g.description}</span> : null}
        </>
      ),
    },
    { id: "members", header: "Members", align: "end", cell: (g) => formatNumber(g.memberCount) },
    {
      id: "status",
      header: "Status",
      cell: (g) => (g.archived ? <Badge>Archived</Badge> : <Badge tone="success">Active</Badge>),
    },
    {
      id: "updated",
      header: "Updated",
      className: "nowrap",
      cell: (g) => <time dateTime={g.updatedAt}>{formatDateTime(g.updatedAt)}</time>,
    },
  ];

  return (
    <>
      <Collection
        columns={columns}
        rows={groups}
        rowKey={(g) => g.id}
        rowLabel={(g) => g.name}
        pagination={pagination}
        rowAttributes={(g) => ({ "data-archived": g.archived ? "true" : undefined })}
        rowActions={
          canManage
            ? (g) => (
                <RowActions
                  label={g.name}
                  actions={lifecycleActions(group, g.archived ? "archived" : "active", {
                    onEdit: () => setEditing(g),
                    run: {
                      archive: () => setArchiving(g),
                      restore: () =>
                        restore.mutate(
                          { id: g.id },
                          { onSuccess: () => notify("Group restored", { description: g.name }) },
                        ),
                    },
                  })}
                />
              )
            : undefined
        }
        empty={
          <EmptyState
            icon={<UsersRound size={24} aria-hidden="true" />}
            title={filtered ? "No groups match this search" : "No groups yet"}
            action={
              filtered ? (
                <button type="button" className="button" onClick={onClear}>
                  Clear filters
                </button>
              ) : canManage ? (
                <GroupFormDialog
                  trigger={
                    <button type="button" className="button button-primary">
                      <Plus size={14} aria-hidden="true" />
                      Create the first group
                    </button>
                  }
                />
              ) : undefined
            }
          >
            <p>
              {filtered
                ? "Try another name, or include archived groups."
                : "Groups collect people who work together, so they can be chosen at once."}
            </p>
          </EmptyState>
        }
      />
      <GroupFormDialog
        group={editing ?? undefined}
        open={editing !== null}
        onOpenChange={(open) => {
          if (!open) setEditing(null);
        }}
      />
      <ArchiveConfirm
        record={archiving}
        onClose={() => setArchiving(null)}
        noun="Group"
        archive={(p) => archive.mutateAsync({ id: p.id })}
        afterward={(p) => `${p.name} is hidden from lists; restore it any time.`}
      >
        <p>It is hidden from lists and becomes read-only. Its members are kept.</p>
      </ArchiveConfirm>
    </>
  );
}
