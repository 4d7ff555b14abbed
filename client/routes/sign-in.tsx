import { createFileRoute, useNavigate } from "@tanstack/react-router";
import { TriangleAlert } from "lucide-react";
import { type FormEvent, useState } from "react";
import { z } from "zod/mini";
import { Logo } from "../components/icons";
import { Spinner } from "../components/ui";
import { messageOf } from "../lib/errors";
import { useDocumentTitle } from "../lib/hooks";
import { queryClient } from "../lib/query-client";
import { signIn } from "../lib/session";

const searchSchema = z.object({
  /** Set when the app sent the user here because their session ended. */
  expired: z.optional(z.catch(z.number(), 0)),
});

export const Route = createFileRoute("/sign-in")({
  validateSearch: searchSchema,
  component: SignInPage,
});

function SignInPage() {
  const { expired } = Route.useSearch();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  useDocumentTitle("Sign in");

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setSubmitting(true);
    setError(null);
    try {
      await signIn(String(form.get("email") ?? ""), String(form.get("password") ?? ""));
      // Nothing cached belongs to this user.
      queryClient.clear();
      await navigate({ to: "/" });
    } catch (failure) {
      setError(messageOf(failure));
      setSubmitting(false);
    }
  };

  return (
    <main className="standalone" id="main">
      <div className="standalone-card sign-in">
        <Logo size={36} />
        <h1 className="standalone-title">Sign in to Nexus</h1>
        <p className="standalone-subtitle">Operations for your school district</p>
        {expired === 1 && !error ? (
          <p className="notice" role="status">
            Your session has ended. Sign in again.
          </p>
        ) : null}
        {error ? (
          <div className="notice notice-danger" role="alert">
            <TriangleAlert size={16} aria-hidden="true" />
            <span>{error}</span>
          </div>
        ) : null}
        <form className="form" onSubmit={onSubmit} noValidate={false}>
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
      </div>
    </main>
  );
}
