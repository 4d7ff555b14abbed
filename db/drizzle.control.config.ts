import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  casing: "snake_case",
  schema: "./db/control/schema/index.ts",
  out: process.env.NEXUS_MIGRATIONS_OUT ?? "./db/migrations/control",
});
