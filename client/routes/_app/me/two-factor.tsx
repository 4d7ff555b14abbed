import { useMutation, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link } from "@tanstack/react-router";
import { ArrowRight, Download, ShieldAlert, ShieldCheck, ShieldOff } from "lucide-react";
import { type FormEvent, useState } from "react";
import { z } from "zod/mini";
import { CopyButton } from "../../../components/CopyButton";
import { ConfirmDialog } from "../../../components/Dialogs";
import { FormError, FormField } from "../../../components/FormField";
import { useReauthenticate } from "../../../components/Reauthenticate";
import { notify } from "../../../components/Toast";
import { Badge, PageHeader, Spinner } from "../../../components/ui";
import { downloadText } from "../../../lib/download";
import { formatDateTime } from "../../../lib/format";
import { useDocumentTitle } from "../../../lib/hooks";
import { queryClient } from "../../../lib/query-client";
import { sessionClient, sessionTrpc } from "../../../lib/trpc";

const searchSchema = z.object({
  /** The organization that sent the user here because it requires two-factor authentication. */
  required: z.catch(z.optional(z.string().check(z.maxLength(40))), undefined),
});

const statusOptions = () => sessionTrpc.system.profile.twoFactor.status.queryOptions();

export const Route = createFileRoute("/_app/me/two-factor")({
  validateSearch: searchSchema,
  loader: ({ context }) => context.queryClient.ensureQueryData(statusOptions()),
  component: TwoFactorPage,
});

interface Enrolment {
  secret: string;
  uri: string;
  qrSvg: string;
}

function refresh() {
  void queryClient.invalidateQueries(sessionTrpc.system.profile.pathFilter());
  // Organizations that refused the user for lack of a second factor may now answer.
  void queryClient.invalidateQueries({
    predicate: (query) => query.state.status === "error",
  });
}

/** "JBSWY3DPEHPK3PXP" → "JBSW Y3DP EHPK 3PXP": easier to type into an app. */
function groupKey(secret: string): string {
  return secret.match(/.{1,4}/g)?.join(" ") ?? secret;
}

function TwoFactorPage() {
  const { required } = Route.useSearch();
  const { data: me } = useSuspenseQuery(sessionTrpc.system.me.queryOptions());
  const { data: status } = useSuspenseQuery(statusOptions());
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  useDocumentTitle("Two-factor authentication");
  const requiredBy = required ? me.memberships.find((m) => m.tenant.slug === required)?.tenant : undefined;

  return (
    <div className="page page-narrow">
      <PageHeader
        title="Two-factor authentication"
        icon={<ShieldCheck size={20} aria-hidden="true" />}
        description="A code from an authenticator app on your phone, asked for at sign-in after your password."
      />

      {requiredBy && !status.enabled ? (
        <div className="banner banner-warning" role="alert">
          <ShieldAlert size={18} aria-hidden="true" />
          <div>
            <p className="banner-title">{requiredBy.name} requires two-factor authentication</p>
            <p className="banner-text">Set it up below to continue working in {requiredBy.name}.</p>
          </div>
        </div>
      ) : null}

      {recoveryCodes ? (
        <RecoveryCodes
          codes={recoveryCodes}
          onDone={() => setRecoveryCodes(null)}
          continueTo={requiredBy ? { slug: requiredBy.slug, name: requiredBy.name } : undefined}
        />
      ) : status.enabled ? (
        <Enabled
          enabledAt={status.enabledAt}
          remaining={status.recoveryCodesRemaining}
          onCodes={setRecoveryCodes}
        />
      ) : (
        <Enrol onEnabled={setRecoveryCodes} />
      )}
    </div>
  );
}

