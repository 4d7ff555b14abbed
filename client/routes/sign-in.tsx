import { useQuery } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { ArrowLeft, ShieldCheck, TriangleAlert } from "lucide-react";
import { type FormEvent, useState } from "react";
import { z } from "zod/mini";
import { FormField } from "../components/FormField";
import { Logo } from "../components/icons";
import { SsoButtons } from "../components/SsoButtons";
import { Spinner } from "../components/ui";
import { providersQuery, ssoErrorMessage } from "../lib/auth";
import { fieldErrorsOf, messageOf, reasonOf } from "../lib/errors";
import { useDocumentTitle } from "../lib/hooks";
import { queryClient } from "../lib/query-client";
import { safeNext, signIn, signInSecondFactor } from "../lib/session";

const searchSchema = z.object({
  /** Set when the app sent the user here because their session ended. */
  expired: z.optional(z.catch(z.number(), 0)),
  /** Why a single sign-on attempt failed (`/sign-in?error=<code>` from the OAuth callback). */
  error: z.catch(z.optional(z.string().check(z.maxLength(60))), undefined),
  /** A single sign-on succeeded and a second factor is owed (the pending cookie is set). */
  second_factor: z.optional(z.catch(z.number(), 0)),
  /** Where to go once signed in (a path of this site). */
  next: z.catch(z.optional(z.string().check(z.maxLength(2000))), undefined),
});

export const Route = createFileRoute("/sign-in")({
  validateSearch: searchSchema,
  component: SignInPage,
});

function SignInPage() {
  const search = Route.useSearch();
  const navigate = useNavigate();
  const next = safeNext(search.next);
  const [step, setStep] = useState<"password" | "second-factor">(
    search.second_factor === 1 ? "second-factor" : "password",
  );
  const [notice, setNotice] = useState<string | null>(null);
  useDocumentTitle(step === "password" ? "Sign in" : "Two-factor authentication");

  const finish = async () => {
    // Nothing cached belongs to this user.
    queryClient.clear();
    await navigate({ href: next ?? "/" });
  };

  return (
    <main className="standalone" id="main">
      <div className="standalone-card sign-in">
        <Logo size={36} />
        {step === "password" ? (
          <PasswordStep
            expired={search.expired === 1}
            ssoError={search.error}
            notice={notice}
            next={next}
            onSignedIn={finish}
            onSecondFactor={() => {
              setNotice(null);
              setStep("second-factor");
            }}
          />
        ) : (
          <SecondFactorStep
            onSignedIn={finish}
            onRestart={(message) => {
              setNotice(message);
              setStep("password");
              if (search.second_factor === 1) {
                void navigate({ to: "/sign-in", search: next ? { next } : {}, replace: true });
              }
            }}
          />
        )}
      </div>
    </main>
  );
}

