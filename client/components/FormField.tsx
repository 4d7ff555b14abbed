import { TriangleAlert } from "lucide-react";
import { type ReactNode, useId } from "react";
import { fieldErrorsOf, isCancelled, messageOf, requestIdOf } from "../lib/errors";

/** What a FormField hands its control, so label, hint and errors are wired to it. */
export interface ControlProps {
  id: string;
  name: string;
  "aria-invalid": boolean | undefined;
  "aria-describedby": string | undefined;
}

/**
 * A labelled form control with a hint and the server's messages for it: pass the failed request's `error`
 * and the field's `name` as the server names it (`email`, `security.allowedDomains`), and any
 * `fieldErrors` it carried for that name are shown under the control and announced.
 */
export function FormField({
  label,
  name,
  error,
  errors,
  hint,
  children,
  className,
}: {
  label: ReactNode;
  name: string;
  /** A failed request: its fieldErrors for `name` are shown. */
  error?: unknown;
  /** Messages of the client's own checks. */
  errors?: readonly string[];
  hint?: ReactNode;
  children: (control: ControlProps) => ReactNode;
  className?: string;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const fromServer = error ? matchingFieldErrors(error, name) : [];
  const messages = [...(errors ?? []), ...fromServer];
  const describedBy = [hint ? hintId : null, messages.length > 0 ? errorId : null].filter(Boolean).join(" ");
  return (
    <div className={className ? `field ${className}` : "field"}>
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        name,
        "aria-invalid": messages.length > 0 || undefined,
        "aria-describedby": describedBy || undefined,
      })}
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      {messages.length > 0 ? (
        <ul id={errorId} className="field-errors">
          {messages.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** The server's messages for a group of controls without one label (a fieldset of checkboxes). */
export function FieldErrors({ error, name }: { error: unknown; name: string }) {
  const messages = error ? matchingFieldErrors(error, name) : [];
  if (messages.length === 0) return null;
  return (
    <ul className="field-errors" role="alert">
      {messages.map((message) => (
        <li key={message}>{message}</li>
      ))}
    </ul>
  );
}

/** Messages for `name` and its sub-fields (`allowedDomains` also matches `allowedDomains.2`). */
function matchingFieldErrors(error: unknown, name: string): string[] {
  const all = fieldErrorsOf(error);
  return Object.entries(all)
    .filter(([key]) => key === name || key.startsWith(`${name}.`))
    .flatMap(([, messages]) => messages);
}

/**
 * The message of a failed request, above a form's buttons; nothing for a cancelled one, nor when every
 * field the server complained about is one of `fields` (their FormFields already say it).
 */
export function FormError({
  error,
  title,
  fields,
}: {
  error: unknown;
  title?: string;
  fields?: readonly string[];
}) {
  if (!error || isCancelled(error)) return null;
  if (fields) {
    const keys = Object.keys(fieldErrorsOf(error));
    const shown = (key: string) => fields.some((name) => key === name || key.startsWith(`${name}.`));
    if (keys.length > 0 && keys.every(shown)) return null;
  }
  const requestId = requestIdOf(error);
  return (
    <div className="notice notice-danger" role="alert">
      <TriangleAlert size={16} aria-hidden="true" />
      <div>
        {title ? <p className="strong">{title}</p> : null}
        <p>{messageOf(error)}</p>
        {requestId ? <p className="small muted-danger">Reference: {requestId}</p> : null}
      </div>
    </div>
  );
}
