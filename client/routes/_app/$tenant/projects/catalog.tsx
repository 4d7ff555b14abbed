import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, useNavigate } from "@tanstack/react-router";
import { LibraryBig, Plus } from "lucide-react";
import { Suspense, useEffect, useId, useState } from "react";
import { z } from "zod/mini";
import { objectByKey } from "../../../../../shared/registry";
import type { CatalogCategory, RequestType } from "../../../../../shared/schemas/issue-extras";
import { CollectionHeader } from "../../../../components/collection/Collection";
import { TableSkeleton } from "../../../../components/collection/skeletons";
import { ConfirmDialog } from "../../../../components/Dialogs";
import { CreateIssueDialog } from "../../../../components/projects/CreateIssueDialog";
import { CategoryFormDialog } from "../../../../components/projects/catalog/CategoryFormDialog";
import {
  type CatalogActions,
  CategorySection,
} from "../../../../components/projects/catalog/CategorySection";
import { RequestTypeSheet } from "../../../../components/projects/catalog/RequestTypeSheet";
import { notify } from "../../../../components/Toast";
import { EmptyState } from "../../../../components/ui";
import { messageOf } from "../../../../lib/errors";
import { useTenantPermissions } from "../../../../lib/permissions";
import { type TenantApi, useTRPC } from "../../../../lib/trpc";

/** `?archived=yes` also lists archived categories and request types (as the issue list's filter says it). */
const searchSchema = z.object({
  archived: z.catch(z.optional(z.enum(["yes"])), undefined),
});
type CatalogSearch = z.infer<typeof searchSchema>;

function catalogQueries(trpc: TenantApi["trpc"], search: CatalogSearch) {
  const includeArchived = search.archived === "yes";
  return {
    categories: trpc.projects.catalog.categories.list.queryOptions({ includeArchived }),
    requestTypes: trpc.projects.catalog.requestTypes.list.queryOptions({ includeArchived }),
  };
}

const requestTypeObject = objectByKey("requestType");

/** The issue catalog: categories and the request types people file through. */
export const Route = createFileRoute("/_app/$tenant/projects/catalog")({
  validateSearch: searchSchema,
  loaderDeps: ({ search }) => ({ archived: search.archived }),
  loader: async ({ context, deps }) => {
    const queries = catalogQueries(context.api.trpc, deps);
    await Promise.all([
      context.queryClient.ensureQueryData(queries.categories),
      context.queryClient.ensureQueryData(queries.requestTypes),
    ]);
  },
  component: CatalogPage,
});

function CatalogPage() {
  const search = Route.useSearch();
  const navigate = useNavigate({ from: Route.fullPath });
  const permissions = useTenantPermissions();
  const canManage = permissions.has("projects.admin");
  const canFile = permissions.has("projects.write");
  const [filing, setFiling] = useState<RequestType | null>(null);
  const [creatingCategory, setCreatingCategory] = useState(false);
  const archivedId = useId();
  // The box follows the click at once; the list follows once the archived records have loaded.
  const urlShowsArchived = search.archived === "yes";
  const [showArchived, setShowArchived] = useState(urlShowsArchived);
  useEffect(() => setShowArchived(urlShowsArchived), [urlShowsArchived]);

  return (
    <div className="page">
      <CollectionHeader
        object={requestTypeObject}
        breadcrumb
        icon={<LibraryBig size={20} aria-hidden="true" />}
        description="What people can ask for, by category: each request type files an issue of its kind in its project, for its group, with the details it needs."
        actions={
          canManage ? (
            <button type="button" className="button button-primary" onClick={() => setCreatingCategory(true)}>
              <Plus size={14} aria-hidden="true" />
              New category
            </button>
          ) : null
        }
      />
      <div className="toolbar">
        <div className="checkbox-row">
          <input
            id={archivedId}
            type="checkbox"
            className="checkbox"
            checked={showArchived}
            onChange={(event) => {
              const checked = event.target.checked;
              setShowArchived(checked);
              void navigate({
                search: (prev) => ({ ...prev, archived: checked ? "yes" : undefined }),
                replace: true,
              });
            }}
          />
          <label htmlFor={archivedId}>Show archived</label>
        </div>
      </div>
      <Suspense fallback={<TableSkeleton columns={6} label="Loading the catalog" />}>
        <Catalog
          search={search}
          canManage={canManage}
          onCreateCategory={() => setCreatingCategory(true)}
          onFile={canFile ? setFiling : undefined}
        />
      </Suspense>
      {canFile ? (
        <CreateIssueDialog
          open={filing !== null}
          onOpenChange={(open) => {
            if (!open) setFiling(null);
          }}
          initialRequestTypeId={filing?.id}
        />
      ) : null}
      {canManage ? <CategoryFormDialog open={creatingCategory} onOpenChange={setCreatingCategory} /> : null}
    </div>
  );
}

type Archiving =
  | { kind: "category"; category: CatalogCategory }
  | { kind: "requestType"; requestType: RequestType };

