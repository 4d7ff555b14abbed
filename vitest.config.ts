import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { newLocalSecrets } from "./scripts/lib/secrets";

const setupFiles = ["tests/support/console-guard.ts"];

export default defineConfig({
  test: {
    // Keep the Worker's request logs out of the output unless a test fails.
    silent: "passed-only",
    projects: [
      {
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts"],
          environment: "node",
          setupFiles,
        },
      },
      {
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          // One file at a time: files share one sqld, and some start a Worker of their own.
          fileParallelism: false,
          environment: "node",
          globalSetup: ["tests/support/sqld-global-setup.ts"],
          setupFiles,
          // Generous: CI runs these on two cores beside sqld; a stuck request still fails (15 s DB timeout).
          testTimeout: 60_000,
          hookTimeout: 90_000,
        },
      },
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            main: "./worker/index.ts",
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                ENVIRONMENT: "test",
                LIBSQL_URL: inject("sqldUrl"),
                LIBSQL_ADMIN_URL: inject("sqldAdminUrl"),
                PUBLIC_URL: "http://nexus.test",
                ...newLocalSecrets(),
              },
            },
          })),
        ],
        test: {
          name: "runtime",
          include: ["tests/runtime/**/*.test.ts"],
          globalSetup: ["tests/support/sqld-global-setup.ts"],
          setupFiles,
          // Files share the Worker's control database and /readyz looks at every tenant: run them one by one.
          fileParallelism: false,
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          environment: "node",
          setupFiles,
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
