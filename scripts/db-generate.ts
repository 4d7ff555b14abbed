/** Generates SQL migrations from the drizzle schema (drizzle-kit) and bundles them for the Worker. */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { renderBundle } from "../db/migrations/bundler";

for (const set of ["control", "tenant"] as const) {
  const args = ["drizzle-kit", "generate", "--config", `db/drizzle.${set}.config.ts`];
  const name = process.argv[2];
  if (name) args.push("--name", name);
  execFileSync("npx", args, { stdio: "inherit" });
  writeFileSync(`db/migrations/${set}/bundle.ts`, renderBundle(`db/migrations/${set}`, set));
}
