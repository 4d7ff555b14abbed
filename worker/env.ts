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
  // (fields for SSO go here)
  // Email delivery.
  // (fields for email go here)
  /** "1" mounts the benchmark's bare comparison route. Never set in production. */
  BENCH_ROUTES?: string;
  JOBS: Queue<unknown>;
  DEAD_LETTERS: Queue<unknown>;
  ASSETS?: Fetcher;
}