function Enrol({ onEnabled }: { onEnabled: (codes: string[]) => void }) {
  const withReauth = useReauthenticate();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const begin = useMutation({
    mutationFn: () => withReauth(() => sessionClient.system.profile.twoFactor.begin.mutate()),
    onSuccess: setEnrolment,
  });
  const confirm = useMutation({
    mutationFn: (code: string) =>
      withReauth(() => sessionClient.system.profile.twoFactor.confirm.mutate({ code })),
    onSuccess: (result) => {
      refresh();
      notify("Two-factor authentication is on");
      onEnabled(result.recoveryCodes);
    },
  });

  const onConfirm = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    confirm.mutate(String(new FormData(event.currentTarget).get("code") ?? ""));
  };

  if (!enrolment) {
    return (
      <section className="panel" aria-labelledby="off-title">
        <div className="panel-header">
          <h2 id="off-title" className="panel-title">
            Not set up
          </h2>
          <Badge>Off</Badge>
        </div>
        <p className="muted">
          You need an authenticator app, such as Google Authenticator, Microsoft Authenticator, 1Password or
          Authy. Setting it up asks you to confirm it is you first.
        </p>
        <FormError error={begin.error} />
        <div>
          <button
            type="button"
            className="button button-primary"
            onClick={() => begin.mutate()}
            disabled={begin.isPending}
          >
            {begin.isPending ? <Spinner size={14} /> : <ShieldCheck size={14} aria-hidden="true" />}
            Set up two-factor authentication
          </button>
        </div>
      </section>
    );
  }

  return (
    <section className="panel" aria-labelledby="enrol-title">
      <h2 id="enrol-title" className="panel-title">
        Set up your authenticator app
      </h2>
      <ol className="steps">
        <li>
          <p className="strong">Scan this QR code with your authenticator app.</p>
          <div className="qr">
            <img
              src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrolment.qrSvg)}`}
              alt="QR code to add Nexus to your authenticator app"
              width={184}
              height={184}
            />
          </div>
        </li>
        <li>
          <p className="strong">Or type this key into the app.</p>
          <div className="secret-row">
            <code className="secret mono" data-testid="totp-secret">
              {groupKey(enrolment.secret)}
            </code>
            <CopyButton value={enrolment.secret} label="Copy key" />
          </div>
          <p className="muted small">Time-based, 6 digits, every 30 seconds.</p>
        </li>
        <li>
          <form className="form" onSubmit={onConfirm}>
            <FormField label="Enter the 6-digit code the app shows" name="code" error={confirm.error}>
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
                />
              )}
            </FormField>
            <FormError error={confirm.error} fields={["code"]} />
            <div className="form-actions">
              <button type="submit" className="button button-primary" disabled={confirm.isPending}>
                {confirm.isPending ? <Spinner size={14} /> : null}
                Turn on two-factor authentication
              </button>
              <button type="button" className="button" onClick={() => setEnrolment(null)}>
                Cancel
              </button>
            </div>
          </form>
        </li>
      </ol>
    </section>
  );
}

function RecoveryCodes({
  codes,
  onDone,
  continueTo,
}: {
  codes: string[];
  onDone: () => void;
  continueTo?: { slug: string; name: string } | undefined;
}) {
  const [saved, setSaved] = useState(false);
  const text = `Nexus recovery codes\nEach code works once, in place of a code from your authenticator app.\n\n${codes.join("\n")}\n`;
  return (
    <section className="panel panel-accent" aria-labelledby="codes-title" data-testid="recovery-codes">
      <h2 id="codes-title" className="panel-title">
        Save your recovery codes
      </h2>
      <p className="muted">
        If you lose your phone, each of these codes signs you in once instead of a code from the app. They are
        shown only now. Keep them somewhere safe, such as a password manager.
      </p>
      <ul className="recovery-codes mono">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <div className="form-actions">
        <CopyButton value={codes.join("\n")} label="Copy codes" />
        <button
          type="button"
          className="button"
          onClick={() => downloadText("nexus-recovery-codes.txt", text)}
        >
          <Download size={14} aria-hidden="true" />
          Download
        </button>
      </div>
      <label className="checkbox-row">
        <input
          type="checkbox"
          className="checkbox"
          checked={saved}
          onChange={(event) => setSaved(event.target.checked)}
        />
        I have saved my recovery codes
      </label>
      <div className="form-actions">
        <button type="button" className="button button-primary" disabled={!saved} onClick={onDone}>
          Done
        </button>
        {continueTo ? (
          <Link to="/$tenant" params={{ tenant: continueTo.slug }} className="button" disabled={!saved}>
            Continue to {continueTo.name}
            <ArrowRight size={14} aria-hidden="true" />
          </Link>
        ) : null}
      </div>
    </section>
  );
}

function Enabled({
  enabledAt,
  remaining,
  onCodes,
}: {
  enabledAt: string | null;
  remaining: number;
  onCodes: (codes: string[]) => void;
}) {
  const withReauth = useReauthenticate();
  const disable = useMutation({
    mutationFn: () => withReauth(() => sessionClient.system.profile.twoFactor.disable.mutate()),
    onSuccess: () => {
      refresh();
      notify("Two-factor authentication is off", { tone: "info" });
    },
  });
  const regenerate = useMutation({
    mutationFn: () =>
      withReauth(() => sessionClient.system.profile.twoFactor.regenerateRecoveryCodes.mutate()),
    onSuccess: (result) => {
      refresh();
      onCodes(result.recoveryCodes);
    },
  });

  return (
    <>
      <section className="panel" aria-labelledby="on-title">
        <div className="panel-header">
          <h2 id="on-title" className="panel-title">
            Two-factor authentication is on
          </h2>
          <Badge tone="success">On</Badge>
        </div>
        <p className="muted">
          {enabledAt ? `Turned on ${formatDateTime(enabledAt)}. ` : ""}
          Signing in asks for a code from your authenticator app after your password.
        </p>
      </section>
      <section className="panel" aria-labelledby="recovery-title">
        <div className="panel-header">
          <h2 id="recovery-title" className="panel-title">
            Recovery codes
          </h2>
          <Badge tone={remaining <= 2 ? "warning" : "neutral"}>{remaining} left</Badge>
        </div>
        <p className="muted">
          New codes replace all the old ones. Make new ones if you have used most of them or lost the list.
        </p>
        <div>
          <ConfirmDialog
            trigger={
              <button type="button" className="button">
                Make new recovery codes
              </button>
            }
            title="Make new recovery codes?"
            confirmLabel="Make new codes"
            onConfirm={() => regenerate.mutateAsync()}
          >
            <p>Your current recovery codes stop working at once.</p>
          </ConfirmDialog>
        </div>
      </section>
      <section className="panel panel-danger" aria-labelledby="disable-title">
        <h2 id="disable-title" className="panel-title">
          Turn off two-factor authentication
        </h2>
        <p className="muted">
          Your account is then protected by your password alone. Organizations that require two-factor
          authentication will refuse you until you set it up again.
        </p>
        <div>
          <ConfirmDialog
            trigger={
              <button type="button" className="button button-danger-outline">
                <ShieldOff size={14} aria-hidden="true" />
                Turn off
              </button>
            }
            title="Turn off two-factor authentication?"
            confirmLabel="Turn off"
            tone="danger"
            onConfirm={() => disable.mutateAsync()}
          >
            <p>The app's codes and your recovery codes stop working.</p>
          </ConfirmDialog>
        </div>
      </section>
    </>
  );
}
