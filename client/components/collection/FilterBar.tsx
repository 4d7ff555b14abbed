import { useForm } from "@tanstack/react-form";
import { FilterX, Search, SlidersHorizontal } from "lucide-react";
import { type ReactNode, useEffect, useId, useRef, useState } from "react";
import { z } from "zod/mini";
import {
  activeFilterCount,
  type FilterDecl,
  type FilterOption,
  filterValueSchema,
  isFiltered,
} from "../../lib/collection";

export type FilterValues = Record<string, string | undefined>;

/** Typing waits for a pause before the address (and so the list) changes. */
const TYPING_DELAY_MS = 250;

const asText = (value: unknown): string =>
  value === undefined || value === null ? "" : typeof value === "string" ? value : String(value);

/** A filter's value as the form holds it: text, "" for absent, checked against the declaration. */
const fieldSchema = (filter: FilterDecl) =>
  z.union([z.literal(""), filterValueSchema(filter)]) as z.ZodMiniType<string, string>;

/**
 * The filters of a collection, bound to the URL's search parameters by the page: `values` are the parsed
 * search, `onChange` writes a patch back (the page navigates with `replace`), so a filtered list can be
 * shared and survives a reload. The controls are one form (TanStack Form, each value checked with its
 * declaration's zod schema); typed text reaches the address once the user pauses. On narrow screens
 * everything but the search box folds behind one "Filters" button, so the rows come first.
 */
export function FilterBar({
  filters,
  values,
  onChange,
  actions,
  options,
  label = "Filters",
}: {
  filters: readonly FilterDecl[];
  values: Readonly<Record<string, unknown>>;
  onChange: (patch: FilterValues) => void;
  /** Buttons at the end of the bar (saved filters, export…). */
  actions?: ReactNode;
  /** The choices of `lookup` filters, known only now (projects, schools, people), by filter key. */
  options?: Readonly<Record<string, readonly FilterOption[]>>;
  label?: string;
}) {
  const panelId = useId();
  const [open, setOpen] = useState(false);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  // What the address says, as last seen or written: the form follows it when it changes from outside.
  const committed = useRef<Record<string, string>>({});
  const form = useForm({
    defaultValues: Object.fromEntries(filters.map((f) => [f.key, asText(values[f.key])])) as Record<
      string,
      string
    >,
  });

  // The address changed from outside (back button, a link, "Clear filters", a saved filter): show it.
  useEffect(() => {
    for (const filter of filters) {
      const value = asText(values[filter.key]);
      if (committed.current[filter.key] === value) continue;
      committed.current[filter.key] = value;
      if (form.getFieldValue(filter.key).trim() !== value) {
        form.setFieldValue(filter.key, value, { dontRunListeners: true });
      }
    }
  }, [filters, values, form]);

  const commit = (filter: FilterDecl, raw: string) => {
    const value = raw.trim();
    if ((committed.current[filter.key] ?? "") === value) return;
    if (!fieldSchema(filter).safeParse(value).success) return;
    committed.current[filter.key] = value;
    onChangeRef.current({ [filter.key]: value || undefined });
  };

  const control = (filter: FilterDecl) => (
    <form.Field
      key={filter.key}
      name={filter.key}
      validators={{ onChange: fieldSchema(filter) }}
      listeners={{
        onChange: ({ value }) => commit(filter, value),
        ...(filter.kind === "search" || filter.kind === "text"
          ? { onChangeDebounceMs: TYPING_DELAY_MS }
          : {}),
      }}
    >
      {(field) => (
        <FilterControl
          filter={filter}
          value={field.state.value}
          invalid={field.state.meta.errors.length > 0}
          options={options?.[filter.key]}
          onChange={(value) => field.handleChange(value)}
        />
      )}
    </form.Field>
  );

  const searches = filters.filter((f) => f.kind === "search");
  const others = filters.filter((f) => f.kind !== "search");
  const count = activeFilterCount(filters, values);
  const clear = () => onChange(Object.fromEntries(filters.map((filter) => [filter.key, undefined])));

  return (
    <search className="toolbar filter-bar" aria-label={label} data-open={open ? "true" : undefined}>
      {searches.map(control)}
      {others.length > 0 || actions ? (
        <button
          type="button"
          className="button filter-toggle"
          aria-expanded={open}
          aria-controls={panelId}
          onClick={() => setOpen((now) => !now)}
        >
          <SlidersHorizontal size={14} aria-hidden="true" />
          Filters
          {count > 0 ? (
            <span className="filter-count">
              {count}
              <span className="visually-hidden"> set</span>
            </span>
          ) : null}
        </button>
      ) : null}
      <div id={panelId} className="filter-panel">
        {others.map(control)}
        {isFiltered(filters, values) ? (
          <button type="button" className="button button-ghost" onClick={clear}>
            <FilterX size={14} aria-hidden="true" />
            Clear filters
          </button>
        ) : null}
        {actions ? <div className="toolbar-actions">{actions}</div> : null}
      </div>
    </search>
  );
}

function FilterControl({
  filter,
  value,
  invalid,
  options,
  onChange,
}: {
  filter: FilterDecl;
  value: string;
  invalid: boolean;
  options: readonly FilterOption[] | undefined;
  onChange: (value: string) => void;
}) {
  const generatedId = useId();
  const listId = useId();
  const id = (filter.kind === "search" ? filter.inputId : undefined) ?? generatedId;
  const common = { id, value, "aria-invalid": invalid || undefined };
  switch (filter.kind) {
    case "search":
      return (
        <div className="search-field">
          <label htmlFor={id} className="visually-hidden">
            {filter.label}
          </label>
          <Search size={14} aria-hidden="true" className="search-field-icon" />
          <input
            {...common}
            type="search"
            className="input"
            placeholder={filter.placeholder}
            maxLength={filter.maxLength ?? 100}
            onChange={(event) => onChange(event.target.value)}
          />
        </div>
      );
    case "text":
      return (
        <div className="select-field">
          <label htmlFor={id}>{filter.label}</label>
          <input
            {...common}
            className="input input-narrow"
            placeholder={filter.placeholder}
            maxLength={filter.maxLength ?? 100}
            list={filter.suggestions ? listId : undefined}
            onChange={(event) => onChange(event.target.value)}
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
    case "select":
    case "lookup": {
      const initial =
        filter.kind === "select" && filter.initial
          ? filter.options.find((o) => o.value === filter.initial)
          : undefined;
      const choices =
        filter.kind === "select" ? filter.options.filter((o) => o.value !== initial?.value) : (options ?? []);
      return (
        <div className="select-field">
          <label htmlFor={id}>{filter.label}</label>
          <select {...common} className="input select" onChange={(event) => onChange(event.target.value)}>
            <option value="">{initial?.label ?? filter.allLabel ?? "All"}</option>
            {choices.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
      );
    }
    case "date":
      return (
        <div className="select-field">
          <label htmlFor={id}>{filter.label}</label>
          <input
            {...common}
            type="date"
            className="input input-date"
            onChange={(event) => onChange(event.target.value)}
          />
        </div>
      );
  }
}
