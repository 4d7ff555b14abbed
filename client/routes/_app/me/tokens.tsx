import { useMutation, useQuery, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute } from "@tanstack/react-router";
import { KeyRound, Plus, TriangleAlert } from "lucide-react";
import { type FormEvent, useState } from "react";
import { type Permission, type Role, rolePermissions } from "../../../../shared/permissions";
import { packages } from "../../../../shared/registry";
import { CopyButton } from "../../../components/CopyButton";
import { type Column, DataTable } from "../../../components/collection/DataTable";
import { ConfirmDialog, DialogCancel, DialogFooter, Modal } from "../../../components/Dialogs";
import { FieldErrors, FormError, FormField } from "../../../components/FormField";
import { useReauthenticate } from "../../../components/Reauthenticate";
import { notify } from "../../../components/Toast";
import { Badge, EmptyState, PageHeader, Spinner, type Tone } from "../../../components/ui";
import type { RouterOutputs } from "../../../lib/api-types";
import { capitalize, formatDateTime } from "../../../lib/format";
import { useDocumentTitle } from "../../../lib/hooks";
import { queryClient } from "../../../lib/query-client";
import { sessionClient, sessionTrpc } from "../../../lib/trpc";

type PersonalAccessTokenRecord = RouterOutputs["system"]["tokens"]["list"]["items"][number];

const listOptions = () => sessionTrpc.system.tokens.list.queryOptions();

export const Route = createFileRoute("/_app/me/tokens")({
  loader: ({ context }) => context.queryClient.ensureQueryData(listOptions()),
  component: TokensPage,
});

const levels = ["read", "write", "admin"] as const;
const expiryDays = [7, 30, 90, 180, 365] as const;
const daysLabel = (days: number) => (days === 365 ? "1 year" : days === 1 ? "1 day" : `${days} days`);

/**
 * The expiries an organization's policy allows: the usual ones up to its longest lifetime, that lifetime
 * itself, and "Never" only where it allows tokens that never expire.
 */
function expiryChoices(policy: { maxLifetimeDays: number; allowNoExpiry: boolean }) {
  const days = expiryDays.filter((d) => d < policy.maxLifetimeDays);
  const choices = [...days, policy.maxLifetimeDays].map((d) => ({
    value: String(d),
    label:
      d === policy.maxLifetimeDays && !expiryDays.some((e) => e === d)
        ? `${daysLabel(d)} (longest allowed)`
        : daysLabel(d),
  }));
  return policy.allowNoExpiry ? [...choices, { value: "never", label: "Never" }] : choices;
}

const statusTone: Record<PersonalAccessTokenRecord["status"], Tone> = {
  active: "success",
  expired: "neutral",
  revoked: "danger",
};

