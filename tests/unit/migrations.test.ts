import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { renderBundle } from "../../db/migrations/bundler";

const sets = ["control", "tenant"] as const;

describe("the committed migrations", () => {
  it.each(sets)("bundle exactly the SQL drizzle-kit generated for the %s database", (set) => {
    const dir = `db/migrations/${set}`;
    expect(readFileSync(`${dir}/bundle.ts`, "utf8")).toBe(renderBundle(dir, set));
  });

  it.each(sets)(
    "match the %s schema (drizzle-kit finds nothing new to generate)",
    (set) => {
      // drizzle-kit wants a relative output folder, and exits 0 even when it fails: check what it says.
      mkdirSync(".tmp", { recursive: true });
      const out = relative(process.cwd(), mkdtempSync(join(".tmp", `drift-${set}-`)));
      cpSync(`db/migrations/${set}`, out, { recursive: true });
      const before = readdirSync(out).sort();
      const said = execFileSync(
        "node_modules/.bin/drizzle-kit",
        ["generate", "--config", `db/drizzle.${set}.config.ts`],
        {
          env: { ...process.env, NEXUS_MIGRATIONS_OUT: out },
          stdio: "pipe",
          encoding: "utf8",
        },
      );
      rmSync(out, { recursive: true, force: true });
      expect(said).toContain("No schema changes");
      expect(readdirSync(`db/migrations/${set}`).sort()).toEqual(before);
    },
    60_000,
  );
});
