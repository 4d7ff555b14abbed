import { type QueryFilters, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from "react";
import { z } from "zod/mini";
import { DialogCancel, DialogFooter, Modal } from "./Dialogs";
import { FormError } from "./FormField";
import {
  checkedWith,
  optionalText,
  requiredText,
  ServerErrors,
  TextAreaField,
  TextField,
  useAppForm,
} from "./form";
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

/** A schema of a form's values (what the controls hold) and what they mean once checked. */
type FormSchema<Values, Output> = z.ZodMiniType<Output, Values>;

/**
 * A dialog holding one form that creates or edits a record (ADR 0017): each time it opens, the values start
 * from `defaultValues` and the last attempt's errors are cleared; `schema` checks the values before
 * `onSubmit` gets what they mean (trimmed, blanks as null); the server's messages for a field appear beside
 * it and any other above the buttons; the submit button shows progress. The caller closes it
 * (`state.setOpen(false)`) on success.
 */
export function FormDialog<Values extends Record<string, unknown>, Output>({
  state,
  trigger,
  title,
  description,
  formKey,
  submission,
  submitLabel,
  submitIcon,
  schema,
  defaultValues,
  onSubmit,
  children,
}: {
  state: DialogState;
  trigger?: ReactNode;
  title: ReactNode;
  description?: ReactNode;
  /** Changes when the record does, so the form starts from its values. */
  formKey: string;
  submission: Submission;
  submitLabel: string;
  /** Beside the submit button's words while it is not busy. */
  submitIcon?: ReactNode;
  schema: FormSchema<Values, Output>;
  defaultValues: Values;
  onSubmit: (values: Output) => void;
  children: ReactNode;
}) {
  return (
    <Modal
      open={state.isOpen}
      onOpenChange={(next) => {
        if (next) submission.reset();
        state.setOpen(next);
      }}
      trigger={trigger}
      title={title}
      description={description}
    >
      {/* The dialog's content mounts each time it opens: the form starts afresh from `defaultValues`. */}
      <DialogForm
        key={formKey}
        submission={submission}
        submitLabel={submitLabel}
        submitIcon={submitIcon}
        schema={schema}
        defaultValues={defaultValues}
        onSubmit={onSubmit}
      >
        {children}
      </DialogForm>
    </Modal>
  );
}

function DialogForm<Values extends Record<string, unknown>, Output>({
  submission,
  submitLabel,
  submitIcon,
  schema,
  defaultValues,
  onSubmit,
  children,
}: {
  submission: Submission;
  submitLabel: string;
  submitIcon?: ReactNode;
  schema: FormSchema<Values, Output>;
  defaultValues: Values;
  onSubmit: (values: Output) => void;
  children: ReactNode;
}) {
  const form = useAppForm({
    defaultValues,
    ...checkedWith(schema),
    onSubmit: ({ value }) => onSubmit(z.parse(schema, value)),
  });
  // Opening clears the last attempt's errors (however the dialog was opened).
  const reset = useRef(submission.reset);
  useEffect(() => reset.current(), []);
  return (
    <form.AppForm>
      <form
        className="form"
        onSubmit={(event: FormEvent<HTMLFormElement>) => {
          event.preventDefault();
          event.stopPropagation();
          void form.handleSubmit();
        }}
      >
        <ServerErrors error={submission.error}>{children}</ServerErrors>
        <FormError error={submission.error} fields={Object.keys(defaultValues)} />
        <DialogFooter>
          <DialogCancel />
          <button type="submit" className="button button-primary" disabled={submission.isPending}>
            {submission.isPending ? <Spinner size={14} /> : (submitIcon ?? null)}
            {submitLabel}
          </button>
        </DialogFooter>
      </form>
    </form.AppForm>
  );
}

/** The values of a record's name and description, as NameDescriptionFields edits them. */
export const nameDescription = (nameMax = 100, descriptionMax = 2000) => ({
  name: requiredText(nameMax),
  description: optionalText(descriptionMax),
});

/**
 * The name and description of a record (a group, a category, a project) in the surrounding form: the name
 * required, the description optional; each shows its own and the server's messages.
 */
export function NameDescriptionFields({
  nameHint,
  nameMaxLength = 100,
  descriptionMaxLength = 2000,
  autoFocus = true,
}: {
  nameHint?: ReactNode;
  nameMaxLength?: number;
  descriptionMaxLength?: number;
  autoFocus?: boolean;
}) {
  return (
    <>
      <TextField
        name="name"
        label="Name"
        hint={nameHint}
        required
        maxLength={nameMaxLength}
        autoFocus={autoFocus}
      />
      <TextAreaField
        name="description"
        label="Description"
        hint="Optional."
        rows={3}
        maxLength={descriptionMaxLength}
      />
    </>
  );
}