function TokensPage() {
  const { data } = useSuspenseQuery(listOptions());
  const [created, setCreated] = useState<{ token: string; name: string } | null>(null);
  const [revoking, setRevoking] = useState<PersonalAccessTokenRecord | null>(null);
  useDocumentTitle("Access tokens");

  const revoke = useMutation({
    mutationFn: (id: string) => sessionClient.system.tokens.revoke.mutate({ id }),
    onSuccess: (record) => {
      void queryClient.invalidateQueries(sessionTrpc.system.tokens.pathFilter());
      notify("Token revoked", { description: `${record.name} stops working at once.` });
    },
  });

  const columns: Column<PersonalAccessTokenRecord>[] = [
    {
      id: "name",
      header: "Name",
      rowHeader: true,
      cell: (t) => (
        <>
          <span className="strong">{t.name}</span>
          <span className="cell-detail mono">{t.prefix}…</span>
        </>
      ),
    },
    { id: "organization", header: "Organization", cell: (t) => t.tenant.name },
    {
      id: "scopes",
      header: "Scopes",
      cell: (t) => (
        <span className="chips">
          {t.scopes.map((scope) => (
            <span key={scope} className="chip mono">
              {scope}
            </span>
          ))}
        </span>
      ),
    },
    {
      id: "status",
      header: "Status",
      cell: (t) => <Badge tone={statusTone[t.status]}>{capitalize(t.status)}</Badge>,
    },
    {
      id: "lastUsed",
      header: "Last used",
      className: "nowrap",
      cell: (t) => (t.lastUsedAt ? formatDateTime(t.lastUsedAt) : <span className="muted">Never</span>),
    },
    {
      id: "expires",
      header: "Expires",
      className: "nowrap",
      cell: (t) => (t.expiresAt ? formatDateTime(t.expiresAt) : <span className="muted">Never</span>),
    },
  ];

  return (
    <div className="page">
      <PageHeader
        title="Access tokens"
        icon={<KeyRound size={20} aria-hidden="true" />}
        description="Personal access tokens let scripts and tools use the Nexus API as you, in one organization, with the scopes you choose."
        actions={<CreateTokenDialog onCreated={setCreated} />}
      />

      {created ? (
        <section className="panel panel-accent" aria-labelledby="new-token-title" data-testid="new-token">
          <h2 id="new-token-title" className="panel-title">
            Your new token “{created.name}”
          </h2>
          <p className="notice notice-warning">
            <TriangleAlert size={16} aria-hidden="true" />
            <span>Copy it now. It is shown only this once; Nexus keeps only a fingerprint of it.</span>
          </p>
          <div className="secret-row">
            <code className="secret mono">{created.token}</code>
            <CopyButton value={created.token} label="Copy token" />
          </div>
          <div>
            <button type="button" className="button" onClick={() => setCreated(null)}>
              I have copied it
            </button>
          </div>
        </section>
      ) : null}

      <DataTable
        caption="Personal access tokens"
        columns={columns}
        rows={data.items}
        rowKey={(t) => t.id}
        rowLabel={(t) => t.name}
        noun={{ one: "token", other: "tokens" }}
        rowAttributes={(t) => ({ "data-status": t.status })}
        rowActions={(t) =>
          t.status === "active" ? (
            <button
              type="button"
              className="button button-small"
              aria-label={`Revoke ${t.name}`}
              onClick={() => setRevoking(t)}
            >
              Revoke
            </button>
          ) : null
        }
        empty={
          <EmptyState icon={<KeyRound size={24} aria-hidden="true" />} title="No access tokens yet">
            <p>
              Create a token to let a script or tool call the Nexus API for you. Use “Create token” above.
            </p>
          </EmptyState>
        }
      />

      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => {
          if (!open) setRevoking(null);
        }}
        title={`Revoke ${revoking?.name ?? "token"}?`}
        confirmLabel="Revoke token"
        tone="danger"
        onConfirm={() => (revoking ? revoke.mutateAsync(revoking.id) : undefined)}
      >
        <p>Anything using it is refused from now on. This cannot be undone.</p>
      </ConfirmDialog>
    </div>
  );
}

