import { z } from "zod";
import { SsoError } from "./errors";
import type { IdTokenClaims } from "./id-token";
import { MICROSOFT_CONSUMER_TENANT, type ProviderName } from "./providers";

/** Who the provider says signed in, reduced to what Nexus trusts (see docs/decisions/0009-sso.md). */
export interface ExternalIdentity {
  provider: ProviderName;
  /** The provider's stable id for this person (`sub`). */
  subject: string;
  /** Lower-cased; trusted as verified by the provider. */
  email: string;
  name: string;
}

const email = z.email().max(254);

/**
 * Reads the verified email address out of an ID token's claims.
 * - Google: `email` only when `email_verified` is true.
 * - Microsoft: `email`, else `preferred_username` when it is an address. Entra lets a tenant's
 *   administrator put any address in these claims, so an address is trusted only when Microsoft says the
 *   tenant owns its domain (`xms_edov` true, an optional claim the app registration must request) or
 *   the account is a personal Microsoft account (consumer tenant, whose addresses Microsoft verifies).
 */
export function identityFromClaims(provider: ProviderName, claims: IdTokenClaims): ExternalIdentity {
  let address: string | null;
  if (provider === "google") {
    address = asEmail(claims.email);
    if (address && !isTrue(claims.email_verified)) {
      throw new SsoError("email_not_verified", "Google says the address is not verified");
    }
  } else {
    address = asEmail(claims.email) ?? asEmail(claims.preferred_username);
    if (address && !isTrue(claims.xms_edov) && claims.tid !== MICROSOFT_CONSUMER_TENANT) {
      throw new SsoError(
        "email_not_verified",
        "Microsoft does not vouch for the address's domain (xms_edov)",
      );
    }
  }
  if (!address) throw new SsoError("email_not_verified", "the ID token carries no email address");
  const name = typeof claims.name === "string" && claims.name.trim() ? claims.name.trim().slice(0, 200) : "";
  return { provider, subject: claims.sub, email: address, name: name || address.split("@")[0]! };
}

function asEmail(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const lower = value.trim().toLowerCase();
  return email.safeParse(lower).success ? lower : null;
}

function isTrue(value: unknown): boolean {
  return value === true || value === "true" || value === 1 || value === "1";
}
