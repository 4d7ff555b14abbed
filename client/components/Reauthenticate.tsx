import { useQuery } from "@tanstack/react-query";
import { ShieldCheck } from "lucide-react";
import {
  createContext,
  type FormEvent,
  type ReactNode,
  useCallback,
  useContext,
  useRef,
  useState,
} from "react";
import { CancelledError, reasonOf } from "../lib/errors";
import { sessionClient, sessionTrpc } from "../lib/trpc";
import { DialogFooter, Modal } from "./Dialogs";
import { FormError, FormField } from "./FormField";
import { Spinner } from "./ui";

type WithReauth = <T>(action: () => Promise<T>) => Promise<T>;

const ReauthContext = createContext<WithReauth | null>(null);

/**
 * Runs `action`; if the server answers `reauthentication_required` (changing email, password or second
 * factor needs a credential entered in the last minutes), asks for the password or a code, then runs
 * `action` once more. Closing the dialog rejects with a CancelledError, which forms do not show.
 */
export function useReauthenticate(): WithReauth {
  const withReauth = useContext(ReauthContext);
  if (!withReauth) throw new Error("useReauthenticate needs a ReauthProvider above it.");
  return withReauth;
}

interface Pending {
  resolve: () => void;
  reject: (error: unknown) => void;
}

export function ReauthProvider({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<Pending | null>(null);
  const pendingRef = useRef<Pending | null>(null);

  const ask = useCallback(
    () =>
      new Promise<void>((resolve, reject) => {
        const request = { resolve, reject };
        pendingRef.current = request;
        setPending(request);
      }),
    [],
  );

  const withReauth = useCallback<WithReauth>(
    async (action) => {
      try {
        return await action();
      } catch (error) {
        if (reasonOf(error) !== "reauthentication_required") throw error;
        await ask();
        return action();
      }
    },
    [ask],
  );

  const finish = (ok: boolean) => {
    const request = pendingRef.current;
    pendingRef.current = null;
    setPending(null);
    if (ok) request?.resolve();
    else request?.reject(new CancelledError("Re-authentication was cancelled."));
  };

  return (
    <ReauthContext.Provider value={withReauth}>
      {children}
      {pending ? <ReauthDialog onDone={() => finish(true)} onCancel={() => finish(false)} /> : null}
    </ReauthContext.Provider>
  );
}

function ReauthDialog({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const { data: profile } = useQuery(sessionTrpc.system.profile.get.queryOptions());
  const canUseCode = profile?.twoFactor.enabled ?? false;
  const canUsePassword = profile?.hasPassword ?? true;
  const [method, setMethod] = useState<"password" | "code" | null>(null);
  const chosen = method ?? (canUsePassword ? "password" : "code");
  const [error, setError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get(chosen) ?? "");
    setSubmitting(true);
    setError(null);
    try {
      await sessionClient.system.profile.reauthenticate.mutate(
        chosen === "password" ? { password: value } : { code: value },
      );
      onDone();
    } catch (failure) {
      setError(failure);
      setSubmitting(false);
    }
  };

  return (
    <Modal
      open
      onOpenChange={(open) => {
        if (!open) onCancel();
      }}
      title={
        <span className="dialog-title-icon">
          <ShieldCheck size={18} aria-hidden="true" />
          Confirm it is you
        </span>
      }
      description={
        chosen === "password"
          ? "Enter your password to continue. You will not be asked again for the next 10 minutes."
          : "Enter the 6-digit code from your authenticator app to continue."
      }
    >
      <form className="form" onSubmit={submit}>
        {!canUsePassword && !canUseCode ? (
          <p className="notice">
            Your account signs in with Google or Microsoft only. Sign out and sign in again to continue.
          </p>
        ) : chosen === "password" ? (
          <FormField label="Password" name="password" error={error}>
            {(control) => (
              <input
                {...control}
                type="password"
                className="input"
                autoComplete="current-password"
                required
                maxLength={200}
                // biome-ignore lint/a11y/noAutofocus: the dialog's only task.
                autoFocus
              />
            )}
          </FormField>
        ) : (
          <FormField label="Authenticator code" name="code" error={error}>
            {(control) => (
              <input
                {...control}
                className="input mono"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9 ]{6,7}"
                required
                maxLength={7}
                // biome-ignore lint/a11y/noAutofocus: the dialog's only task.
                autoFocus
              />
            )}
          </FormField>
        )}
        {canUseCode && canUsePassword ? (
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setError(null);
              setMethod(chosen === "password" ? "code" : "password");
            }}
          >
            {chosen === "password"
              ? "Use a code from your authenticator app instead"
              : "Use your password instead"}
          </button>
        ) : null}
        <FormError error={error} fields={["password", "code"]} />
        <DialogFooter>
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={submitting}>
            {submitting ? <Spinner size={14} /> : null}
            Confirm
          </button>
        </DialogFooter>
      </form>
    </Modal>
  );
}
