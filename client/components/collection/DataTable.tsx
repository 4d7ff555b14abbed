import {
  type ColumnDef,
  columnVisibilityFeature,
  functionalUpdate,
  metaHelper,
  type RowData,
  type RowSelectionState,
  rowSelectionFeature,
  rowSortingFeature,
  type SortingState,
  tableFeatures,
  type Updater,
  useTable,
} from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ArrowUpDown, X } from "lucide-react";
import { type ReactNode, type Ref, useEffect, useMemo, useRef } from "react";
import type { SortState } from "../../lib/collection";
import { formatNumber } from "../../lib/format";
import { Spinner } from "../ui";

export type { RowData, RowSelectionState, SortState };

/** One column of a list: how a row shows in it. Per object, next to its page. */
export interface Column<T> {
  id: string;
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** The server's sort key for this column: the header becomes a sort button. */
  sortKey?: string;
  /** The cell names the row (`<th scope="row">`); one column should. */
  rowHeader?: boolean;
  align?: "start" | "end";
  className?: string;
  /**
   * Left out on narrow screens and beside an open record (show what matters of it in another column's cell
   * with `show-narrow`).
   */
  hideOnNarrow?: boolean;
}

export interface Pagination {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

interface ColumnMeta {
  rowHeader?: boolean;
  className?: string;
  sortKey?: string;
}

const features = tableFeatures({
  rowSelectionFeature,
  rowSortingFeature,
  columnVisibilityFeature,
  columnMeta: metaHelper<ColumnMeta>(),
});
type Features = typeof features;

export interface DataTableProps<T extends RowData> {
  /** What the table lists, for screen readers ("Users"). */
  caption: string;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  /** Names a row for its checkbox ("Select Jordan Avery"). */
  rowLabel: (row: T) => string;
  /** "user" / "users", for the count under the table and the selection bar. */
  noun: { one: string; other: string };
  /** The server sorts; the sort lives in the URL. */
  sort?: SortState | undefined;
  onSortChange?: ((sort: SortState) => void) | undefined;
  /** Row selection, by row key. Rows `canSelect` refuses (yourself) have a disabled box. */
  selection?:
    | {
        selected: RowSelectionState;
        onChange: (next: RowSelectionState) => void;
        canSelect?: ((row: T) => boolean) | undefined;
      }
    | undefined;
  /** Buttons acting on the selected rows, in the bar above the table while any are selected. */
  bulkActions?: ((selectedKeys: string[], clear: () => void) => ReactNode) | undefined;
  /** A menu or buttons at the end of each row. */
  rowActions?: ((row: T) => ReactNode) | undefined;
  /** Keyset pagination ("Load more"), with the count of rows shown under the table. */
  pagination?: Pagination | undefined;
  /** What to show when there are no rows: say why, and offer the next step. */
  empty: ReactNode;
  /** Extra attributes per row (e.g. data-status for tests and styling). */
  rowAttributes?: ((row: T) => Record<string, string | undefined>) | undefined;
  /** The record open beside the list or in the inspector: its row is the current one. */
  openKey?: string | null | undefined;
  /** The row the keyboard is on. */
  activeKey?: string | null | undefined;
  /** Columns marked `hideOnNarrow` step aside (a record is open beside the list). */
  compact?: boolean | undefined;
  bodyRef?: Ref<HTMLTableSectionElement> | undefined;
}

function Checkbox({
  checked,
  indeterminate = false,
  label,
  onChange,
  disabled,
}: {
  checked: boolean;
  indeterminate?: boolean;
  label: string;
  onChange: (event: unknown) => void;
  disabled?: boolean;
}) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = indeterminate;
  }, [indeterminate]);
  return (
    <input
      ref={ref}
      type="checkbox"
      className="checkbox"
      checked={checked}
      disabled={disabled}
      aria-label={label}
      onChange={onChange}
    />
  );
}

const classes = (...names: (string | false | undefined)[]) => names.filter(Boolean).join(" ") || undefined;

