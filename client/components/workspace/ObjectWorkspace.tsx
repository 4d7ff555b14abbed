import { ArrowLeft } from "lucide-react";
import { type ReactNode, useCallback, useEffect, useRef, useState } from "react";
import type { ObjectDef } from "../../../shared/registry";
import { formatNumber } from "../../lib/format";
import { useMediaQuery, WIDE_LAYOUT } from "../../lib/hooks";
import type { Column, Pagination } from "../DataTable";
import { Spinner } from "../ui";

/**
 * What an object workspace needs to know about one object type, beside its registry entry: how a row is
 * shown and named. Every package's workspace (issues, schools, assets…) is this component with its config.
 */
export interface WorkspaceConfig<T> {
  object: ObjectDef;
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  rowLabel: (row: T) => string;
  rowAttributes?: (row: T) => Record<string, string | undefined>;
}

export interface ObjectWorkspaceProps<T> {
  config: WorkspaceConfig<T>;
  rows: readonly T[];
  pagination: Pagination;
  /** The key of the record whose detail is open (from the URL), or null. */
  openKey: string | null;
  onOpen: (key: string) => void;
  onClose: () => void;
  /** `n`: a new record (left out when the user may not create one). */
  onNew?: () => void;
  /** The element `/` focuses (the search box). */
  searchInputId: string;
  /** Filters, presets, export: above the list. */
  toolbar: ReactNode;
  /** Bulk actions for the selected keys (checkboxes), shown while any are selected. */
  bulkActions?: (selected: string[], clear: () => void) => ReactNode;
  /** The detail of the open record (the nested route's outlet); with nothing open the list takes the width. */
  detail: ReactNode;
  /** No rows: why, and the next step. */
  empty: ReactNode;
}

/** Keys that mean something only while typing is not under way and no dialog is open. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  );
}

function dialogOpen(): boolean {
  return document.querySelector('[role="dialog"][data-state="open"], [role="alertdialog"]') !== null;
}

/**
 * The master/detail workspace: a list on the left and the open record on the right on wide screens; on
 * narrow ones the detail replaces the list. The selection lives in the URL. Keyboard: j/k or the arrow
 * keys move through the rows, Enter opens, Escape closes the detail, `/` searches, `n` creates.
 */
