import type { AcceptInvitationOutput, InvitationPreview } from "../../shared/schemas/invitations";
import type { RegisterOrganizationOutput } from "../../shared/schemas/organizations";
import { httpErrorFrom } from "./errors";
import { postJson, setSessionState } from "./session";

/** The single sign-on providers the server has credentials for. */
export interface Providers {
  google: boolean;
  microsoft: boolean;
}

export type ProviderName = keyof Providers;

export const providerLabels: Record<ProviderName, string> = { google: "Google", microsoft: "Microsoft" };

/** GET /auth/providers. */
export async function fetchProviders(): Promise<Providers> {
  const response = await fetch("/auth/providers", { credentials: "same-origin" });
  if (!response.ok) throw await httpErrorFrom(response);
  return (await response.json()) as Providers;
}

/** GET /auth/providers as a query, shared by the sign-in and register pages. */
export const providersQuery = {
  queryKey: ["@auth", "providers"],
  queryFn: fetchProviders,
  staleTime: 5 * 60_000,
  retry: false,
} as const;

/** Where a provider's button goes: the server starts the OpenID Connect flow and comes back to `next`. */
export function ssoStartUrl(provider: ProviderName, intent: "signin" | "register", next?: string): string {
  const params = new URLSearchParams({ intent });
  if (next) params.set("next", next);
  return `/auth/oauth/${provider}/start?${params.toString()}`;
}

/** Why a single sign-on attempt came back to the sign-in page (`/sign-in?error=<code>`), in words. */
export const ssoErrorMessages: Record<string, string> = {
  unknown_provider: "That sign-in provider is not one Nexus knows.",
  provider_not_configured: "Signing in with that provider is not set up for Nexus.",
  public_url_not_configured:
    "Signing in with a provider is not available until Nexus's public address is configured. Tell your district's Nexus administrator.",
  provider_unavailable: "The sign-in provider could not be reached. Try again in a few minutes.",
  provider_denied: "The sign-in provider did not let you in, or the sign-in was cancelled.",
  invalid_request: "The sign-in request was not valid. Start again.",
  invalid_state: "The sign-in took too long or was started in another window. Start again.",
  token_exchange_failed: "Nexus could not complete the sign-in with the provider. Try again.",
  invalid_id_token: "The provider's answer could not be verified. Try again.",
  email_not_verified:
    "Your email address is not verified with the provider. Verify it there, then try again.",
  no_account:
    "There is no Nexus account for that address, and your district does not let your email domain join automatically. Ask your administrator for an invitation.",
  account_disabled: "This account is deactivated. Ask your district's Nexus administrator.",
  account_unconfirmed:
    "A Nexus account uses this address but has not confirmed it yet. Sign in with its password and confirm the address from your profile (or ask your administrator), then sign in with the provider.",
  sign_in_failed: "Signing in did not work. Try again.",
};

export function ssoErrorMessage(code: string): string {
  return ssoErrorMessages[code] ?? "Signing in did not work. Try again.";
}

/** POST /auth/email-check: whether an address already has an account (rate limited). */
export async function checkEmail(email: string): Promise<boolean> {
  const response = await postJson("/auth/email-check", { email });
  if (!response.ok) throw await httpErrorFrom(response);
  return ((await response.json()) as { inUse: boolean }).inUse;
}

export interface RegistrationInput {
  organizationName: string;
  slug: string;
  name: string;
  email: string;
  password: string;
}

/** POST /auth/register: creates the organization and its first owner, and signs them in. */
export async function registerOrganization(input: RegistrationInput): Promise<RegisterOrganizationOutput> {
  const response = await postJson("/auth/register", input);
  if (!response.ok) throw await httpErrorFrom(response);
  setSessionState("active");
  return (await response.json()) as RegisterOrganizationOutput;
}

/** GET /auth/invitations/:token: what the link invites to. */
export async function fetchInvitation(token: string): Promise<InvitationPreview> {
  const response = await fetch(`/auth/invitations/${encodeURIComponent(token)}`, {
    credentials: "same-origin",
  });
  if (!response.ok) throw await httpErrorFrom(response);
  return (await response.json()) as InvitationPreview;
}

/** POST /auth/invitations/:token/accept: as the signed-in user (no account), or creating one. */
export async function acceptInvitation(
  token: string,
  account?: { name: string; password: string },
): Promise<AcceptInvitationOutput> {
  const response = await postJson(`/auth/invitations/${encodeURIComponent(token)}/accept`, account ?? {});
  if (!response.ok) throw await httpErrorFrom(response);
  const result = (await response.json()) as AcceptInvitationOutput;
  setSessionState("active");
  return result;
}

/** The slug an organization's name suggests: "Riverton R-IV School District" → "riverton-r-iv-school-district". */
export function slugFrom(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .replace(/^[^a-z]+/, "");
  return slug.slice(0, 40).replace(/-+$/, "");
}
