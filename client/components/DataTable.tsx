import { ArrowDown, ArrowUp, ArrowUpDown, X } from "lucide-react";
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { formatNumber } from "../lib/format";
import { Spinner } from "./ui";

/** One column of a DataTable. */
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
  /** Left out on narrow screens (show what matters of it in another column's cell with `show-narrow`). */
  hideOnNarrow?: boolean;
}

export type SortDirection = "asc" | "desc";
export interface SortState {
  key: string;
  direction: SortDirection;
}

export interface Pagination {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

/** Which rows are selected, by key. Reset it (a new key on the page) when the filters change. */
export function useRowSelection() {
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const clear = useCallback(() => setSelected(new Set()), []);
  return { selected, setSelected, clear };
}

export interface DataTableProps<T> {
  /** What the table lists, for screen readers ("Users"). */
  caption: string;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  /** Names a row for its checkbox and actions ("Select Jordan Avery"). */
  rowLabel: (row: T) => string;
  /** "user" / "users", for the count under the table and the selection bar. */
  noun: { one: string; other: string };
  sort?: SortState;
  onSortChange?: (sort: SortState) => void;
  /** Row selection: pass the state of useRowSelection(). */
  selection?: {
    selected: ReadonlySet<string>;
    setSelected: (next: ReadonlySet<string>) => void;
    /** Rows that cannot be selected (e.g. yourself). */
    canSelect?: (row: T) => boolean;
  };
  /** Buttons acting on the selected rows, shown in the bar above the table while any are selected. */
  bulkActions?: (selectedKeys: string[]) => ReactNode;
  /** A menu or buttons at the end of each row. */
  rowActions?: (row: T) => ReactNode;
  /** Keyset pagination ("Load more"), with the count of rows shown under the table. */
  pagination?: Pagination;
  /** What to show when there are no rows: say why, and offer the next step. */
  empty: ReactNode;
  /** Extra attributes per row (e.g. data-status for tests and styling). */
  rowAttributes?: (row: T) => Record<string, string | undefined>;
}

function SortHeader({
  label,
  sortKey,
  sort,
  onSortChange,
}: {
  label: ReactNode;
  sortKey: string;
  sort: SortState | undefined;
  onSortChange: (sort: SortState) => void;
}) {
  const active = sort?.key === sortKey;
  const direction = active ? sort.direction : undefined;
  const Icon = direction === "asc" ? ArrowUp : direction === "desc" ? ArrowDown : ArrowUpDown;
  return (
    <button
      type="button"
      className={active ? "sort-button sort-button-active" : "sort-button"}
      onClick={() =>
        onSortChange({ key: sortKey, direction: active && direction === "asc" ? "desc" : "asc" })
      }
    >
      {label}
      <Icon size={12} aria-hidden="true" />
    </button>
  );
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
  onChange: (checked: boolean) => void;
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
      onChange={(event) => onChange(event.target.checked)}
    />
  );
}

/**
 * A list of records: sortable headers (the server sorts; the sort lives in the URL), row selection with a
 * bulk-action bar, row actions, keyset "Load more" pagination and an empty state. Generic over the row type.
 */
export function DataTable<T>({
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
}: DataTableProps<T>) {
  const selectable = useMemo(
    () => (selection ? rows.filter((row) => selection.canSelect?.(row) ?? true) : []),
    [rows, selection],
  );
  const selectedKeys = selection ? [...selection.selected] : [];
  const selectedVisible = selectable.filter((row) => selection?.selected.has(rowKey(row))).length;

  if (rows.length === 0) return <>{empty}</>;

  const toggleAll = (checked: boolean) => {
    if (!selection) return;
    const next = new Set(selection.selected);
    for (const row of selectable) {
      if (checked) next.add(rowKey(row));
      else next.delete(rowKey(row));
    }
    selection.setSelected(next);
  };

  return (
    <div className="data-table">
      {selection && selectedKeys.length > 0 ? (
        <section className="bulk-bar" aria-label="Selected rows">
          <span className="bulk-bar-count" aria-live="polite">
            {formatNumber(selectedKeys.length)} {selectedKeys.length === 1 ? noun.one : noun.other} selected
          </span>
          <div className="bulk-bar-actions">{bulkActions?.(selectedKeys)}</div>
          <button
            type="button"
            className="button button-ghost"
            onClick={() => selection.setSelected(new Set())}
          >
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
                    checked={selectable.length > 0 && selectedVisible === selectable.length}
                    indeterminate={selectedVisible > 0 && selectedVisible < selectable.length}
                    disabled={selectable.length === 0}
                    label={`Select all ${noun.other} shown`}
                    onChange={toggleAll}
                  />
                </th>
              ) : null}
              {columns.map((column) => {
                const sorted = column.sortKey && sort?.key === column.sortKey;
                return (
                  <th
                    key={column.id}
                    scope="col"
                    className={
                      [column.align === "end" ? "numeric" : "", column.hideOnNarrow ? "hide-narrow" : ""]
                        .filter(Boolean)
                        .join(" ") || undefined
                    }
                    aria-sort={sorted ? (sort?.direction === "asc" ? "ascending" : "descending") : undefined}
                  >
                    {column.sortKey && onSortChange ? (
                      <SortHeader
                        label={column.header}
                        sortKey={column.sortKey}
                        sort={sort}
                        onSortChange={onSortChange}
                      />
                    ) : (
                      column.header
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
          <tbody>
            {rows.map((row) => {
              const key = rowKey(row);
              const isSelected = selection?.selected.has(key) ?? false;
              const canSelect = selection?.canSelect?.(row) ?? true;
              return (
                <tr key={key} data-selected={isSelected || undefined} {...rowAttributes?.(row)}>
                  {selection ? (
                    <td className="check-cell">
                      <Checkbox
                        checked={isSelected}
                        disabled={!canSelect}
                        label={`Select ${rowLabel(row)}`}
                        onChange={(checked) => {
                          const next = new Set(selection.selected);
                          if (checked) next.add(key);
                          else next.delete(key);
                          selection.setSelected(next);
                        }}
                      />
                    </td>
                  ) : null}
                  {columns.map((column) => {
                    const className =
                      [
                        column.align === "end" ? "numeric" : "",
                        column.hideOnNarrow ? "hide-narrow" : "",
                        column.className ?? "",
                      ]
                        .filter(Boolean)
                        .join(" ") || undefined;
                    return column.rowHeader ? (
                      <th key={column.id} scope="row" className={`row-header ${className ?? ""}`.trim()}>
                        {column.cell(row)}
                      </th>
                    ) : (
                      <td key={column.id} className={className}>
                        {column.cell(row)}
                      </td>
                    );
                  })}
                  {rowActions ? <td className="actions-cell">{rowActions(row)}</td> : null}
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

/** What a table looks like while its first page loads. */
export function TableSkeleton({ columns = 4, rows = 6, label = "Loading" }) {
  return (
    <div className="table-wrap" role="status" aria-label={label}>
      <table className="table table-skeleton" aria-hidden="true">
        <thead>
          <tr>
            {Array.from({ length: columns }, (_, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity.
              <th key={i}>
                <span className="skeleton skeleton-header" />
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: rows }, (_, r) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity.
            <tr key={r}>
              {Array.from({ length: columns }, (_, c) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity.
                <td key={c}>
                  <span className="skeleton" style={{ width: `${45 + ((r * 7 + c * 13) % 45)}%` }} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
