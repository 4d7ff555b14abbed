import { useMutation, useQuery, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { Building2, ImageUp, ShieldAlert, Trash2 } from "lucide-react";
import { type ChangeEvent, type FormEvent, useId, useState } from "react";
import { ConfirmDialog } from "../../../../components/Dialogs";
import { FieldErrors, FormError, FormField } from "../../../../components/FormField";
import { notify } from "../../../../components/Toast";
import { PageHeader, Spinner } from "../../../../components/ui";
import type { RouterOutputs } from "../../../../lib/api-types";
import { capitalize } from "../../../../lib/format";
import { useDocumentTitle } from "../../../../lib/hooks";
import { useTenantPermissions } from "../../../../lib/permissions";
import { sessionTrpc, useTRPC } from "../../../../lib/trpc";

type OrganizationSettings = RouterOutputs["system"]["settings"]["get"];

const LOGO_MAX_BYTES = 100 * 1024;
const SESSION_LIFETIME = { min: 15, max: 10080 };
const TOKEN_LIFETIME_DAYS = { min: 1, max: 365 };
const joinableRoles = ["admin", "member", "viewer"] as const;

export const Route = createFileRoute("/_app/$tenant/system/settings")({
  loader: ({ context }) =>
    context.queryClient.ensureQueryData(context.api.trpc.system.settings.get.queryOptions()),
  component: SettingsPage,
});

function SettingsPage() {
  const trpc = useTRPC();
  const { data: settings } = useSuspenseQuery(trpc.system.settings.get.queryOptions());
  const permissions = useTenantPermissions();
  const canEdit = permissions.has("system.admin");
  useDocumentTitle("Organization settings");

  return (
    <div className="page page-narrow">
      <PageHeader
        title="Organization settings"
        icon={<Building2 size={20} aria-hidden="true" />}
        description={
          <>
            How {settings.name} looks, who may join it, and how its members sign in.
            {canEdit ? null : " Only administrators can change them."}
          </>
        }
      />
      <GeneralSettings settings={settings} disabled={!canEdit} />
      <SecuritySettings settings={settings} disabled={!canEdit} />
      {canEdit ? <DangerZone settings={settings} /> : null}
    </div>
  );
}

function useSettingsRefresh() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return (next: OrganizationSettings) => {
    queryClient.setQueryData(trpc.system.settings.get.queryKey(), next);
    void queryClient.invalidateQueries(trpc.system.organization.pathFilter());
    void queryClient.invalidateQueries(sessionTrpc.system.me.pathFilter());
  };
}

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

