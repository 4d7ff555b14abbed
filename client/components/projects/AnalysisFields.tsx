import { ArrowDown, ArrowUp, Plus, Trash2 } from "lucide-react";
import type { ReactNode } from "react";
import { FieldErrors, FormField } from "../FormField";
import { type Assignee, AssigneePicker } from "./AssigneePicker";

/** One moment of a post-incident analysis's timeline, as typed (`at` is a `datetime-local` value). */
export interface TimelineDraft {
  key: string;
  at: string;
  note: string;
}

/** One follow-up action of a post-incident analysis; `owner` is a person of the organization. */
export interface ActionDraft {
  key: string;
  description: string;
  owner: Assignee;
  done: boolean;
}

export const rowKey = () => crypto.randomUUID();

function move<T>(rows: readonly T[], from: number, to: number): T[] {
  const next = [...rows];
  const [row] = next.splice(from, 1);
  if (row !== undefined) next.splice(to, 0, row);
  return next;
}

/**
 * An editable list of rows (add, remove, move up and down), each rendered by `children`; field errors are
 * named `<name>.<index>.<field>` as the server names them.
 */
function RowsEditor<T extends { key: string }>({
  legend,
  name,
  rows,
  onChange,
  blank,
  addLabel,
  rowLabel,
  error,
  children,
}: {
  legend: string;
  name: string;
  rows: readonly T[];
  onChange: (rows: T[]) => void;
  blank: () => T;
  addLabel: string;
  rowLabel: (index: number) => string;
  error: unknown;
  children: (row: T, index: number, set: (patch: Partial<T>) => void) => ReactNode;
}) {
  const setRow = (index: number) => (patch: Partial<T>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  return (
    <fieldset className="fieldset fieldset-plain rows-editor">
      <legend>{legend}</legend>
      <FieldErrors error={error} name={name} />
      {rows.length === 0 ? <p className="muted small">Nothing yet.</p> : null}
      <ol className="rows-editor-list">
        {rows.map((row, index) => (
          <li key={row.key} className="rows-editor-row">
            <div className="rows-editor-fields">{children(row, index, setRow(index))}</div>
            <div className="rows-editor-actions">
              <button
                type="button"
                className="icon-button"
                aria-label={`Move ${rowLabel(index)} up`}
                disabled={index === 0}
                onClick={() => onChange(move(rows, index, index - 1))}
              >
                <ArrowUp size={14} aria-hidden="true" />
              </button>
              <button
                type="button"
                className="icon-button"
                aria-label={`Move ${rowLabel(index)} down`}
                disabled={index === rows.length - 1}
                onClick={() => onChange(move(rows, index, index + 1))}
              >
                <ArrowDown size={14} aria-hidden="true" />
              </button>
              <button
                type="button"
                className="icon-button"
                aria-label={`Remove ${rowLabel(index)}`}
                onClick={() => onChange(rows.filter((_, i) => i !== index))}
              >
                <Trash2 size={14} aria-hidden="true" />
              </button>
            </div>
          </li>
        ))}
      </ol>
      <button type="button" className="button" onClick={() => onChange([...rows, blank()])}>
        <Plus size={14} aria-hidden="true" />
        {addLabel}
      </button>
    </fieldset>
  );
}

/** What happened, when: the timeline of a post-incident analysis. */
export function TimelineEditor({
  rows,
  onChange,
  error,
}: {
  rows: readonly TimelineDraft[];
  onChange: (rows: TimelineDraft[]) => void;
  error: unknown;
}) {
  return (
    <RowsEditor
      legend="Timeline"
      name="details.timeline"
      rows={rows}
      onChange={onChange}
      blank={() => ({ key: rowKey(), at: "", note: "" })}
      addLabel="Add a moment"
      rowLabel={(i) => `moment ${i + 1}`}
      error={error}
    >
      {(row, index, set) => (
        <>
          <FormField label={`When (moment ${index + 1})`} name={`details.timeline.${index}.at`} error={error}>
            {(control) => (
              <input
                {...control}
                type="datetime-local"
                className="input"
                required
                value={row.at}
                onChange={(event) => set({ at: event.target.value })}
              />
            )}
          </FormField>
          <FormField
            label={`What happened (moment ${index + 1})`}
            name={`details.timeline.${index}.note`}
            error={error}
          >
            {(control) => (
              <input
                {...control}
                className="input"
                required
                maxLength={2000}
                value={row.note}
                onChange={(event) => set({ note: event.target.value })}
              />
            )}
          </FormField>
        </>
      )}
    </RowsEditor>
  );
}

/** What follows from an analysis: actions with an owner, ticked off when done. */
export function ActionsEditor({
  rows,
  onChange,
  error,
}: {
  rows: readonly ActionDraft[];
  onChange: (rows: ActionDraft[]) => void;
  error: unknown;
}) {
  return (
    <RowsEditor
      legend="Actions"
      name="details.actions"
      rows={rows}
      onChange={onChange}
      blank={() => ({ key: rowKey(), description: "", owner: null, done: false })}
      addLabel="Add an action"
      rowLabel={(i) => `action ${i + 1}`}
      error={error}
    >
      {(row, index, set) => (
        <>
          <FormField
            label={`Action ${index + 1}`}
            name={`details.actions.${index}.description`}
            error={error}
          >
            {(control) => (
              <input
                {...control}
                className="input"
                required
                maxLength={2000}
                value={row.description}
                onChange={(event) => set({ description: event.target.value })}
              />
            )}
          </FormField>
          <FormField
            label={`Owner (action ${index + 1})`}
            name={`details.actions.${index}.ownerId`}
            error={error}
          >
            {(control) => (
              <AssigneePicker
                id={control.id}
                label={`Owner of action ${index + 1}`}
                accepts="user"
                placeholder="No owner"
                noneLabel="No owner"
                value={row.owner}
                onChange={(owner) => set({ owner })}
              />
            )}
          </FormField>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={row.done}
              onChange={(event) => set({ done: event.target.checked })}
            />
            Done
          </label>
        </>
      )}
    </RowsEditor>
  );
}
