/**
 * Why an SSO sign-in stopped. The code is what the browser is sent back with (`/sign-in?error=<code>`); the
 * detail is only logged.
 */
export const ssoErrorCodes = [
  "unknown_provider",
  "provider_not_configured",
  "public_url_not_configured",
  "provider_unavailable",
  "provider_denied",
  "invalid_request",
  "invalid_state",
  "token_exchange_failed",
  "invalid_id_token",
  "email_not_verified",
  "no_account",
  "account_disabled",
  "account_unconfirmed",
  "sign_in_failed",
] as const;
export type SsoErrorCode = (typeof ssoErrorCodes)[number];

export class SsoError extends Error {
  override readonly name = "SsoError";
  constructor(
    readonly code: SsoErrorCode,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${detail}`, options);
  }
}
