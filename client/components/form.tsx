import { createFormHook, createFormHookContexts, revalidateLogic } from "@tanstack/react-form";
import {
  createContext,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useContext,
} from "react";
import { z } from "zod/mini";
import { FormField } from "./FormField";

/**
 * The one way Nexus does forms (ADR 0017): TanStack Form holds the values, a zod schema (Standard Schema)
 * checks them — on submit, then again on each change once a submit has failed — and the server's field
 * errors for the same names show beside the same controls. Fields read their form from context, so a form
 * is `useAppForm` + `<form.AppForm>` + the fields below.
 */
export const { fieldContext, formContext, useFieldContext, useFormContext } = createFormHookContexts();

export const { useAppForm } = createFormHook({
  fieldContext,
  formContext,
  fieldComponents: {},
  formComponents: {},
});

/** A form's validation: the schema on submit, then on every change after a failed submit. */
export const checkedWith = <S extends z.ZodMiniType>(schema: S) => ({
  validationLogic: revalidateLogic(),
  validators: { onDynamic: schema },
});

/** A required line of text: trimmed, at most `max` characters. */
export const requiredText = (max: number, message = "Enter a name.") =>
  z.string().check(z.trim(), z.minLength(1, message), z.maxLength(max, `At most ${max} characters.`));

/** An optional text: trimmed; blank reads as null (clears the field). */
export const optionalText = (max: number) =>
  z.pipe(
    z.string().check(z.trim(), z.maxLength(max, `At most ${max} characters.`)),
    z.transform((value: string) => value || null),
  );

const ServerErrorContext = createContext<unknown>(null);

/** The failed request whose field errors the fields inside show beside themselves (by field name). */
export function ServerErrors({ error, children }: { error: unknown; children: ReactNode }) {
  return <ServerErrorContext.Provider value={error}>{children}</ServerErrorContext.Provider>;
}

/** The messages of a field's failed checks (Standard Schema issues or plain strings). */
export function messagesOf(errors: readonly unknown[]): string[] {
  return errors.flatMap((error) => {
    if (typeof error === "string") return [error];
    if (error && typeof error === "object" && "message" in error && typeof error.message === "string") {
      return [error.message];
    }
    return [];
  });
}

/**
 * One field of the surrounding form, drawn by `children` with its value and setter, labelled, with its
 * hint, the schema's messages and the server's (for `name`, as the server names it).
 */
export function FormValue<V>({
  name,
  label,
  hint,
  className,
  children,
}: {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  className?: string;
  children: (field: {
    control: {
      id: string;
      name: string;
      "aria-invalid": boolean | undefined;
      "aria-describedby": string | undefined;
    };
    value: V;
    setValue: (value: V) => void;
    onBlur: () => void;
  }) => ReactNode;
}) {
  const form = useFormContext();
  const serverError = useContext(ServerErrorContext);
  return (
    <form.Field name={name as never}>
      {(field) => (
        <FormField
          label={label}
          name={name}
          error={serverError}
          errors={messagesOf(field.state.meta.errors)}
          hint={hint}
          className={className}
        >
          {(control) =>
            children({
              control,
              value: field.state.value as V,
              setValue: (value) => field.handleChange(value as never),
              onBlur: field.handleBlur,
            })
          }
        </FormField>
      )}
    </form.Field>
  );
}

type InputProps = Omit<
  InputHTMLAttributes<HTMLInputElement>,
  "name" | "value" | "onChange" | "onBlur" | "id"
>;

/** A text input field of the surrounding form. */
export function TextField({
  name,
  label,
  hint,
  ...input
}: InputProps & { name: string; label: ReactNode; hint?: ReactNode }) {
  return (
    <FormValue<string> name={name} label={label} hint={hint}>
      {({ control, value, setValue, onBlur }) => (
        <input
          className="input"
          {...input}
          {...control}
          value={value}
          onChange={(event) => setValue(event.target.value)}
          onBlur={onBlur}
        />
      )}
    </FormValue>
  );
}

type TextAreaProps = Omit<
  TextareaHTMLAttributes<HTMLTextAreaElement>,
  "name" | "value" | "onChange" | "onBlur" | "id"
>;

/** A multi-line text field of the surrounding form. */
export function TextAreaField({
  name,
  label,
  hint,
  ...textarea
}: TextAreaProps & { name: string; label: ReactNode; hint?: ReactNode }) {
  return (
    <FormValue<string> name={name} label={label} hint={hint}>
      {({ control, value, setValue, onBlur }) => (
        <textarea
          className="input textarea"
          {...textarea}
          {...control}
          value={value}
          onChange={(event) => setValue(event.target.value)}
          onBlur={onBlur}
        />
      )}
    </FormValue>
  );
}

type SelectProps = Omit<
  SelectHTMLAttributes<HTMLSelectElement>,
  "name" | "value" | "onChange" | "onBlur" | "id"
>;

/** A choice from a list (`children` are its options) in the surrounding form. */
export function SelectField({
  name,
  label,
  hint,
  children,
  ...select
}: SelectProps & { name: string; label: ReactNode; hint?: ReactNode; children: ReactNode }) {
  return (
    <FormValue<string> name={name} label={label} hint={hint}>
      {({ control, value, setValue, onBlur }) => (
        <select
          className="input select select-block"
          {...select}
          {...control}
          value={value}
          onChange={(event) => setValue(event.target.value)}
          onBlur={onBlur}
        >
          {children}
        </select>
      )}
    </FormValue>
  );
}
