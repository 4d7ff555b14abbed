import { X } from "lucide-react";
import { AlertDialog, Dialog } from "radix-ui";
import { type FormEvent, type ReactNode, useEffect, useId, useState } from "react";
import { FormError } from "./FormField";
import { notify } from "./Toast";
import { Spinner } from "./ui";

/**
 * A dialog holding a form or a result. Controlled (`open`, `onOpenChange`), or opened by `trigger`.
 * Escape and the close button dismiss it; focus returns to what opened it.
 */
export function Modal({
  open,
  onOpenChange,
  trigger,
  title,
  description,
  children,
  size = "normal",
}: {
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  trigger?: ReactNode;
  title: ReactNode;
  description?: ReactNode;
  children: ReactNode;
  size?: "normal" | "wide";
}) {
  return (
    <Dialog.Root {...(open !== undefined ? { open } : {})} onOpenChange={onOpenChange}>
      {trigger ? <Dialog.Trigger asChild>{trigger}</Dialog.Trigger> : null}
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content
          className={size === "wide" ? "dialog dialog-wide" : "dialog"}
          {...(description ? {} : { "aria-describedby": undefined })}
        >
          <div className="dialog-header">
            <Dialog.Title className="dialog-title">{title}</Dialog.Title>
            <Dialog.Close className="icon-button" aria-label="Close">
              <X size={16} aria-hidden="true" />
            </Dialog.Close>
          </div>
          {description ? (
            <Dialog.Description className="dialog-description">{description}</Dialog.Description>
          ) : null}
          <div className="dialog-body">{children}</div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/** The buttons at the bottom of a dialog. */
export function DialogFooter({ children }: { children: ReactNode }) {
  return <div className="dialog-footer">{children}</div>;
}

/** A Cancel button that closes the dialog it is in. */
export function DialogCancel({ children = "Cancel" }: { children?: ReactNode }) {
  return (
    <Dialog.Close asChild>
      <button type="button" className="button">
        {children}
      </button>
    </Dialog.Close>
  );
}

/**
 * Asks before doing something that matters. `onConfirm` may be async: the dialog stays open while it runs,
 * shows the server's message if it fails, and closes when it succeeds. With `confirmText`, the user must
 * type it (e.g. the organization's short name) before the button works.
 */
export function ConfirmDialog({
  open,
  onOpenChange,
  trigger,
  title,
  children,
  confirmLabel,
  pendingLabel,
  tone = "primary",
  confirmText,
  confirmTextLabel,
  onConfirm,
}: {
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  trigger?: ReactNode;
  title: ReactNode;
  children?: ReactNode;
  confirmLabel: string;
  pendingLabel?: string;
  tone?: "primary" | "danger";
  confirmText?: string;
  confirmTextLabel?: ReactNode;
  onConfirm: () => unknown;
}) {
  const [internalOpen, setInternalOpen] = useState(false);
  const isOpen = open ?? internalOpen;
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [typed, setTyped] = useState("");
  const inputId = useId();

  useEffect(() => {
    if (isOpen) {
      setError(null);
      setTyped("");
      setPending(false);
    }
  }, [isOpen]);

  const setOpen = (next: boolean) => {
    if (pending) return;
    setInternalOpen(next);
    onOpenChange?.(next);
  };

  const matches = confirmText === undefined || typed.trim() === confirmText;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!matches || pending) return;
    setPending(true);
    setError(null);
    try {
      await onConfirm();
      setPending(false);
      setInternalOpen(false);
      onOpenChange?.(false);
    } catch (failure) {
      setError(failure);
      setPending(false);
    }
  };

  return (
    <AlertDialog.Root open={isOpen} onOpenChange={setOpen}>
      {trigger ? <AlertDialog.Trigger asChild>{trigger}</AlertDialog.Trigger> : null}
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="dialog-overlay" />
        <AlertDialog.Content className="dialog">
          <form onSubmit={submit} className="dialog-form">
            <AlertDialog.Title className="dialog-title">{title}</AlertDialog.Title>
            <AlertDialog.Description asChild>
              <div className="dialog-description">{children}</div>
            </AlertDialog.Description>
            {confirmText !== undefined ? (
              <div className="field">
                <label htmlFor={inputId}>
                  {confirmTextLabel ?? (
                    <>
                      Type <span className="mono strong">{confirmText}</span> to confirm
                    </>
                  )}
                </label>
                <input
                  id={inputId}
                  className="input"
                  autoComplete="off"
                  spellCheck={false}
                  value={typed}
                  onChange={(event) => setTyped(event.target.value)}
                />
              </div>
            ) : null}
            <FormError error={error} />
            <div className="dialog-footer">
              <AlertDialog.Cancel asChild>
                <button type="button" className="button" disabled={pending}>
                  Cancel
                </button>
              </AlertDialog.Cancel>
              <button
                type="submit"
                className={tone === "danger" ? "button button-danger" : "button button-primary"}
                disabled={!matches || pending}
              >
                {pending ? <Spinner size={14} /> : null}
                {pending ? (pendingLabel ?? `${confirmLabel}…`) : confirmLabel}
              </button>
            </div>
          </form>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}

/**
 * Asks before archiving `record` (open while it is set): "Archive <name>?", then `archive(record)`, then a
 * notice "<Noun> archived" with `afterward` (what archiving did, and that it can be restored).
 */
export function ArchiveConfirm<T extends { name: string }>({
  record,
  onClose,
  noun,
  archive,
  afterward,
  children,
}: {
  record: T | null;
  onClose: () => void;
  /** Capitalised, e.g. "Project". */
  noun: string;
  archive: (record: T) => Promise<unknown>;
  afterward: (record: T) => string;
  children: ReactNode;
}) {
  return (
    <ConfirmDialog
      open={record !== null}
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
      title={`Archive ${record?.name ?? `the ${noun.toLowerCase()}`}?`}
      confirmLabel="Archive"
      tone="danger"
      onConfirm={async () => {
        if (!record) return;
        await archive(record);
        notify(`${noun} archived`, { description: afterward(record) });
      }}
    >
      {children}
    </ConfirmDialog>
  );
}