function GeneralSettings({ settings, disabled }: { settings: OrganizationSettings; disabled: boolean }) {
  const trpc = useTRPC();
  const applied = useSettingsRefresh();
  const [name, setName] = useState(settings.name);
  const [logoUrl, setLogoUrl] = useState<string | null>(settings.logoUrl);
  const [brandColor, setBrandColor] = useState(settings.brandColor ?? "");
  const [defaultRole, setDefaultRole] = useState(settings.defaultRole);
  const [logoError, setLogoError] = useState<string | null>(null);
  const logoId = useId();
  const update = useMutation({
    ...trpc.system.settings.update.mutationOptions(),
    onSuccess: (next) => {
      applied(next);
      // Show what the server kept (it normalises, e.g. the colour's case), without remounting the form.
      setName(next.name);
      setLogoUrl(next.logoUrl);
      setBrandColor(next.brandColor ?? "");
      setDefaultRole(next.defaultRole);
      notify("Settings saved");
    },
  });

  const onLogo = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    setLogoError(null);
    if (!file) return;
    if (!["image/png", "image/svg+xml"].includes(file.type)) {
      setLogoError("Use a PNG or SVG image.");
      return;
    }
    if (file.size > LOGO_MAX_BYTES) {
      setLogoError("The logo is larger than 100 KB.");
      return;
    }
    setLogoUrl(await readAsDataUrl(file));
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const color = brandColor.trim();
    update.mutate({
      ...(name.trim() !== settings.name ? { name: name.trim() } : {}),
      ...(logoUrl !== settings.logoUrl ? { logoUrl } : {}),
      ...(color !== (settings.brandColor ?? "") ? { brandColor: color || null } : {}),
      ...(defaultRole !== settings.defaultRole && defaultRole !== "owner" ? { defaultRole } : {}),
    });
  };

  const changed =
    name.trim() !== settings.name ||
    logoUrl !== settings.logoUrl ||
    brandColor.trim() !== (settings.brandColor ?? "") ||
    defaultRole !== settings.defaultRole;

  return (
    <section className="panel" aria-labelledby="general-title">
      <h2 id="general-title" className="panel-title">
        General
      </h2>
      <form className="form" onSubmit={onSubmit}>
        <fieldset className="fieldset-plain" disabled={disabled}>
          <FormField label="Name" name="name" error={update.error}>
            {(control) => (
              <input
                {...control}
                className="input"
                required
                minLength={2}
                maxLength={120}
                value={name}
                onChange={(event) => setName(event.target.value)}
              />
            )}
          </FormField>
          <div className="field">
            <label htmlFor={logoId}>Logo</label>
            <div className="logo-row">
              <span className="logo-preview" style={brandColor ? { borderColor: brandColor } : undefined}>
                {logoUrl?.startsWith("data:") ? (
                  <img src={logoUrl} alt="Current logo" />
                ) : logoUrl ? (
                  <span className="muted small">Linked image</span>
                ) : (
                  <Building2 size={20} aria-hidden="true" className="muted" />
                )}
              </span>
              <label className="button file-button">
                <ImageUp size={14} aria-hidden="true" />
                Upload PNG or SVG
                <input
                  id={logoId}
                  type="file"
                  accept="image/png,image/svg+xml"
                  className="visually-hidden"
                  onChange={onLogo}
                />
              </label>
              {logoUrl ? (
                <button type="button" className="button button-ghost" onClick={() => setLogoUrl(null)}>
                  Remove
                </button>
              ) : null}
            </div>
            <p className="field-hint">At most 100 KB. Shown in the navigation and on sign-in.</p>
            {logoError ? <p className="field-errors">{logoError}</p> : null}
            <FieldErrors error={update.error} name="logoUrl" />
          </div>
          <FormField
            label="Brand colour"
            name="brandColor"
            error={update.error}
            hint="A colour like #1a73e8, or empty for Nexus's own."
          >
            {(control) => (
              <div className="color-row">
                <input
                  type="color"
                  className="color-swatch"
                  aria-label="Pick the brand colour"
                  value={/^#[0-9a-f]{6}$/i.test(brandColor) ? brandColor : "#4f46e5"}
                  onChange={(event) => setBrandColor(event.target.value)}
                />
                <input
                  {...control}
                  className="input mono input-narrow"
                  placeholder="#1a73e8"
                  maxLength={7}
                  value={brandColor}
                  onChange={(event) => setBrandColor(event.target.value)}
                />
              </div>
            )}
          </FormField>
          <FormField
            label="Default role"
            name="defaultRole"
            error={update.error}
            hint="The role of people who join by single sign-on from an allowed domain, and of invitations without a role."
          >
            {(control) => (
              <select
                {...control}
                className="input select"
                value={defaultRole}
                onChange={(event) =>
                  setDefaultRole(event.target.value as OrganizationSettings["defaultRole"])
                }
              >
                {joinableRoles.map((role) => (
                  <option key={role} value={role}>
                    {capitalize(role)}
                  </option>
                ))}
              </select>
            )}
          </FormField>
        </fieldset>
        <FormError error={update.error} fields={["name", "logoUrl", "brandColor", "defaultRole"]} />
        {disabled ? null : (
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={!changed || update.isPending}>
              {update.isPending ? <Spinner size={14} /> : null}
              Save changes
            </button>
          </div>
        )}
      </form>
    </section>
  );
}