function CreateTokenDialog({ onCreated }: { onCreated: (created: { token: string; name: string }) => void }) {
  const { data: me } = useSuspenseQuery(sessionTrpc.system.me.queryOptions());
  const memberships = me.memberships.filter((m) => m.tenant.status === "ready");
  const [open, setOpen] = useState(false);
  const [tenantSlug, setTenantSlug] = useState(memberships[0]?.tenant.slug ?? "");
  const [scopes, setScopes] = useState<ReadonlySet<Permission>>(new Set());
  const role: Role | undefined = memberships.find((m) => m.tenant.slug === tenantSlug)?.role;
  const allowed = role ? rolePermissions[role] : new Set<Permission>();
  const policy = useQuery({
    ...sessionTrpc.system.tokens.policy.queryOptions({ tenantSlug }),
    enabled: open && tenantSlug !== "",
  }).data;
  const choices = policy ? expiryChoices(policy) : [];
  const [expiry, setExpiry] = useState<string | null>(null);
  // Until a choice is made (and whenever it is no longer allowed), the organization's default.
  const chosenExpiry =
    expiry !== null && choices.some((c) => c.value === expiry) ? expiry : String(policy?.defaultDays ?? "");
  const withReauth = useReauthenticate();

  const create = useMutation({
    // Creating a token needs a credential entered in the last minutes: asked for, then tried again.
    mutationFn: (input: Parameters<typeof sessionClient.system.tokens.create.mutate>[0]) =>
      withReauth(() => sessionClient.system.tokens.create.mutate(input)),
    onSuccess: (result) => {
      void queryClient.invalidateQueries(sessionTrpc.system.tokens.pathFilter());
      onCreated({ token: result.token, name: result.record.name });
      setOpen(false);
    },
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    create.mutate({
      name: String(form.get("name") ?? ""),
      tenantSlug,
      scopes: [...scopes].filter((scope) => allowed.has(scope)),
      expiresInDays: chosenExpiry === "never" ? null : Number(chosenExpiry),
    });
  };

  const toggle = (scope: Permission, checked: boolean) => {
    const next = new Set(scopes);
    if (checked) next.add(scope);
    else next.delete(scope);
    setScopes(next);
  };

  return (
    <Modal
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) {
          create.reset();
          setScopes(new Set());
          setExpiry(null);
        }
      }}
      size="wide"
      trigger={
        <button type="button" className="button button-primary" disabled={memberships.length === 0}>
          <Plus size={14} aria-hidden="true" />
          Create token
        </button>
      }
      title="Create a personal access token"
      description="The token can do what you chose below, in one organization, and never more than your role there allows. You may be asked for your password or a code first; we email you when a token is created."
    >
      <form className="form" onSubmit={onSubmit}>
        <div className="form-grid">
          <FormField
            label="Name"
            name="name"
            error={create.error}
            hint="What uses it, e.g. “Nightly roster export”."
          >
            {(control) => <input {...control} className="input" required maxLength={100} />}
          </FormField>
          <FormField label="Organization" name="tenantSlug" error={create.error}>
            {(control) => (
              <select
                {...control}
                className="input select select-block"
                value={tenantSlug}
                onChange={(event) => {
                  setTenantSlug(event.target.value);
                  setScopes(new Set());
                }}
              >
                {memberships.map((m) => (
                  <option key={m.tenant.id} value={m.tenant.slug}>
                    {m.tenant.name} ({capitalize(m.role)})
                  </option>
                ))}
              </select>
            )}
          </FormField>
          <FormField
            label="Expires"
            name="expiresInDays"
            error={create.error}
            hint={
              policy && !policy.allowNoExpiry
                ? `This organization allows tokens for at most ${daysLabel(policy.maxLifetimeDays)}.`
                : undefined
            }
          >
            {(control) => (
              <select
                {...control}
                className="input select select-block"
                value={chosenExpiry}
                disabled={!policy}
                onChange={(event) => setExpiry(event.target.value)}
              >
                {choices.map((choice) => (
                  <option key={choice.value} value={choice.value}>
                    {choice.label}
                  </option>
                ))}
              </select>
            )}
          </FormField>
        </div>
        <fieldset className="fieldset">
          <legend>Scopes</legend>
          <table className="scope-table">
            <thead>
              <tr>
                <th scope="col">Package</th>
                {levels.map((level) => (
                  <th key={level} scope="col">
                    {capitalize(level)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {packages.map((pkg) => (
                <tr key={pkg.key}>
                  <th scope="row">{pkg.label}</th>
                  {levels.map((level) => {
                    const scope = `${pkg.key}.${level}` as Permission;
                    const permitted = allowed.has(scope);
                    return (
                      <td key={level}>
                        <input
                          type="checkbox"
                          className="checkbox"
                          aria-label={`${pkg.label}: ${level}`}
                          disabled={!permitted}
                          title={permitted ? scope : "Your role does not allow this"}
                          checked={permitted && scopes.has(scope)}
                          onChange={(event) => toggle(scope, event.target.checked)}
                        />
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
          <FieldErrors error={create.error} name="scopes" />
        </fieldset>
        <FormError error={create.error} fields={["name", "tenantSlug", "scopes", "expiresInDays"]} />
        <DialogFooter>
          <DialogCancel />
          <button
            type="submit"
            className="button button-primary"
            disabled={create.isPending || scopes.size === 0 || !policy}
          >
            {create.isPending ? <Spinner size={14} /> : null}
            Create token
          </button>
        </DialogFooter>
      </form>
    </Modal>
  );
}
