import { type QueryFilters, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { DialogCancel, DialogFooter, Modal } from "./Dialogs";
import { FormError, FormField } from "./FormField";
import { notify } from "./Toast";
import { Spinner } from "./ui";

/** A dialog's open state: controlled by the caller (`open`, `onOpenChange`) or kept here. */
export interface DialogState {
  isOpen: boolean;
  setOpen: (open: boolean) => void;
}

export function useDialogState(open?: boolean, onOpenChange?: (open: boolean) => void): DialogState {
  const [internal, setInternal] = useState(false);
  return {
    isOpen: open ?? internal,
    setOpen: (next) => {
      setInternal(next);
      onOpenChange?.(next);
    },
  };
}

/**
 * The open state of a dialog that creates or edits a record, and what to do once it saved: refresh the
 * queries `invalidate` names, close, and say so ("Project created", with `describe(record)`).
 */
export function useRecordDialog<T>(options: {
  open?: boolean | undefined;
  onOpenChange?: ((open: boolean) => void) | undefined;
  noun: string;
  invalidate: QueryFilters;
  describe: (record: T) => string;
}) {
  const queryClient = useQueryClient();
  const state = useDialogState(options.open, options.onOpenChange);
  const saved = (verb: "created" | "saved") => (record: T) => {
    void queryClient.invalidateQueries(options.invalidate);
    state.setOpen(false);
    notify(`${options.noun} ${verb}`, { description: options.describe(record) });
  };
  return { state, saved };
}

/** What a FormDialog needs of the mutation it submits (a TanStack Query mutation result fits). */
interface Submission {
  isPending: boolean;
  error: unknown;
  reset: () => void;
}

/**
 * A dialog holding one form that creates or edits a record: opening it clears the last attempt's errors
 * (and calls `onOpen`), the server's messages for `fields` appear beside them and any other above the
 * buttons, and the submit button shows progress. The caller closes it (`state.setOpen(false)`) on success.
 */
export function FormDialog({
  state,
  trigger,
  title,
  formKey,
  submission,
  fields,
  submitLabel,
  onOpen,
  onSubmit,
  children,
}: {
  state: DialogState;
  trigger?: ReactNode;
  title: ReactNode;
  /** Changes when the record does, so uncontrolled inputs start from its values. */
  formKey: string;
  submission: Submission;
  fields: readonly string[];
  submitLabel: string;
  onOpen?: () => void;
  onSubmit: (form: FormData) => void;
  children: ReactNode;
}) {
  return (
    <Modal
      open={state.isOpen}
      onOpenChange={(next) => {
        state.setOpen(next);
        if (next) {
          submission.reset();
          onOpen?.();
        }
      }}
      trigger={trigger}
      title={title}
    >
      <form
        className="form"
        key={formKey}
        onSubmit={(event: FormEvent<HTMLFormElement>) => {
          event.preventDefault();
          onSubmit(new FormData(event.currentTarget));
        }}
      >
        {children}
        <FormError error={submission.error} fields={fields} />
        <DialogFooter>
          <DialogCancel />
          <button type="submit" className="button button-primary" disabled={submission.isPending}>
            {submission.isPending ? <Spinner size={14} /> : null}
            {submitLabel}
          </button>
        </DialogFooter>
      </form>
    </Modal>
  );
}

/** A form's text value, trimmed; null when blank (clears an optional field). */
export const optionalText = (form: FormData, name: string): string | null =>
  String(form.get(name) ?? "").trim() || null;

/**
 * The name and description of a record (a group, a category, a project): the name required, the
 * description optional; each shows the server's messages for it.
 */
export function NameDescriptionFields({
  error,
  name,
  description,
  nameHint,
  nameMaxLength = 100,
  descriptionMaxLength = 2000,
  autoFocus = true,
}: {
  error: unknown;
  name: string | undefined;
  description: string | null | undefined;
  nameHint?: ReactNode;
  nameMaxLength?: number;
  descriptionMaxLength?: number;
  autoFocus?: boolean;
}) {
  return (
    <>
      <FormField label="Name" name="name" error={error} hint={nameHint}>
        {(control) => (
          <input
            {...control}
            className="input"
            required
            maxLength={nameMaxLength}
            defaultValue={name ?? ""}
            // biome-ignore lint/a11y/noAutofocus: the dialog's first field.
            autoFocus={autoFocus}
          />
        )}
      </FormField>
      <FormField label="Description" name="description" error={error} hint="Optional.">
        {(control) => (
          <textarea
            {...control}
            className="input textarea"
            rows={3}
            maxLength={descriptionMaxLength}
            defaultValue={description ?? ""}
          />
        )}
      </FormField>
    </>
  );
}
