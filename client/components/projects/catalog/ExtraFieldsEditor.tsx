import { ArrowDown, ArrowUp, Plus, Trash2 } from "lucide-react";
import { useEffect, useId, useRef, useState } from "react";
import { extraFieldKinds } from "../../../../shared/schemas/issue-extras";
import { fieldErrorsOf } from "../../../lib/errors";
import { FormField } from "../../FormField";
import {
  type ExtraFieldKind,
  emptyField,
  extraFieldKindLabels,
  type FieldDraft,
  keyProblem,
  MAX_EXTRA_FIELDS,
  suggestKey,
} from "./extra-fields";

/** Which control to focus once the list has rendered again (after a move, a removal or an addition). */
type FocusTarget = { uid: string; control: "label" | "up" | "down" | "remove" } | { uid: "add" };

/**
 * The extra fields of a request type: add, remove and reorder them (Move up / Move down buttons), each with
 * a label, a key (suggested from the label until it is edited), a kind, options for a choice and whether it
 * is required. The server's messages for `fields.<n>.<part>` are shown beside that part of the n-th field as
 * it was sent (`submitted` is the order of the rows then), so they follow the field when it is moved.
 */
export function ExtraFieldsEditor({
  fields,
  onChange,
  error,
  submitted,
}: {
  fields: readonly FieldDraft[];
  onChange: (fields: FieldDraft[]) => void;
  /** The failed save, if any. */
  error: unknown;
  /** The rows' uids in the order they were last sent. */
  submitted: readonly string[];
}) {
  const legendId = useId();
  const container = useRef<HTMLFieldSetElement>(null);
  const [focusTarget, setFocusTarget] = useState<FocusTarget | null>(null);
  const [announcement, setAnnouncement] = useState("");
  // Parts of fields changed since the last save (`<uid>.<part>`): the server's messages about them are stale.
  const [changed, setChanged] = useState<ReadonlySet<string>>(() => new Set());
  const serverErrors = fieldErrorsOf(error);
  const listErrors = serverErrors.fields ?? [];

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new save makes every message current again.
  useEffect(() => setChanged(new Set()), [submitted]);

  useEffect(() => {
    if (!focusTarget || !container.current) return;
    const selector =
      focusTarget.uid === "add"
        ? '[data-focus="add"]'
        : `[data-focus="${focusTarget.uid}:${"control" in focusTarget ? focusTarget.control : ""}"]`;
    let element = container.current.querySelector<HTMLElement>(selector);
    // At the top or the bottom the button just used is disabled: the other move button takes the focus.
    if (element instanceof HTMLButtonElement && element.disabled && "control" in focusTarget) {
      const other = focusTarget.control === "up" ? "down" : "up";
      element = container.current.querySelector<HTMLElement>(`[data-focus="${focusTarget.uid}:${other}"]`);
    }
    element?.focus();
    setFocusTarget(null);
  }, [focusTarget]);

  const name = (draft: FieldDraft) => draft.label.trim() || `Field ${fields.indexOf(draft) + 1}`;

  const update = (index: number, patch: Partial<FieldDraft>) => {
    const draft = fields[index];
    if (!draft) return;
    onChange(fields.map((d, i) => (i === index ? { ...d, ...patch } : d)));
    const parts = Object.keys(patch).filter((part) => part !== "keyEdited");
    setChanged((before) => new Set([...before, ...parts.map((part) => `${draft.uid}.${part}`)]));
  };

  const setLabel = (index: number, label: string) => {
    const draft = fields[index];
    if (!draft) return;
    if (draft.keyEdited) return update(index, { label });
    const taken = fields.filter((_, i) => i !== index).map((f) => f.key);
    update(index, { label, key: suggestKey(label, taken) });
  };

  const move = (index: number, by: -1 | 1) => {
    const target = index + by;
    const draft = fields[index];
    if (!draft || target < 0 || target >= fields.length) return;
    const next = [...fields];
    next.splice(index, 1);
    next.splice(target, 0, draft);
    onChange(next);
    setFocusTarget({ uid: draft.uid, control: by < 0 ? "up" : "down" });
    setAnnouncement(`${name(draft)} moved to position ${target + 1} of ${fields.length}.`);
  };

  const remove = (index: number) => {
    const draft = fields[index];
    if (!draft) return;
    const next = fields.filter((_, i) => i !== index);
    onChange(next);
    const neighbour = next[index] ?? next[index - 1];
    setFocusTarget(neighbour ? { uid: neighbour.uid, control: "remove" } : { uid: "add" });
    setAnnouncement(`${name(draft)} removed.`);
  };

  const add = () => {
    const draft = emptyField();
    onChange([...fields, draft]);
    setFocusTarget({ uid: draft.uid, control: "label" });
    setAnnouncement(`Field ${fields.length + 1} added.`);
  };

  return (
    <fieldset className="fieldset extra-fields" ref={container} aria-describedby={`${legendId}-hint`}>
      <legend>Extra fields</legend>
      <p id={`${legendId}-hint`} className="field-hint">
        What people are asked for when they file this type of request, in this order (at most{" "}
        {MAX_EXTRA_FIELDS}).
      </p>
      {listErrors.length > 0 ? (
        <ul className="field-errors" role="alert">
          {listErrors.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      ) : null}
      {fields.length === 0 ? (
        <p className="muted small">No extra fields: people fill in only the issue's own fields.</p>
      ) : (
        <ol className="extra-field-list">
          {fields.map((draft, index) => (
            <li key={draft.uid}>
              <FieldRow
                draft={draft}
                index={index}
                count={fields.length}
                sentAs={submitted.indexOf(draft.uid)}
                error={error}
                changed={changed}
                onLabel={(label) => setLabel(index, label)}
                onChange={(patch) => update(index, patch)}
                onMove={(by) => move(index, by)}
                onRemove={() => remove(index)}
              />
            </li>
          ))}
        </ol>
      )}
      <div>
        <button
          type="button"
          className="button"
          onClick={add}
          disabled={fields.length >= MAX_EXTRA_FIELDS}
          data-focus="add"
        >
          <Plus size={14} aria-hidden="true" />
          Add field
        </button>
      </div>
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
    </fieldset>
  );
}

/** What the server said about `name` (or a part of it). */
function serverMessages(error: unknown, name: string): string[] {
  return Object.entries(fieldErrorsOf(error))
    .filter(([key]) => key === name || key.startsWith(`${name}.`))
    .flatMap(([, messages]) => messages);
}

function FieldRow({
  draft,
  index,
  count,
  sentAs,
  error,
  changed,
  onLabel,
  onChange,
  onMove,
  onRemove,
}: {
  draft: FieldDraft;
  index: number;
  count: number;
  /** The row's position when the form was last sent; -1 if it was added since. */
  sentAs: number;
  error: unknown;
  /** Parts changed since the last save (`<uid>.<part>`). */
  changed: ReadonlySet<string>;
  onLabel: (label: string) => void;
  onChange: (patch: Partial<FieldDraft>) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const requiredId = useId();
  const prefix = sentAs >= 0 ? `fields.${sentAs}` : `fields.unsent-${draft.uid}`;
  const rowError = sentAs >= 0 ? error : undefined;
  /** The failed save, for a part whose value is still the one sent. */
  const errorFor = (part: keyof FieldDraft) => (changed.has(`${draft.uid}.${part}`) ? undefined : rowError);
  const number = index + 1;
  const problem = keyProblem(draft.key);
  // The same check as the server's: said as the key is typed, and once when the server says it too.
  const keyErrors =
    problem && !serverMessages(errorFor("key"), `${prefix}.key`).includes(problem) ? [problem] : [];
  const rowMessages = fieldErrorsOf(rowError)[prefix] ?? [];

  return (
    <fieldset className="extra-field" data-field-key={draft.key || undefined}>
      <legend className="extra-field-legend">
        Field {number}
        {draft.label.trim() ? `: ${draft.label.trim()}` : ""}
      </legend>
      <div className="extra-field-tools">
        <button
          type="button"
          className="icon-button"
          aria-label={`Move field ${number} up`}
          title="Move up"
          disabled={index === 0}
          onClick={() => onMove(-1)}
          data-focus={`${draft.uid}:up`}
        >
          <ArrowUp size={14} aria-hidden="true" />
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label={`Move field ${number} down`}
          title="Move down"
          disabled={index === count - 1}
          onClick={() => onMove(1)}
          data-focus={`${draft.uid}:down`}
        >
          <ArrowDown size={14} aria-hidden="true" />
        </button>
        <button
          type="button"
          className="icon-button icon-button-danger"
          aria-label={`Remove field ${number}`}
          title="Remove"
          onClick={onRemove}
          data-focus={`${draft.uid}:remove`}
        >
          <Trash2 size={14} aria-hidden="true" />
        </button>
      </div>
      {rowMessages.length > 0 ? (
        <ul className="field-errors" role="alert">
          {rowMessages.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      ) : null}
      <div className="form-grid">
        <FormField label="Label" name={`${prefix}.label`} error={errorFor("label")}>
          {(control) => (
            <input
              {...control}
              className="input"
              value={draft.label}
              maxLength={100}
              onChange={(event) => onLabel(event.target.value)}
              data-focus={`${draft.uid}:label`}
            />
          )}
        </FormField>
        <FormField
          label="Key"
          name={`${prefix}.key`}
          error={errorFor("key")}
          errors={keyErrors}
          hint="Where the answer is stored: lower-case letters, digits and _."
        >
          {(control) => (
            <input
              {...control}
              className="input mono"
              value={draft.key}
              maxLength={40}
              autoComplete="off"
              spellCheck={false}
              onChange={(event) => onChange({ key: event.target.value, keyEdited: true })}
            />
          )}
        </FormField>
      </div>
      <div className="form-grid extra-field-kind">
        <FormField label="Kind" name={`${prefix}.kind`} error={errorFor("kind")}>
          {(control) => (
            <select
              {...control}
              className="input select select-block"
              value={draft.kind}
              onChange={(event) => onChange({ kind: event.target.value as ExtraFieldKind })}
            >
              {extraFieldKinds.map((kind) => (
                <option key={kind} value={kind}>
                  {extraFieldKindLabels[kind]}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <div className="checkbox-row extra-field-required">
          <input
            id={requiredId}
            type="checkbox"
            className="checkbox"
            checked={draft.required}
            onChange={(event) => onChange({ required: event.target.checked })}
          />
          <label htmlFor={requiredId}>Required</label>
        </div>
      </div>
      {draft.kind === "select" ? (
        <FormField
          label="Options"
          name={`${prefix}.options`}
          error={errorFor("options")}
          hint="One choice per line."
        >
          {(control) => (
            <textarea
              {...control}
              className="input textarea"
              rows={4}
              value={draft.options}
              onChange={(event) => onChange({ options: event.target.value })}
            />
          )}
        </FormField>
      ) : null}
    </fieldset>
  );
}
