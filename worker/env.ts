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
  /** "1" mounts the benchmark's bare comparison route. Never set in production. */
  BENCH_ROUTES?: string;
  JOBS: Queue<unknown>;
  DEAD_LETTERS: Queue<unknown>;
  ASSETS?: Fetcher;
}
