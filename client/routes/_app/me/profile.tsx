import { useMutation, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link } from "@tanstack/react-router";
import { ArrowRight, MailWarning, UserRound } from "lucide-react";
import { type FormEvent, useState } from "react";
import type { NotificationEmailPreferences } from "../../../../shared/schemas/credentials";
import { FieldErrors, FormError, FormField } from "../../../components/FormField";
import { useReauthenticate } from "../../../components/Reauthenticate";
import { notify } from "../../../components/Toast";
import { Badge, PageHeader, Spinner } from "../../../components/ui";
import { formatDateTime } from "../../../lib/format";
import { useDocumentTitle } from "../../../lib/hooks";
import { queryClient } from "../../../lib/query-client";
import { sessionClient, sessionTrpc } from "../../../lib/trpc";

const PASSWORD_MIN_LENGTH = 12;

export const Route = createFileRoute("/_app/me/profile")({
  loader: ({ context }) => context.queryClient.ensureQueryData(sessionTrpc.system.profile.get.queryOptions()),
  component: ProfilePage,
});

function refreshAccount() {
  void queryClient.invalidateQueries(sessionTrpc.system.profile.pathFilter());
  void queryClient.invalidateQueries(sessionTrpc.system.me.pathFilter());
}

function ProfilePage() {
  const { data: profile } = useSuspenseQuery(sessionTrpc.system.profile.get.queryOptions());
  useDocumentTitle("Profile");

  return (
    <div className="page page-narrow">
      <PageHeader
        title="Profile"
        icon={<UserRound size={20} aria-hidden="true" />}
        description="Your name, sign-in address and password, in every organization you belong to."
      />
      <NameSection name={profile.name} />
      <EmailSection email={profile.email} verified={profile.emailVerified} />
      <PasswordSection hasPassword={profile.hasPassword} changedAt={profile.passwordChangedAt} />
      <NotificationEmailSection saved={profile.preferences.notificationEmail} />
      <section className="panel" aria-labelledby="security-title">
        <div className="panel-header">
          <h2 id="security-title" className="panel-title">
            Two-factor authentication
          </h2>
          <Badge tone={profile.twoFactor.enabled ? "success" : "neutral"}>
            {profile.twoFactor.enabled ? "On" : "Off"}
          </Badge>
        </div>
        <p className="muted">
          {profile.twoFactor.enabled
            ? `A code from your authenticator app is asked for at sign-in. ${profile.twoFactor.recoveryCodesRemaining} recovery codes left.`
            : "Protect your account with a code from an authenticator app at sign-in."}
        </p>
        <div>
          <Link to="/me/two-factor" className="text-link">
            Manage two-factor authentication <ArrowRight size={12} aria-hidden="true" />
          </Link>
        </div>
      </section>
    </div>
  );
}

function NameSection({ name }: { name: string }) {
  const [value, setValue] = useState(name);
  const update = useMutation({
    mutationFn: (input: { name: string }) => sessionClient.system.profile.update.mutate(input),
    onSuccess: () => {
      refreshAccount();
      notify("Name saved");
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ name: value });
  };
  return (
    <section className="panel" aria-labelledby="name-title">
      <h2 id="name-title" className="panel-title">
        Name
      </h2>
      <form className="form" onSubmit={onSubmit}>
        <FormField
          label="Your name"
          name="name"
          error={update.error}
          hint="Shown to people in your organizations."
        >
          {(control) => (
            <input
              {...control}
              className="input"
              autoComplete="name"
              required
              maxLength={100}
              value={value}
              onChange={(event) => setValue(event.target.value)}
            />
          )}
        </FormField>
        <FormError error={update.error} fields={["name"]} />
        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={update.isPending || value.trim() === name}
          >
            {update.isPending ? <Spinner size={14} /> : null}
            Save name
          </button>
        </div>
      </form>
    </section>
  );
}