function Catalog({
  search,
  canManage,
  onCreateCategory,
  onFile,
}: {
  onFile: ((requestType: RequestType) => void) | undefined;
  search: CatalogSearch;
  canManage: boolean;
  onCreateCategory: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const queries = catalogQueries(trpc, search);
  const { data: categories } = useSuspenseQuery(queries.categories);
  const { data: requestTypes } = useSuspenseQuery(queries.requestTypes);
  const [editingCategory, setEditingCategory] = useState<CatalogCategory | null>(null);
  const [sheet, setSheet] = useState<{ requestType?: RequestType; categoryId: string } | null>(null);
  const [archiving, setArchiving] = useState<Archiving | null>(null);
  const settle = { onSettled: () => void queryClient.invalidateQueries(trpc.projects.catalog.pathFilter()) };
  const failed = { onError: (error: unknown) => notify(messageOf(error), { tone: "danger" }) };
  const archiveCategory = useMutation({
    ...trpc.projects.catalog.categories.archive.mutationOptions(),
    ...settle,
  });
  const restoreCategory = useMutation({
    ...trpc.projects.catalog.categories.restore.mutationOptions(),
    ...settle,
    ...failed,
  });
  const archiveType = useMutation({
    ...trpc.projects.catalog.requestTypes.archive.mutationOptions(),
    ...settle,
  });
  const restoreType = useMutation({
    ...trpc.projects.catalog.requestTypes.restore.mutationOptions(),
    ...settle,
    ...failed,
  });

  const actions: CatalogActions | undefined = canManage
    ? {
        editCategory: setEditingCategory,
        archiveCategory: (category) => setArchiving({ kind: "category", category }),
        restoreCategory: (category) =>
          restoreCategory.mutate(
            { id: category.id },
            { onSuccess: () => notify("Category restored", { description: category.name }) },
          ),
        addRequestType: (category) => setSheet({ categoryId: category.id }),
        editRequestType: (requestType) => setSheet({ requestType, categoryId: requestType.categoryId }),
        archiveRequestType: (requestType) => setArchiving({ kind: "requestType", requestType }),
        restoreRequestType: (requestType) =>
          restoreType.mutate(
            { id: requestType.id },
            { onSuccess: () => notify("Request type restored", { description: requestType.name }) },
          ),
      }
    : undefined;

  const byCategory = new Map<string, RequestType[]>();
  for (const t of requestTypes.items) {
    const list = byCategory.get(t.categoryId) ?? [];
    list.push(t);
    byCategory.set(t.categoryId, list);
  }

  if (categories.items.length === 0) {
    return (
      <EmptyState
        icon={<LibraryBig size={24} aria-hidden="true" />}
        title={search.archived ? "The catalog is empty" : "No categories yet"}
        action={
          canManage ? (
            <button type="button" className="button button-primary" onClick={onCreateCategory}>
              <Plus size={14} aria-hidden="true" />
              Create the first category
            </button>
          ) : undefined
        }
      >
        <p>
          {canManage
            ? "Start with a category such as “Devices” or “Accounts and access”, then add the request types people choose when they file."
            : "An administrator sets up the categories and request types people choose when they file."}
        </p>
      </EmptyState>
    );
  }

  return (
    <>
      <div className="catalog">
        {categories.items.map((category) => (
          <CategorySection
            key={category.id}
            category={category}
            requestTypes={byCategory.get(category.id) ?? []}
            actions={actions}
            onFile={onFile}
          />
        ))}
      </div>
      {canManage ? (
        <>
          <CategoryFormDialog
            category={editingCategory ?? undefined}
            open={editingCategory !== null}
            onOpenChange={(open) => {
              if (!open) setEditingCategory(null);
            }}
          />
          <RequestTypeSheet
            open={sheet !== null}
            onOpenChange={(open) => {
              if (!open) setSheet(null);
            }}
            requestType={sheet?.requestType}
            categoryId={sheet?.categoryId}
          />
          <ConfirmDialog
            open={archiving !== null}
            onOpenChange={(open) => {
              if (!open) setArchiving(null);
            }}
            title={`Archive ${archiving?.kind === "category" ? archiving.category.name : (archiving?.requestType.name ?? "")}?`}
            confirmLabel="Archive"
            tone="danger"
            onConfirm={async () => {
              if (archiving?.kind === "category") {
                await archiveCategory.mutateAsync({ id: archiving.category.id });
                notify("Category archived", {
                  description: `${archiving.category.name} is no longer offered; restore it any time.`,
                });
              } else if (archiving?.kind === "requestType") {
                await archiveType.mutateAsync({ id: archiving.requestType.id });
                notify("Request type archived", {
                  description: `${archiving.requestType.name} is no longer offered; restore it any time.`,
                });
              }
            }}
          >
            <p>
              {archiving?.kind === "category"
                ? "It is hidden from pickers, and no request types can be added to it until it is restored. Its request types are kept."
                : "It is no longer offered when filing. Issues already filed through it keep it."}
            </p>
          </ConfirmDialog>
        </>
      ) : null}
    </>
  );
}