function PasswordStep({
  expired,
  ssoError,
  notice,
  next,
  onSignedIn,
  onSecondFactor,
}: {
  expired: boolean;
  ssoError: string | undefined;
  notice: string | null;
  next: string | undefined;
  onSignedIn: () => Promise<void>;
  onSecondFactor: () => void;
}) {
  const [error, setError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  const { data: providers } = useQuery(providersQuery);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setSubmitting(true);
    setError(null);
    try {
      const outcome = await signIn(String(form.get("email") ?? ""), String(form.get("password") ?? ""));
      if (outcome.secondFactorRequired) {
        onSecondFactor();
        return;
      }
      await onSignedIn();
    } catch (failure) {
      setError(failure);
      setSubmitting(false);
    }
  };

  const message = error ? messageOf(error) : ssoError ? ssoErrorMessage(ssoError) : null;

  return (
    <>
      <h1 className="standalone-title">Sign in to Nexus</h1>
      <p className="standalone-subtitle">Operations for your school district</p>
      {expired && !message ? (
        <p className="notice" role="status">
          Your session has ended. Sign in again.
        </p>
      ) : null}
      {notice && !message ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {message ? (
        <div className="notice notice-danger" role="alert">
          <TriangleAlert size={16} aria-hidden="true" />
          <span>{message}</span>
        </div>
      ) : null}
      <form className="form" onSubmit={onSubmit}>
        <div className="field">
          <label htmlFor="email">Email</label>
          <input
            id="email"
            name="email"
            type="email"
            autoComplete="username"
            required
            maxLength={254}
            // biome-ignore lint/a11y/noAutofocus: the only task on this page.
            autoFocus
            className="input"
          />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            maxLength={200}
            className="input"
          />
        </div>
        <button type="submit" className="button button-primary button-block" disabled={submitting}>
          {submitting ? <Spinner size={14} /> : null}
          {submitting ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {providers && (providers.google || providers.microsoft) ? (
        <SsoButtons providers={providers} intent="signin" next={next} verb="Sign in" />
      ) : null}
      <p className="standalone-footer muted">
        New to Nexus?{" "}
        <Link to="/register" className="text-link">
          Register your district
        </Link>
      </p>
    </>
  );
}

function SecondFactorStep({
  onSignedIn,
  onRestart,
}: {
  onSignedIn: () => Promise<void>;
  onRestart: (message: string) => void;
}) {
  const [useRecovery, setUseRecovery] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setSubmitting(true);
    setError(null);
    try {
      await signInSecondFactor(
        useRecovery
          ? { recoveryCode: String(form.get("recoveryCode") ?? "") }
          : { code: String(form.get("code") ?? "") },
      );
      await onSignedIn();
    } catch (failure) {
      if (reasonOf(failure) === "second_factor_expired") {
        onRestart(messageOf(failure));
        return;
      }
      setError(failure);
      setSubmitting(false);
    }
  };

  const fieldName = useRecovery ? "recoveryCode" : "code";
  const hasFieldError = Boolean(error && fieldErrorsOf(error)[fieldName]);

  return (
    <>
      <h1 className="standalone-title">
        <ShieldCheck size={20} aria-hidden="true" className="title-icon" />
        Two-factor authentication
      </h1>
      <p className="standalone-subtitle">
        {useRecovery
          ? "Enter one of the recovery codes you saved when you set up two-factor authentication."
          : "Enter the 6-digit code from your authenticator app."}
      </p>
      {error && !hasFieldError ? (
        <div className="notice notice-danger" role="alert">
          <TriangleAlert size={16} aria-hidden="true" />
          <span>{messageOf(error)}</span>
        </div>
      ) : null}
      <form className="form" onSubmit={onSubmit} key={fieldName}>
        {useRecovery ? (
          <FormField label="Recovery code" name="recoveryCode" error={error}>
            {(control) => (
              <input
                {...control}
                className="input mono"
                autoComplete="off"
                spellCheck={false}
                placeholder="xxxx-xxxx-xxxx"
                required
                maxLength={40}
                // biome-ignore lint/a11y/noAutofocus: the only task on this page.
                autoFocus
              />
            )}
          </FormField>
        ) : (
          <FormField label="Authentication code" name="code" error={error}>
            {(control) => (
              <input
                {...control}
                className="input mono input-code"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9 ]{6,7}"
                placeholder="123456"
                required
                maxLength={7}
                // biome-ignore lint/a11y/noAutofocus: the only task on this page.
                autoFocus
              />
            )}
          </FormField>
        )}
        <button type="submit" className="button button-primary button-block" disabled={submitting}>
          {submitting ? <Spinner size={14} /> : null}
          {submitting ? "Checking…" : "Verify"}
        </button>
      </form>
      <div className="standalone-footer standalone-footer-split">
        <button
          type="button"
          className="link-button"
          onClick={() => {
            setError(null);
            setUseRecovery(!useRecovery);
          }}
        >
          {useRecovery ? "Use your authenticator app" : "Use a recovery code"}
        </button>
        <button type="button" className="link-button" onClick={() => onRestart("Sign in again to continue.")}>
          <ArrowLeft size={12} aria-hidden="true" />
          Start over
        </button>
      </div>
    </>
  );
}