function EmailSection({ email, verified }: { email: string; verified: boolean }) {
  const withReauth = useReauthenticate();
  const [value, setValue] = useState(email);
  const change = useMutation({
    mutationFn: (input: { email: string }) =>
      withReauth(() => sessionClient.system.profile.changeEmail.mutate(input)),
    onSuccess: (result) => {
      refreshAccount();
      setValue(result.email);
      notify("Sign-in address changed", {
        description: `You now sign in as ${result.email}. We sent a verification link there and told your previous address.`,
      });
    },
  });
  const resend = useMutation({
    mutationFn: () => sessionClient.system.profile.resendEmailVerification.mutate(),
    onSuccess: (result) => {
      refreshAccount();
      if (result.queued) {
        notify("Verification link sent", {
          description: `Open the link we sent to ${result.email}. It works for 48 hours.`,
        });
      } else {
        notify("Your address is already verified");
      }
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate({ email: value.trim() });
  };
  return (
    <section className="panel" aria-labelledby="email-title">
      <div className="panel-header">
        <h2 id="email-title" className="panel-title">
          Sign-in address
        </h2>
        <Badge tone={verified ? "success" : "warning"}>{verified ? "Verified" : "Not verified"}</Badge>
      </div>
      {verified ? null : (
        <div className="notice notice-warning" role="status">
          <MailWarning size={16} aria-hidden="true" />
          <div>
            <p>
              Not verified — open the link we sent to <span className="strong">{email}</span> to confirm it is
              yours.
            </p>
            <button
              type="button"
              className="button notice-action"
              disabled={resend.isPending}
              onClick={() => resend.mutate()}
            >
              {resend.isPending ? <Spinner size={14} /> : null}
              Resend the link
            </button>
            <FormError error={resend.error} />
          </div>
        </div>
      )}
      <form className="form" onSubmit={onSubmit}>
        <FormField
          label="Email"
          name="email"
          error={change.error}
          hint="Changing it asks you to confirm it is you first."
        >
          {(control) => (
            <input
              {...control}
              type="email"
              className="input"
              autoComplete="email"
              required
              maxLength={254}
              value={value}
              onChange={(event) => setValue(event.target.value)}
            />
          )}
        </FormField>
        <FormError error={change.error} fields={["email"]} />
        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={change.isPending || value.trim().toLowerCase() === email}
          >
            {change.isPending ? <Spinner size={14} /> : null}
            Change address
          </button>
        </div>
      </form>
    </section>
  );
}

function PasswordSection({ hasPassword, changedAt }: { hasPassword: boolean; changedAt: string | null }) {
  const withReauth = useReauthenticate();
  const [password, setPassword] = useState("");
  const [confirmation, setConfirmation] = useState("");
  const tooShort = password.length > 0 && password.length < PASSWORD_MIN_LENGTH;
  const mismatch = confirmation.length > 0 && confirmation !== password;
  const change = useMutation({
    mutationFn: (input: { newPassword: string }) =>
      withReauth(() => sessionClient.system.profile.changePassword.mutate(input)),
    onSuccess: (result) => {
      refreshAccount();
      void queryClient.invalidateQueries(sessionTrpc.system.profile.sessions.pathFilter());
      setPassword("");
      setConfirmation("");
      notify("Password changed", {
        description:
          result.endedSessions > 0
            ? `${result.endedSessions} other ${result.endedSessions === 1 ? "session was" : "sessions were"} signed out.`
            : "Your other sessions were signed out.",
      });
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (tooShort || mismatch || !password) return;
    change.mutate({ newPassword: password });
  };
  return (
    <section className="panel" aria-labelledby="password-title">
      <h2 id="password-title" className="panel-title">
        {hasPassword ? "Password" : "Set a password"}
      </h2>
      <p className="muted">
        {hasPassword
          ? changedAt
            ? `Last changed ${formatDateTime(changedAt)}. Changing it signs you out everywhere else.`
            : "Changing it signs you out everywhere else."
          : "You sign in with Google or Microsoft. A password lets you sign in without them too."}
      </p>
      <form className="form" onSubmit={onSubmit}>
        <input type="hidden" name="username" autoComplete="username" />
        <FormField
          label="New password"
          name="newPassword"
          error={change.error}
          errors={tooShort ? [`Use at least ${PASSWORD_MIN_LENGTH} characters.`] : undefined}
          hint={`At least ${PASSWORD_MIN_LENGTH} characters; very common passwords are refused.`}
        >
          {(control) => (
            <input
              {...control}
              type="password"
              className="input"
              autoComplete="new-password"
              maxLength={200}
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
          )}
        </FormField>
        <FormField
          label="Repeat the new password"
          name="confirmation"
          errors={mismatch ? ["The two passwords are not the same."] : undefined}
        >
          {(control) => (
            <input
              {...control}
              type="password"
              className="input"
              autoComplete="new-password"
              maxLength={200}
              value={confirmation}
              onChange={(event) => setConfirmation(event.target.value)}
            />
          )}
        </FormField>
        <FormError error={change.error} fields={["newPassword"]} />
        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={change.isPending || !password || tooShort || confirmation !== password}
          >
            {change.isPending ? <Spinner size={14} /> : null}
            {hasPassword ? "Change password" : "Set password"}
          </button>
        </div>
      </form>
    </section>
  );
}

const emailChoices: { key: keyof NotificationEmailPreferences; label: string; when: string }[] = [
  { key: "assigned", label: "An issue is assigned to me", when: "an issue is assigned to you" },
  { key: "mentioned", label: "Someone mentions me in a comment", when: "someone mentions you" },
];

function NotificationEmailSection({ saved }: { saved: NotificationEmailPreferences }) {
  // Shows each choice as made while it is saved; a failed save falls back to what the server holds.
  const [choice, setChoice] = useState<Partial<NotificationEmailPreferences>>({});
  const shown = { ...saved, ...choice };
  const save = useMutation({
    mutationFn: (input: Partial<NotificationEmailPreferences>) =>
      sessionClient.system.profile.notifications.set.mutate(input),
    onMutate: (input) => setChoice((current) => ({ ...current, ...input })),
    onSuccess: (_result, input) => {
      const [key, on] = Object.entries(input)[0] as [keyof NotificationEmailPreferences, boolean];
      const when = emailChoices.find((c) => c.key === key)?.when ?? "this happens";
      notify(on ? `We will email you when ${when}` : `No more email when ${when}`);
    },
    onError: () => setChoice({}),
    onSettled: () => refreshAccount(),
  });
  return (
    <section className="panel" aria-labelledby="notification-email-title">
      <h2 id="notification-email-title" className="panel-title">
        Email notifications
      </h2>
      <p className="muted">
        Everything shows in the notification centre. Changes to issues you only watch are never emailed.
      </p>
      <fieldset className="fieldset">
        <legend>Email me when</legend>
        {emailChoices.map(({ key, label }) => (
          <label key={key} className="checkbox-row">
            <input
              type="checkbox"
              className="checkbox"
              name={key}
              checked={shown[key]}
              disabled={save.isPending}
              onChange={(event) => save.mutate({ [key]: event.target.checked })}
            />
            {label}
          </label>
        ))}
        <FieldErrors error={save.error} name="assigned" />
        <FieldErrors error={save.error} name="mentioned" />
      </fieldset>
      <FormError error={save.error} fields={["assigned", "mentioned"]} />
    </section>
  );
}
