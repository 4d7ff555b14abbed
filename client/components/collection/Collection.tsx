import type { InfiniteData } from "@tanstack/react-query";
import { Link, useParams } from "@tanstack/react-router";
import { ArrowLeft } from "lucide-react";
import {
  createContext,
  type ReactNode,
  Suspense,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import type { ObjectDef } from "../../../shared/registry";
import { type FilterDecl, type FilterOption, filterValues, type SortState } from "../../lib/collection";
import { useDocumentTitle, useMediaQuery, WIDE_LAYOUT } from "../../lib/hooks";
import { findPackage } from "../../lib/registry";
import { Sheet } from "../Sheet";
import { PageHeader } from "../ui";
import { type Column, DataTable, type Pagination, type RowData, type RowSelectionState } from "./DataTable";
import { FilterBar, type FilterValues } from "./FilterBar";
import { useListKeyboard } from "./keyboard";
import { TableSkeleton } from "./skeletons";

/** What the page tells the list inside it: whose list it is, where the search box is, what it is filtered by. */
interface CollectionScope {
  object: ObjectDef;
  searchInputId: string | undefined;
  /** Changes whenever the filters do: the selection is cleared then. */
  filterKey: string;
}

const ScopeContext = createContext<CollectionScope | null>(null);

/** Lowercase nouns of an object ("school", "schools"), for counts and labels. */
export const nounOf = (object: ObjectDef) => ({
  one: object.label.toLowerCase(),
  other: object.pluralLabel.toLowerCase(),
});

/** The breadcrumb (package › page) and the page's header, from the registry entry. */
export function CollectionHeader({
  object,
  title = object.pluralLabel,
  icon,
  description,
  actions,
  breadcrumb = false,
}: {
  object: ObjectDef;
  title?: string;
  icon: ReactNode;
  description: ReactNode;
  actions?: ReactNode;
  breadcrumb?: boolean;
}) {
  const { tenant } = useParams({ strict: false }) as { tenant: string };
  const pkg = findPackage(object.package);
  useDocumentTitle(title, breadcrumb ? pkg?.label : undefined);
  return (
    <>
      {breadcrumb && pkg ? (
        <nav aria-label="Breadcrumb" className="breadcrumb">
          <Link to="/$tenant/$package" params={{ tenant, package: pkg.key }}>
            {pkg.label}
          </Link>
          <span aria-hidden="true">/</span>
          <span aria-current="page">{title}</span>
        </nav>
      ) : null}
      <PageHeader title={title} icon={icon} description={description} actions={actions} />
    </>
  );
}

/**
 * A collection page: the header from the registry entry, the object's declared filters bound to the URL
 * (folded behind one "Filters" button on narrow screens), and the list, which loads inside (a skeleton
 * meanwhile). The list is a `Collection`.
 */
export function CollectionPage({
  object,
  title,
  icon,
  description,
  actions,
  breadcrumb,
  wide = false,
  filters,
  detailOpen = false,
  loadingColumns = 5,
  notice,
  children,
}: {
  object: ObjectDef;
  title?: string;
  icon: ReactNode;
  description: ReactNode;
  /** Buttons in the header (new, invite, export). */
  actions?: ReactNode;
  breadcrumb?: boolean;
  /** Uses the width of the screen (a list with a detail beside it). */
  wide?: boolean;
  filters?: {
    decl: readonly FilterDecl[];
    values: Readonly<Record<string, unknown>>;
    onChange: (patch: FilterValues) => void;
    /** Buttons at the end of the filter bar (saved filters, export). */
    actions?: ReactNode;
    options?: Readonly<Record<string, readonly FilterOption[]>>;
  };
  /** A record is open beside the list: on narrow screens it takes the page, filters and all. */
  detailOpen?: boolean;
  loadingColumns?: number;
  /** Shown between the filters and the list (an error of the last bulk action). */
  notice?: ReactNode;
  children: ReactNode;
}) {
  const wideScreen = useMediaQuery(WIDE_LAYOUT);
  const decl = useMemo(
    () =>
      (filters?.decl ?? []).map((f) =>
        f.kind === "search" && !f.inputId ? { ...f, inputId: `${object.key}-search` } : f,
      ),
    [filters?.decl, object.key],
  );
  const searchInputId = decl.find((f) => f.kind === "search")?.inputId;
  const filterKey = JSON.stringify(filterValues(decl, filters?.values ?? {}));
  const scope = useMemo(() => ({ object, searchInputId, filterKey }), [object, searchInputId, filterKey]);
  const noun = nounOf(object);

  return (
    <div className={wide ? "page page-wide" : "page"}>
      <CollectionHeader
        object={object}
        title={title}
        icon={icon}
        description={description}
        actions={actions}
        breadcrumb={breadcrumb}
      />
      {filters && !(detailOpen && !wideScreen) ? (
        <FilterBar
          label={`Filter ${noun.other}`}
          filters={decl}
          values={filters.values}
          onChange={filters.onChange}
          actions={filters.actions}
          options={filters.options}
        />
      ) : null}
      {notice}
      <ScopeContext.Provider value={scope}>
        <Suspense fallback={<TableSkeleton columns={loadingColumns} label={`Loading ${noun.other}`} />}>
          {children}
        </Suspense>
      </ScopeContext.Provider>
    </div>
  );
}

/** The rows of a keyset-paged query so far, and its "Load more". */
export function usePagedRows<T>(query: {
  data: InfiniteData<{ items: T[] }>;
  hasNextPage: boolean;
  fetchNextPage: () => unknown;
  isFetchingNextPage: boolean;
}): { rows: T[]; pagination: Pagination } {
  const rows = useMemo(() => query.data.pages.flatMap((page) => page.items), [query.data]);
  return {
    rows,
    pagination: {
      hasNextPage: query.hasNextPage,
      fetchNextPage: query.fetchNextPage,
      isFetchingNextPage: query.isFetchingNextPage,
    },
  };
}

/** Where the open record shows: beside the list (a nested route's outlet), or in an inspector sheet. */
export type CollectionDetail<T> =
  | { kind: "pane"; openKey: string | null; onClose: () => void; content: ReactNode }
  | {
      kind: "sheet";
      openKey: string | null;
      onClose: () => void;
      title: (row: T) => ReactNode;
      content: (row: T) => ReactNode;
    };

export interface CollectionProps<T extends RowData> {
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  /** Names a row ("Select Jordan Avery"). */
  rowLabel: (row: T) => string;
  rowAttributes?: (row: T) => Record<string, string | undefined>;
  pagination?: Pagination;
  sort?: SortState;
  onSortChange?: (sort: SortState) => void;
  /** Rows can be selected: the actions for the selected keys, shown above the list while any are. */
  bulkActions?: ((selected: string[], clear: () => void) => ReactNode) | undefined;
  /** Rows that cannot be selected (yourself). */
  canSelect?: (row: T) => boolean;
  rowActions?: ((row: T) => ReactNode) | undefined;
  /** No rows: why, and the next step. */
  empty: ReactNode;
  detail?: CollectionDetail<T>;
  /** `n` makes a new record (left out when the user may not). */
  onNew?: (() => void) | undefined;
  /** For screen readers; the object's plural label unless told. */
  caption?: string;
}

/**
 * The list of a collection page: the one table with the object's columns, selection and bulk actions, row
 * actions, keyset pages, the empty state, master/detail (a pane beside the list, or the inspector sheet;
 * the open record lives in the URL) and the keyboard flow (j/k or arrows, Enter opens, Escape closes, `/`
 * searches, `n` makes a new record). Render it inside a `CollectionPage`.
 */
export function Collection<T extends RowData>({
  columns,
  rows,
  rowKey,
  rowLabel,
  rowAttributes,
  pagination,
  sort,
  onSortChange,
  bulkActions,
  canSelect,
  rowActions,
  empty,
  detail,
  onNew,
  caption,
}: CollectionProps<T>) {
  const scope = useContext(ScopeContext);
  if (!scope) throw new Error("A Collection belongs inside a CollectionPage");
  const { object, searchInputId, filterKey } = scope;
  const noun = nounOf(object);
  const wide = useMediaQuery(WIDE_LAYOUT);
  const body = useRef<HTMLTableSectionElement>(null);
  const [selected, setSelected] = useState<RowSelectionState>({});
  const keys = useMemo(() => rows.map(rowKey), [rows, rowKey]);
  const openKey = detail?.openKey ?? null;
  const { active, focusRow } = useListKeyboard({
    body,
    keys,
    openKey: detail?.kind === "pane" ? openKey : null,
    onClose: detail?.onClose,
    onNew,
    searchInputId,
  });

  // New filters, new rows: what was selected is not what is shown any more.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the filters are what clears it.
  useEffect(() => setSelected({}), [filterKey]);

  const pane = detail?.kind === "pane" ? detail : null;
  const sheet = detail?.kind === "sheet" ? detail : null;
  const sheetRow = sheet && openKey ? rows.find((row) => rowKey(row) === openKey) : undefined;
  const showList = !pane || wide || !openKey;

  const table = (
    <DataTable
      caption={
        caption ??
        (detail
          ? `${object.pluralLabel}. Use j and k or the arrow keys to move, Enter to open.`
          : object.pluralLabel)
      }
      columns={columns}
      rows={rows}
      rowKey={rowKey}
      rowLabel={rowLabel}
      noun={noun}
      sort={sort}
      onSortChange={onSortChange}
      selection={bulkActions ? { selected, onChange: setSelected, canSelect } : undefined}
      bulkActions={bulkActions}
      rowActions={rowActions}
      pagination={pagination}
      empty={empty}
      rowAttributes={rowAttributes}
      openKey={openKey}
      activeKey={active}
      compact={Boolean(pane && (openKey || !wide))}
      bodyRef={body}
    />
  );

  return (
    <>
      {pane ? (
        <div
          className={`workspace${openKey ? " workspace-open" : ""}${wide && openKey ? " workspace-split" : ""}`}
        >
          {showList ? (
            <section className="workspace-list" aria-label={object.pluralLabel}>
              {table}
            </section>
          ) : null}
          {openKey ? (
            <section className="workspace-detail" aria-label={`${object.label} detail`}>
              {!wide ? (
                <button type="button" className="button button-ghost back-button" onClick={pane.onClose}>
                  <ArrowLeft size={14} aria-hidden="true" />
                  All {noun.other}
                </button>
              ) : null}
              {pane.content}
            </section>
          ) : null}
        </div>
      ) : (
        table
      )}
      {sheet ? (
        <Sheet
          open={sheetRow !== undefined}
          onOpenChange={(open) => {
            if (open || !openKey) return;
            const key = openKey;
            sheet.onClose();
            requestAnimationFrame(() => focusRow(key));
          }}
          title={sheetRow ? sheet.title(sheetRow) : ""}
        >
          {sheetRow ? sheet.content(sheetRow) : null}
        </Sheet>
      ) : null}
    </>
  );
}
