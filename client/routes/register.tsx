import { useQuery } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { Info } from "lucide-react";
import { type FormEvent, useState } from "react";
import { FormError, FormField } from "../components/FormField";
import { Logo } from "../components/icons";
import { SsoButtons } from "../components/SsoButtons";
import { Spinner } from "../components/ui";
import { checkEmail, providersQuery, registerOrganization, slugFrom } from "../lib/auth";
import { reasonOf } from "../lib/errors";
import { useDocumentTitle } from "../lib/hooks";
import { queryClient } from "../lib/query-client";

export const Route = createFileRoute("/register")({
  component: RegisterPage,
});

const PASSWORD_MIN_LENGTH = 12;
const fields = ["organizationName", "slug", "name", "email", "password"] as const;

function RegisterPage() {
  const navigate = useNavigate();
  const [organizationName, setOrganizationName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  const { data: providers } = useQuery(providersQuery);
  useDocumentTitle("Register your district");

  const shownSlug = slugEdited ? slug : slugFrom(organizationName);
  const passwordTooShort = password.length > 0 && password.length < PASSWORD_MIN_LENGTH;

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (passwordTooShort) return;
    const form = new FormData(event.currentTarget);
    setSubmitting(true);
    setError(null);
    try {
      const result = await registerOrganization({
        organizationName,
        slug: shownSlug,
        name: String(form.get("name") ?? ""),
        email: String(form.get("email") ?? ""),
        password,
      });
      queryClient.clear();
      await navigate({ to: "/$tenant", params: { tenant: result.tenant.slug } });
    } catch (failure) {
      setError(failure);
      setSubmitting(false);
    }
  };

  return (
    <main className="standalone" id="main">
      <div className="standalone-card sign-in register">
        <Logo size={36} />
        <h1 className="standalone-title">Register your district</h1>
        <p className="standalone-subtitle">Create your organization in Nexus and its first administrator.</p>
        {reasonOf(error) === "email_in_use" ? (
          <div className="notice" role="alert">
            <Info size={16} aria-hidden="true" />
            <span>
              This email address already has a Nexus account.{" "}
              <Link to="/sign-in" className="text-link">
                Sign in instead
              </Link>
              , or register with another address.
            </span>
          </div>
        ) : (
          <FormError error={error} fields={fields} />
        )}
        <form className="form" onSubmit={onSubmit}>
          <fieldset className="fieldset">
            <legend>Organization</legend>
            <FormField label="Organization name" name="organizationName" error={error}>
              {(control) => (
                <input
                  {...control}
                  className="input"
                  required
                  minLength={2}
                  maxLength={120}
                  placeholder="Riverton R-IV School District"
                  value={organizationName}
                  onChange={(event) => setOrganizationName(event.target.value)}
                  // biome-ignore lint/a11y/noAutofocus: the page's first task.
                  autoFocus
                />
              )}
            </FormField>
            <FormField
              label="Short name"
              name="slug"
              error={error}
              hint={
                <>
                  Your organization's address in Nexus:{" "}
                  <span className="mono">/{shownSlug || "short-name"}</span>. Lower-case letters, digits and
                  dashes.
                </>
              }
            >
              {(control) => (
                <input
                  {...control}
                  className="input mono"
                  required
                  minLength={3}
                  maxLength={40}
                  pattern="[a-z][a-z0-9\-]{1,38}[a-z0-9]"
                  autoComplete="off"
                  spellCheck={false}
                  value={shownSlug}
                  onChange={(event) => {
                    setSlugEdited(true);
                    setSlug(event.target.value.toLowerCase());
                  }}
                />
              )}
            </FormField>
          </fieldset>
          <fieldset className="fieldset">
            <legend>You, its first administrator</legend>
            <FormField label="Your name" name="name" error={error}>
              {(control) => (
                <input {...control} className="input" autoComplete="name" required maxLength={120} />
              )}
            </FormField>
            <FormField label="Work email" name="email" error={error}>
              {(control) => (
                <input
                  {...control}
                  type="email"
                  className="input"
                  autoComplete="email"
                  required
                  maxLength={254}
                />
              )}
            </FormField>
            <FormField
              label="Password"
              name="password"
              error={error}
              errors={passwordTooShort ? [`Use at least ${PASSWORD_MIN_LENGTH} characters.`] : undefined}
              hint={`At least ${PASSWORD_MIN_LENGTH} characters. A passphrase of a few unrelated words works well.`}
            >
              {(control) => (
                <input
                  {...control}
                  type="password"
                  className="input"
                  autoComplete="new-password"
                  required
                  maxLength={200}
                  value={password}
                  onChange={(event) => setPassword(event.target.value)}
                />
              )}
            </FormField>
          </fieldset>
          <button type="submit" className="button button-primary button-block" disabled={submitting}>
            {submitting ? <Spinner size={14} /> : null}
            {submitting ? "Setting up your organization…" : "Register"}
          </button>
        </form>
        {providers && (providers.google || providers.microsoft) ? <JoinWithSso /> : null}
        <p className="standalone-footer muted">
          Already use Nexus?{" "}
          <Link to="/sign-in" className="text-link">
            Sign in
          </Link>
        </p>
      </div>
    </main>
  );
}

/**
 * Joining a district that already uses Nexus with Google or Microsoft (allowed email domains). The address
 * is checked first, so someone who already has an account is sent to sign in instead of round-tripping
 * through the provider.
 */
function JoinWithSso() {
  const { data: providers } = useQuery(providersQuery);
  const [state, setState] = useState<"ask" | "checking" | "in-use" | "free">("ask");
  const [error, setError] = useState<unknown>(null);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("ssoEmail") ?? "");
    setState("checking");
    setError(null);
    try {
      setState((await checkEmail(email)) ? "in-use" : "free");
    } catch (failure) {
      setError(failure);
      setState("ask");
    }
  };

  return (
    <section className="sso-join" aria-labelledby="sso-join-title">
      <p className="divider">
        <span>or</span>
      </p>
      <h2 id="sso-join-title" className="sso-join-title">
        Join your district with single sign-on
      </h2>
      <p className="muted small">
        If your district already uses Nexus and lets your email domain join, sign in with your district
        account.
      </p>
      <form className="form form-inline" onSubmit={onSubmit}>
        <FormField label="Your district email address" name="email" error={error}>
          {(control) => (
            <input
              {...control}
              name="ssoEmail"
              type="email"
              className="input"
              required
              maxLength={254}
              onChange={() => setState((s) => (s === "ask" || s === "checking" ? s : "ask"))}
            />
          )}
        </FormField>
        <button type="submit" className="button" disabled={state === "checking"}>
          {state === "checking" ? <Spinner size={14} /> : null}
          Continue
        </button>
      </form>
      <FormError error={error} fields={["email"]} />
      {state === "in-use" ? (
        <div className="notice" role="status">
          <Info size={16} aria-hidden="true" />
          <span>
            This address already has a Nexus account.{" "}
            <Link to="/sign-in" className="text-link">
              Sign in instead
            </Link>
            .
          </span>
        </div>
      ) : null}
      {state === "free" && providers ? (
        <SsoButtons providers={providers} intent="register" verb="Continue" divider={false} />
      ) : null}
    </section>
  );
}
