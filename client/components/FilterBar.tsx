import { FilterX, Search } from "lucide-react";
import { type ReactNode, useEffect, useId, useRef, useState } from "react";

export interface FilterOption {
  value: string;
  label: string;
}

/** One filter of a FilterBar; `key` is its URL search parameter. */
export type FilterDef =
  | { kind: "search"; key: string; label: string; placeholder?: string; inputId?: string }
  | { kind: "text"; key: string; label: string; placeholder?: string; suggestions?: readonly string[] }
  | { kind: "select"; key: string; label: string; options: readonly FilterOption[]; allLabel?: string }
  | { kind: "date"; key: string; label: string };

export type FilterValues = Record<string, string | undefined>;

/** Typing waits for a pause before the address (and so the list) changes. */
const TYPING_DELAY_MS = 250;

function TypedFilter({
  filter,
  value,
  onCommit,
}: {
  filter: Extract<FilterDef, { kind: "search" | "text" }>;
  value: string | undefined;
  onCommit: (value: string | undefined) => void;
}) {
  const generatedId = useId();
  const id = (filter.kind === "search" ? filter.inputId : undefined) ?? generatedId;
  const listId = useId();
  const [draft, setDraft] = useState(value ?? "");
  const committed = useRef(value ?? "");
  const commitRef = useRef(onCommit);
  commitRef.current = onCommit;

  // The address changed from outside (back button, a link, "Clear filters"): show its value.
  useEffect(() => {
    if ((value ?? "") !== committed.current) {
      committed.current = value ?? "";
      setDraft(value ?? "");
    }
  }, [value]);

  useEffect(() => {
    const next = draft.trim();
    if (next === committed.current.trim()) return;
    const timer = setTimeout(() => {
      committed.current = next;
      commitRef.current(next || undefined);
    }, TYPING_DELAY_MS);
    return () => clearTimeout(timer);
  }, [draft]);

  if (filter.kind === "search") {
    return (
      <div className="search-field">
        <label htmlFor={id} className="visually-hidden">
          {filter.label}
        </label>
        <Search size={14} aria-hidden="true" className="search-field-icon" />
        <input
          id={id}
          type="search"
          className="input"
          placeholder={filter.placeholder}
          value={draft}
          maxLength={100}
          onChange={(event) => setDraft(event.target.value)}
        />
      </div>
    );
  }
  return (
    <div className="select-field">
      <label htmlFor={id}>{filter.label}</label>
      <input
        id={id}
        className="input input-narrow"
        placeholder={filter.placeholder}
        value={draft}
        maxLength={100}
        list={filter.suggestions ? listId : undefined}
        onChange={(event) => setDraft(event.target.value)}
      />
      {filter.suggestions ? (
        <datalist id={listId}>
          {filter.suggestions.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      ) : null}
    </div>
  );
}

function SelectFilter({
  filter,
  value,
  onCommit,
}: {
  filter: Extract<FilterDef, { kind: "select" }>;
  value: string | undefined;
  onCommit: (value: string | undefined) => void;
}) {
  const id = useId();
  return (
    <div className="select-field">
      <label htmlFor={id}>{filter.label}</label>
      <select
        id={id}
        className="input select"
        value={value ?? ""}
        onChange={(event) => onCommit(event.target.value || undefined)}
      >
        <option value="">{filter.allLabel ?? "All"}</option>
        {filter.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function DateFilter({
  filter,
  value,
  onCommit,
}: {
  filter: Extract<FilterDef, { kind: "date" }>;
  value: string | undefined;
  onCommit: (value: string | undefined) => void;
}) {
  const id = useId();
  return (
    <div className="select-field">
      <label htmlFor={id}>{filter.label}</label>
      <input
        id={id}
        type="date"
        className="input input-date"
        value={value ?? ""}
        onChange={(event) => onCommit(event.target.value || undefined)}
      />
    </div>
  );
}

/**
 * Filters of a list, bound to the URL's search parameters by the page: `values` are the parsed search
 * params, `onChange` writes a patch back (the page navigates with `replace`). So a filtered list can be
 * shared and survives a reload.
 */
export function FilterBar({
  filters,
  values,
  onChange,
  actions,
  label = "Filters",
}: {
  filters: readonly FilterDef[];
  values: FilterValues;
  onChange: (patch: FilterValues) => void;
  /** Buttons at the end of the bar (export, …). */
  actions?: ReactNode;
  label?: string;
}) {
  const active = filters.some((filter) => values[filter.key] !== undefined && values[filter.key] !== "");
  const clear = () => onChange(Object.fromEntries(filters.map((filter) => [filter.key, undefined])));
  return (
    <search className="toolbar filter-bar" aria-label={label}>
      {filters.map((filter) => {
        const commit = (value: string | undefined) => onChange({ [filter.key]: value });
        switch (filter.kind) {
          case "search":
          case "text":
            return (
              <TypedFilter key={filter.key} filter={filter} value={values[filter.key]} onCommit={commit} />
            );
          case "select":
            return (
              <SelectFilter key={filter.key} filter={filter} value={values[filter.key]} onCommit={commit} />
            );
          case "date":
            return (
              <DateFilter key={filter.key} filter={filter} value={values[filter.key]} onCommit={commit} />
            );
          default:
            return null;
        }
      })}
      {active ? (
        <button type="button" className="button button-ghost" onClick={clear}>
          <FilterX size={14} aria-hidden="true" />
          Clear filters
        </button>
      ) : null}
      {actions ? <div className="toolbar-actions">{actions}</div> : null}
    </search>
  );
}