function SecuritySettings({ settings, disabled }: { settings: OrganizationSettings; disabled: boolean }) {
  const trpc = useTRPC();
  const applied = useSettingsRefresh();
  const { data: profile } = useQuery(sessionTrpc.system.profile.get.queryOptions());
  const [domains, setDomains] = useState(settings.security.allowedDomains.join("\n"));
  const [ssoOnly, setSsoOnly] = useState(settings.security.ssoOnly);
  const [twoFactorRequired, setTwoFactorRequired] = useState(settings.security.twoFactorRequired);
  const [lifetime, setLifetime] = useState(String(settings.security.sessionLifetimeMinutes));
  const [tokenDays, setTokenDays] = useState(String(settings.security.patMaxLifetimeDays));
  const [tokenNoExpiry, setTokenNoExpiry] = useState(settings.security.patAllowNoExpiry);
  const ssoId = useId();
  const twoFactorId = useId();
  const tokenNoExpiryId = useId();
  const update = useMutation({
    ...trpc.system.settings.updateSecurity.mutationOptions(),
    onSuccess: (next) => {
      applied(next);
      setDomains(next.security.allowedDomains.join("\n"));
      setSsoOnly(next.security.ssoOnly);
      setTwoFactorRequired(next.security.twoFactorRequired);
      setLifetime(String(next.security.sessionLifetimeMinutes));
      setTokenDays(String(next.security.patMaxLifetimeDays));
      setTokenNoExpiry(next.security.patAllowNoExpiry);
      notify("Security settings saved");
    },
  });

  const domainList = domains
    .split(/[\s,;]+/)
    .map((d) => d.trim().toLowerCase())
    .filter(Boolean);
  const minutes = Number(lifetime);
  const lifetimeError =
    lifetime !== "" &&
    (!Number.isInteger(minutes) || minutes < SESSION_LIFETIME.min || minutes > SESSION_LIFETIME.max)
      ? [`Use a whole number of minutes from ${SESSION_LIFETIME.min} to ${SESSION_LIFETIME.max} (7 days).`]
      : undefined;
  const days = Number(tokenDays);
  const tokenDaysError =
    tokenDays !== "" &&
    (!Number.isInteger(days) || days < TOKEN_LIFETIME_DAYS.min || days > TOKEN_LIFETIME_DAYS.max)
      ? [`Use a whole number of days from ${TOKEN_LIFETIME_DAYS.min} to ${TOKEN_LIFETIME_DAYS.max} (1 year).`]
      : undefined;
  const lockingOut =
    twoFactorRequired && !settings.security.twoFactorRequired && profile && !profile.twoFactor.enabled;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (lifetimeError || tokenDaysError) return;
    update.mutate({
      allowedDomains: domainList,
      ssoOnly,
      twoFactorRequired,
      sessionLifetimeMinutes: minutes,
      patMaxLifetimeDays: days,
      patAllowNoExpiry: tokenNoExpiry,
    });
  };

  return (
    <section className="panel" aria-labelledby="security-title">
      <h2 id="security-title" className="panel-title">
        Security
      </h2>
      <form className="form" onSubmit={onSubmit}>
        <fieldset className="fieldset-plain" disabled={disabled}>
          <FormField
            label="Allowed email domains"
            name="allowedDomains"
            error={update.error}
            hint="People with an address at these domains may join by signing in with Google or Microsoft, with the default role. One per line."
          >
            {(control) => (
              <textarea
                {...control}
                className="input textarea mono"
                rows={3}
                placeholder="riverton.k12.mo.us"
                value={domains}
                onChange={(event) => setDomains(event.target.value)}
              />
            )}
          </FormField>
          <div className="switch-row">
            <input
              id={ssoId}
              type="checkbox"
              className="checkbox"
              checked={ssoOnly}
              onChange={(event) => setSsoOnly(event.target.checked)}
            />
            <label htmlFor={ssoId}>
              <span className="strong">Single sign-on only</span>
              <span className="field-hint">
                Members must sign in with Google or Microsoft, not a password.
              </span>
            </label>
          </div>
          <div className="switch-row">
            <input
              id={twoFactorId}
              type="checkbox"
              className="checkbox"
              checked={twoFactorRequired}
              onChange={(event) => setTwoFactorRequired(event.target.checked)}
            />
            <label htmlFor={twoFactorId}>
              <span className="strong">Require two-factor authentication</span>
              <span className="field-hint">
                Members without it are sent to set it up before they can work in the organization.
              </span>
            </label>
          </div>
          {lockingOut ? (
            <div className="notice notice-warning" role="status">
              <ShieldAlert size={16} aria-hidden="true" />
              <span>
                You have not set up two-factor authentication yourself. Requiring it needs yours first:{" "}
                <Link to="/me/two-factor" className="text-link">
                  set it up
                </Link>
                , then come back.
              </span>
            </div>
          ) : null}
          <FieldErrors error={update.error} name="twoFactorRequired" />
          <FormField
            label="Session lifetime (minutes)"
            name="sessionLifetimeMinutes"
            error={update.error}
            errors={lifetimeError}
            hint="A session unused for this long in this organization ends. 480 is a working day; 10080 is a week."
          >
            {(control) => (
              <input
                {...control}
                type="number"
                inputMode="numeric"
                className="input input-narrow"
                min={SESSION_LIFETIME.min}
                max={SESSION_LIFETIME.max}
                step={1}
                required
                value={lifetime}
                onChange={(event) => setLifetime(event.target.value)}
              />
            )}
          </FormField>
          <FormField
            label="Longest personal access token lifetime (days)"
            name="patMaxLifetimeDays"
            error={update.error}
            errors={tokenDaysError}
            hint="Members' personal access tokens for this organization expire within this many days. 365 is a year. Tokens already made keep their expiry."
          >
            {(control) => (
              <input
                {...control}
                type="number"
                inputMode="numeric"
                className="input input-narrow"
                min={TOKEN_LIFETIME_DAYS.min}
                max={TOKEN_LIFETIME_DAYS.max}
                step={1}
                required
                value={tokenDays}
                onChange={(event) => setTokenDays(event.target.value)}
              />
            )}
          </FormField>
          <div className="switch-row">
            <input
              id={tokenNoExpiryId}
              type="checkbox"
              className="checkbox"
              checked={tokenNoExpiry}
              onChange={(event) => setTokenNoExpiry(event.target.checked)}
            />
            <label htmlFor={tokenNoExpiryId}>
              <span className="strong">Allow personal access tokens that never expire</span>
              <span className="field-hint">
                A token that never expires works until it is revoked, even if it leaks. Off, every token
                expires within the lifetime above.
              </span>
            </label>
          </div>
          <FieldErrors error={update.error} name="patAllowNoExpiry" />
        </fieldset>
        <FormError
          error={update.error}
          fields={[
            "allowedDomains",
            "sessionLifetimeMinutes",
            "twoFactorRequired",
            "patMaxLifetimeDays",
            "patAllowNoExpiry",
          ]}
        />
        {disabled ? null : (
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={update.isPending}>
              {update.isPending ? <Spinner size={14} /> : null}
              Save security settings
            </button>
          </div>
        )}
      </form>
    </section>
  );
}

