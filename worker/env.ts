/** Bindings, vars and secrets of the Worker (wrangler.toml, .dev.vars, Worker secrets). */
export interface Env {
  ENVIRONMENT: "development" | "test" | "production";
  DATA_PLANE: "local" | "turso";
  LIBSQL_URL?: string;
  LIBSQL_ADMIN_URL?: string;
  CONTROL_DATABASE_URL?: string;
  CONTROL_DATABASE_TOKEN?: string;
  TURSO_API_URL?: string;
  TURSO_ORGANIZATION?: string;
  TURSO_GROUP?: string;
  TURSO_API_TOKEN?: string;
  TURSO_DATABASE_TOKEN?: string;
  /** Secret: base64 of 32 random bytes; encrypts TOTP secrets at rest (AES-GCM). */
  ENCRYPTION_KEY?: string;
  /** Public origin of Nexus (e.g. https://nexus.example.org), for links in email and OAuth redirects. */
  PUBLIC_URL?: string;
  // Sign-in with Google and Microsoft (OIDC).
  /** Google OAuth client id; unset means "Sign in with Google" is off. */
  GOOGLE_CLIENT_ID?: string;
  /** Secret: the Google OAuth client's secret. */
  GOOGLE_CLIENT_SECRET?: string;
  /** OIDC issuer whose discovery document is used; default https://accounts.google.com (tests use a local one). */
  GOOGLE_ISSUER?: string;
  /** Microsoft Entra ID application (client) id; unset means "Sign in with Microsoft" is off. */
  MICROSOFT_CLIENT_ID?: string;
  /** Secret: the Entra application's client secret. */
  MICROSOFT_CLIENT_SECRET?: string;
  /** Entra tenant the app signs in from: "common" (default), "organizations", "consumers" or a tenant id. */
  MICROSOFT_TENANT?: string;
  /** OIDC issuer; default https://login.microsoftonline.com/<MICROSOFT_TENANT>/v2.0 (tests use a local one). */
  MICROSOFT_ISSUER?: string;
  // Email delivery.
  /** Base URL of a Resend-style email API (e.g. https://api.resend.com); unset: mail is only captured. */
  EMAIL_API_URL?: string;
  /** Secret: the email provider's API key; unset: mail is only captured in the outbox. */
  EMAIL_API_KEY?: string;
  /** Sender address, e.g. "Nexus <no-reply@nexus.example.org>"; required once the provider is configured. */
  EMAIL_FROM?: string;
  /** Issue attachments. */
  ATTACHMENTS: R2Bucket;
  JOBS: Queue<unknown>;
  DEAD_LETTERS: Queue<unknown>;
  ASSETS?: Fetcher;
}