/**
 * The one table of Nexus, on TanStack Table: server-sorted headers, row selection (shift-click selects a
 * range) with a bar of bulk actions, row actions, the open and keyboard-active rows of a master/detail
 * list, keyset "Load more" and an empty state. Rows and sorting come from the server; the table holds
 * which columns show and which rows are selected.
 */
export function DataTable<T extends RowData>({
  caption,
  columns,
  rows,
  rowKey,
  rowLabel,
  noun,
  sort,
  onSortChange,
  selection,
  bulkActions,
  rowActions,
  pagination,
  empty,
  rowAttributes,
  openKey,
  activeKey,
  compact = false,
  bodyRef,
}: DataTableProps<T>) {
  // Pages build their columns on every render (cells close over handlers); the table's column model
  // changes only when the set of columns does, and each cell draws with the latest declaration.
  const latest = useRef(columns);
  latest.current = columns;
  const signature = columns
    .map(
      (c) =>
        `${c.id}:${c.sortKey ?? ""}:${c.rowHeader ? 1 : 0}:${c.align ?? ""}:${c.hideOnNarrow ? 1 : 0}:${c.className ?? ""}`,
    )
    .join("|");
  // biome-ignore lint/correctness/useExhaustiveDependencies: the signature stands for the columns.
  const columnDefs = useMemo<ColumnDef<Features, T>[]>(
    () =>
      latest.current.map((column) => ({
        id: column.id,
        header: () => latest.current.find((c) => c.id === column.id)?.header ?? null,
        cell: ({ row }) => latest.current.find((c) => c.id === column.id)?.cell(row.original) ?? null,
        ...(column.sortKey
          ? { accessorFn: () => column.sortKey, enableSorting: true, sortDescFirst: false }
          : { enableSorting: false }),
        meta: {
          rowHeader: column.rowHeader,
          className: classes(
            column.align === "end" && "numeric",
            column.hideOnNarrow && "hide-narrow",
            column.className,
          ),
          sortKey: column.sortKey,
        },
      })),
    [signature],
  );
  const data = useMemo(() => [...rows], [rows]);

  const columnVisibility = useMemo(
    () =>
      Object.fromEntries(columns.filter((c) => compact && c.hideOnNarrow).map((c) => [c.id, false as const])),
    [columns, compact],
  );
  const sortedColumn = sort ? columns.find((c) => c.sortKey === sort.key) : undefined;
  const sorting: SortingState = sortedColumn
    ? [{ id: sortedColumn.id, desc: sort?.direction === "desc" }]
    : [];
  const rowSelection = selection?.selected ?? {};

  const table = useTable({
    features,
    columns: columnDefs,
    data,
    getRowId: (row) => rowKey(row),
    state: { sorting, rowSelection, columnVisibility },
    manualSorting: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
    sortDescFirst: false,
    onSortingChange: (updater: Updater<SortingState>) => {
      const next = functionalUpdate(updater, sorting)[0];
      const column = next ? latest.current.find((c) => c.id === next.id) : undefined;
      if (next && column?.sortKey)
        onSortChange?.({ key: column.sortKey, direction: next.desc ? "desc" : "asc" });
    },
    enableRowSelection: (row) => (selection ? (selection.canSelect?.(row.original) ?? true) : false),
    onRowSelectionChange: (updater: Updater<RowSelectionState>) =>
      selection?.onChange(functionalUpdate(updater, rowSelection)),
    onColumnVisibilityChange: () => undefined,
  });

  if (rows.length === 0) return <>{empty}</>;

  const selectedKeys = Object.keys(rowSelection);
  const clear = () => selection?.onChange({});
  const selectableCount = table.getRowModel().rows.filter((row) => row.getCanSelect()).length;
  // "Some" counts any selected row; the box shows a dash only while some but not all are.
  const allSelected = table.getIsAllRowsSelected();
  const headers = table.getHeaderGroups()[0]?.headers ?? [];

  return (
    <div className="data-table">
      {selection && selectedKeys.length > 0 ? (
        <section className="bulk-bar" aria-label="Selected rows">
          <span className="bulk-bar-count" aria-live="polite">
            {formatNumber(selectedKeys.length)} {selectedKeys.length === 1 ? noun.one : noun.other} selected
          </span>
          <div className="bulk-bar-actions">{bulkActions?.(selectedKeys, clear)}</div>
          <button type="button" className="button button-ghost" onClick={clear}>
            <X size={14} aria-hidden="true" />
            Clear selection
          </button>
        </section>
      ) : null}
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              {selection ? (
                <th scope="col" className="check-cell">
                  <Checkbox
                    checked={allSelected}
                    indeterminate={!allSelected && table.getIsSomeRowsSelected()}
                    disabled={selectableCount === 0}
                    label={`Select all ${noun.other} shown`}
                    onChange={table.getToggleAllRowsSelectedHandler()}
                  />
                </th>
              ) : null}
              {headers.map((header) => {
                const meta = header.column.columnDef.meta;
                const sorted = header.column.getIsSorted();
                const canSort = Boolean(meta?.sortKey && onSortChange && header.column.getCanSort());
                const Icon = sorted === "asc" ? ArrowUp : sorted === "desc" ? ArrowDown : ArrowUpDown;
                return (
                  <th
                    key={header.id}
                    scope="col"
                    className={meta?.className}
                    aria-sort={sorted ? (sorted === "asc" ? "ascending" : "descending") : undefined}
                  >
                    {canSort ? (
                      <button
                        type="button"
                        className={sorted ? "sort-button sort-button-active" : "sort-button"}
                        onClick={header.column.getToggleSortingHandler()}
                      >
                        <table.FlexRender header={header} />
                        <Icon size={12} aria-hidden="true" />
                      </button>
                    ) : (
                      <table.FlexRender header={header} />
                    )}
                  </th>
                );
              })}
              {rowActions ? (
                <th scope="col" className="actions-cell">
                  <span className="visually-hidden">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody ref={bodyRef}>
            {table.getRowModel().rows.map((row) => {
              const isSelected = row.getIsSelected();
              const isOpen = openKey != null && row.id === openKey;
              return (
                <tr
                  key={row.id}
                  data-row-key={row.id}
                  data-selected={isSelected || undefined}
                  data-active={activeKey != null && row.id === activeKey ? "true" : undefined}
                  aria-current={isOpen ? "true" : undefined}
                  className={isOpen ? "row-open" : undefined}
                  {...rowAttributes?.(row.original)}
                >
                  {selection ? (
                    <td className="check-cell">
                      <Checkbox
                        checked={isSelected}
                        disabled={!row.getCanSelect()}
                        label={`Select ${rowLabel(row.original)}`}
                        onChange={row.getToggleSelectedHandler()}
                      />
                    </td>
                  ) : null}
                  {row.getVisibleCells().map((cell) => {
                    const meta = cell.column.columnDef.meta;
                    return meta?.rowHeader ? (
                      <th key={cell.id} scope="row" className={classes("row-header", meta.className)}>
                        <table.FlexRender cell={cell} />
                      </th>
                    ) : (
                      <td key={cell.id} className={meta?.className}>
                        <table.FlexRender cell={cell} />
                      </td>
                    );
                  })}
                  {rowActions ? <td className="actions-cell">{rowActions(row.original)}</td> : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {pagination ? (
        <div className="table-footer">
          <p className="muted small" aria-live="polite">
            Showing {formatNumber(rows.length)} {rows.length === 1 ? noun.one : noun.other}
            {pagination.hasNextPage ? "" : " (all)"}
          </p>
          {pagination.hasNextPage ? (
            <button
              type="button"
              className="button"
              onClick={() => void pagination.fetchNextPage()}
              disabled={pagination.isFetchingNextPage}
            >
              {pagination.isFetchingNextPage ? <Spinner size={14} /> : null}
              {pagination.isFetchingNextPage ? "Loading…" : "Load more"}
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
