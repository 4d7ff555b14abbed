import { useQuery } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { ArrowRight, Clock, LogIn, MailX, TriangleAlert } from "lucide-react";
import { type FormEvent, useState } from "react";
import type { InvitationPreview } from "../../shared/schemas/invitations";
import { FormError, FormField } from "../components/FormField";
import { Logo } from "../components/icons";
import { Badge, Pending, Spinner } from "../components/ui";
import { acceptInvitation, fetchInvitation } from "../lib/auth";
import { errorStatus, messageOf, reasonOf } from "../lib/errors";
import { capitalize, formatDateTime } from "../lib/format";
import { useDocumentTitle } from "../lib/hooks";
import { queryClient } from "../lib/query-client";
import { signOut } from "../lib/session";

export const Route = createFileRoute("/invitations/$token")({
  component: InvitationPage,
});

const PASSWORD_MIN_LENGTH = 12;

function InvitationPage() {
  const { token } = Route.useParams();
  const { data, error, isPending } = useQuery({
    queryKey: ["@auth", "invitation", token],
    queryFn: () => fetchInvitation(token),
    retry: false,
    staleTime: 0,
  });
  useDocumentTitle(data ? `Join ${data.organizationName}` : "Invitation");

  return (
    <main className="standalone" id="main">
      <div className="standalone-card sign-in invitation">
        <Logo size={36} />
        {isPending ? (
          <Pending />
        ) : error || !data ? (
          <InvalidInvitation error={error} />
        ) : (
          <InvitationDetails token={token} invitation={data} />
        )}
      </div>
    </main>
  );
}

function InvalidInvitation({ error }: { error: unknown }) {
  const notFound = errorStatus(error) === 404;
  return (
    <>
      <MailX size={28} aria-hidden="true" className="muted" />
      <h1 className="standalone-title">
        {notFound ? "This invitation is no longer valid" : "This invitation could not be opened"}
      </h1>
      <p className="muted">
        {notFound
          ? "It may have been accepted already, revoked, or replaced by a newer one. Ask the person who invited you to send a new invitation."
          : messageOf(error)}
      </p>
      <Link to="/sign-in" className="button">
        Go to sign-in
      </Link>
    </>
  );
}

function InvitationDetails({ token, invitation }: { token: string; invitation: InvitationPreview }) {
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  const [password, setPassword] = useState("");
  const passwordTooShort = password.length > 0 && password.length < PASSWORD_MIN_LENGTH;
  const nextHere = `/invitations/${token}`;

  const accept = async (account?: { name: string; password: string }) => {
    setSubmitting(true);
    setError(null);
    try {
      const result = await acceptInvitation(token, account);
      // Whoever was cached before (if anyone) is not who is signed in now, or their organizations changed.
      queryClient.clear();
      await navigate({ to: "/$tenant", params: { tenant: result.organization.slug } });
    } catch (failure) {
      setError(failure);
      setSubmitting(false);
    }
  };

  const onCreateAccount = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (passwordTooShort) return;
    const form = new FormData(event.currentTarget);
    void accept({ name: String(form.get("name") ?? ""), password });
  };

  const reason = reasonOf(error);

  return (
    <>
      <h1 className="standalone-title">Join {invitation.organizationName}</h1>
      <p className="standalone-subtitle">
        You are invited as <Badge tone="accent">{capitalize(invitation.role)}</Badge>
      </p>
      <dl className="key-values">
        <div>
          <dt>Invited address</dt>
          <dd className="strong">{invitation.email}</dd>
        </div>
        <div>
          <dt>{invitation.status === "expired" ? "Expired" : "Expires"}</dt>
          <dd>
            <time dateTime={invitation.expiresAt}>{formatDateTime(invitation.expiresAt)}</time>
          </dd>
        </div>
      </dl>

      {invitation.status === "expired" ? (
        <div className="notice notice-warning" role="status">
          <Clock size={16} aria-hidden="true" />
          <span>This invitation has expired. Ask the person who invited you to send it again.</span>
        </div>
      ) : reason === "sign_in_required" ? (
        <div className="notice" role="alert">
          <LogIn size={16} aria-hidden="true" />
          <div>
            <p>
              {invitation.email} already has a Nexus account. Sign in with it first; you will come back here
              to accept.
            </p>
            <Link to="/sign-in" search={{ next: nextHere }} className="button button-primary notice-action">
              Sign in as {invitation.email}
            </Link>
          </div>
        </div>
      ) : reason === "wrong_account" ? (
        <div className="notice notice-danger" role="alert">
          <TriangleAlert size={16} aria-hidden="true" />
          <div>
            <p>{messageOf(error)}</p>
            <button
              type="button"
              className="button notice-action"
              onClick={async () => {
                await signOut().catch(() => undefined);
                queryClient.clear();
                setError(null);
              }}
            >
              Sign out
            </button>
          </div>
        </div>
      ) : invitation.accountExists ? (
        <>
          <p className="muted">
            Accept while signed in as <span className="strong">{invitation.email}</span>.
          </p>
          <FormError error={error} />
          <button
            type="button"
            className="button button-primary button-block"
            disabled={submitting}
            onClick={() => void accept()}
          >
            {submitting ? <Spinner size={14} /> : null}
            Accept invitation
            <ArrowRight size={14} aria-hidden="true" />
          </button>
        </>
      ) : (
        <form className="form" onSubmit={onCreateAccount}>
          <p className="muted">Create your Nexus account to accept.</p>
          <FormError error={error} fields={["name", "password"]} />
          <FormField label="Your name" name="name" error={error}>
            {(control) => (
              <input
                {...control}
                className="input"
                autoComplete="name"
                required
                maxLength={120}
                // biome-ignore lint/a11y/noAutofocus: the page's only task.
                autoFocus
              />
            )}
          </FormField>
          <FormField
            label="Choose a password"
            name="password"
            error={error}
            errors={passwordTooShort ? [`Use at least ${PASSWORD_MIN_LENGTH} characters.`] : undefined}
            hint={`At least ${PASSWORD_MIN_LENGTH} characters. You will sign in as ${invitation.email}.`}
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
          <input type="hidden" name="username" autoComplete="username" value={invitation.email} />
          <button type="submit" className="button button-primary button-block" disabled={submitting}>
            {submitting ? <Spinner size={14} /> : null}
            {submitting ? "Creating your account…" : "Create account and join"}
          </button>
        </form>
      )}
    </>
  );
}