function DangerZone({ settings }: { settings: OrganizationSettings }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const remove = useMutation(trpc.system.settings.deleteOrganization.mutationOptions());

  return (
    <section className="panel panel-danger" aria-labelledby="danger-title">
      <h2 id="danger-title" className="panel-title">
        Delete the organization
      </h2>
      <p className="muted">
        Nobody can sign in to {settings.name} afterwards. Its records and history are kept, but its short name
        cannot be used again. Only an owner can do this.
      </p>
      <div>
        <ConfirmDialog
          trigger={
            <button type="button" className="button button-danger-outline">
              <Trash2 size={14} aria-hidden="true" />
              Delete organization
            </button>
          }
          title={`Delete ${settings.name}?`}
          confirmLabel="Delete organization"
          pendingLabel="Deleting…"
          tone="danger"
          confirmText={settings.slug}
          onConfirm={async () => {
            await remove.mutateAsync({ confirmSlug: settings.slug });
            notify(`${settings.name} was deleted`, { tone: "info" });
            await queryClient.invalidateQueries(sessionTrpc.system.me.pathFilter());
            await navigate({ to: "/" });
          }}
        >
          <p>Every member loses access at once. This cannot be undone from Nexus.</p>
        </ConfirmDialog>
      </div>
    </section>
  );
}
