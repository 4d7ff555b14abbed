import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  casing: "snake_case",
  schema: "./db/tenant/schema/index.ts",
  out: process.env.NEXUS_MIGRATIONS_OUT ?? "./db/migrations/tenant",
});