export function ObjectWorkspace<T>({
  config,
  rows,
  pagination,
  openKey,
  onOpen,
  onClose,
  onNew,
  searchInputId,
  toolbar,
  bulkActions,
  detail,
  empty,
}: ObjectWorkspaceProps<T>) {
  const wide = useMediaQuery(WIDE_LAYOUT);
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const listRef = useRef<HTMLTableSectionElement>(null);
  const keys = rows.map(config.rowKey);
  const [active, setActive] = useState<string | null>(openKey);
  const activeIndex = active ? keys.indexOf(active) : -1;
  const clear = useCallback(() => setSelected(new Set()), []);

  useEffect(() => {
    if (openKey) setActive(openKey);
  }, [openKey]);

  const focusRow = useCallback((key: string) => {
    setActive(key);
    const link = listRef.current?.querySelector<HTMLElement>(
      `[data-row-key="${CSS.escape(key)}"] [data-row-link]`,
    );
    link?.focus();
    link?.scrollIntoView({ block: "nearest" });
  }, []);

  const handlers = useRef({ keys, activeIndex, openKey, onOpen, onClose, onNew, focusRow, searchInputId });
  handlers.current = { keys, activeIndex, openKey, onOpen, onClose, onNew, focusRow, searchInputId };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      const h = handlers.current;
      if (event.key === "Escape") {
        if (isTyping(event.target) || dialogOpen() || !h.openKey) return;
        event.preventDefault();
        const key = h.openKey;
        h.onClose();
        requestAnimationFrame(() => h.focusRow(key));
        return;
      }
      if (isTyping(event.target) || dialogOpen()) return;
      const move = (delta: number) => {
        if (h.keys.length === 0) return;
        event.preventDefault();
        const from = h.activeIndex === -1 ? (delta > 0 ? -1 : h.keys.length) : h.activeIndex;
        const next = Math.min(h.keys.length - 1, Math.max(0, from + delta));
        const key = h.keys[next];
        if (key) h.focusRow(key);
      };
      switch (event.key) {
        case "j":
        case "ArrowDown":
          if (event.key === "ArrowDown" && !listRef.current?.contains(event.target as Node)) return;
          move(1);
          break;
        case "k":
        case "ArrowUp":
          if (event.key === "ArrowUp" && !listRef.current?.contains(event.target as Node)) return;
          move(-1);
          break;
        case "/":
          event.preventDefault();
          document.getElementById(h.searchInputId)?.focus();
          break;
        case "n":
          if (h.onNew) {
            event.preventDefault();
            h.onNew();
          }
          break;
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  const showList = wide || !openKey;
  // Beside an open record the list is narrower: columns marked hideOnNarrow step aside.
  const columns = config.columns.filter((c) => (wide && !openKey) || !c.hideOnNarrow);
  const allSelected = keys.length > 0 && keys.every((k) => selected.has(k));
  const noun = config.object.pluralLabel.toLowerCase();

  return (
    <div className="workspace-frame">
      {showList ? toolbar : null}
      <div
        className={`workspace${openKey ? " workspace-open" : ""}${wide && openKey ? " workspace-split" : ""}`}
      >
        {showList ? (
          <section className="workspace-list" aria-label={config.object.pluralLabel}>
            {bulkActions && selected.size > 0 ? (
              <section className="selection-bar" aria-label="Selected">
                <span className="strong">{formatNumber(selected.size)} selected</span>
                {bulkActions([...selected], clear)}
                <button type="button" className="button button-ghost" onClick={clear}>
                  Clear selection
                </button>
              </section>
            ) : null}
            {rows.length === 0 ? (
              empty
            ) : (
              <>
                <div className="table-wrap">
                  <table className="table workspace-table">
                    <caption className="visually-hidden">
                      {config.object.pluralLabel}. Use j and k or the arrow keys to move, Enter to open.
                    </caption>
                    <thead>
                      <tr>
                        {bulkActions ? (
                          <th scope="col" className="cell-check">
                            <input
                              type="checkbox"
                              aria-label={`Select all ${noun} shown`}
                              checked={allSelected}
                              onChange={() => setSelected(allSelected ? new Set() : new Set(keys))}
                            />
                          </th>
                        ) : null}
                        {columns.map((c) => (
                          <th key={c.id} scope="col" className={c.align === "end" ? "align-end" : undefined}>
                            {c.header}
                          </th>
                        ))}
                      </tr>
                    </thead>
                    <tbody ref={listRef}>
                      {rows.map((row) => {
                        const key = config.rowKey(row);
                        const isOpen = key === openKey;
                        return (
                          <tr
                            key={key}
                            data-row-key={key}
                            data-active={key === active ? "true" : undefined}
                            aria-current={isOpen ? "true" : undefined}
                            className={isOpen ? "row-open" : undefined}
                            {...config.rowAttributes?.(row)}
                          >
                            {bulkActions ? (
                              <td className="cell-check">
                                <input
                                  type="checkbox"
                                  aria-label={`Select ${config.rowLabel(row)}`}
                                  checked={selected.has(key)}
                                  onChange={() => {
                                    const next = new Set(selected);
                                    if (next.has(key)) next.delete(key);
                                    else next.add(key);
                                    setSelected(next);
                                  }}
                                />
                              </td>
                            ) : null}
                            {columns.map((c) =>
                              c.rowHeader ? (
                                <th key={c.id} scope="row" className={c.className}>
                                  {c.cell(row)}
                                </th>
                              ) : (
                                <td
                                  key={c.id}
                                  className={[c.className, c.align === "end" ? "align-end" : ""]
                                    .filter(Boolean)
                                    .join(" ")}
                                >
                                  {c.cell(row)}
                                </td>
                              ),
                            )}
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
                <div className="table-footer">
                  <span className="muted small" role="status">
                    {formatNumber(rows.length)} {rows.length === 1 ? config.object.label.toLowerCase() : noun}{" "}
                    shown
                  </span>
                  {pagination.hasNextPage ? (
                    <button
                      type="button"
                      className="button"
                      disabled={pagination.isFetchingNextPage}
                      onClick={() => void pagination.fetchNextPage()}
                    >
                      {pagination.isFetchingNextPage ? <Spinner size={14} /> : null}
                      Load more
                    </button>
                  ) : null}
                </div>
              </>
            )}
          </section>
        ) : null}
        {openKey ? (
          <section className="workspace-detail" aria-label={`${config.object.label} detail`}>
            {!wide ? (
              <button type="button" className="button button-ghost back-button" onClick={onClose}>
                <ArrowLeft size={14} aria-hidden="true" />
                All {noun}
              </button>
            ) : null}
            {detail}
          </section>
        ) : null}
      </div>
    </div>
  );
}

/** The detail pane while it loads. */
export function DetailSkeleton({ label }: { label: string }) {
  return (
    <div className="detail-skeleton" role="status" aria-label={label}>
      <div className="skeleton skeleton-title" />
      <div className="skeleton skeleton-line" />
      <div className="skeleton skeleton-line short" />
      <div className="skeleton skeleton-block" />
    </div>
  );
}
