import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, sep } from "node:path";
import { describe, expect, it } from "vitest";

/** Every .ts/.tsx source file under `dir` (tests excluded). */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.tsx?$/.test(e.name) && !/\.test\./.test(e.name) ? [path] : [];
  });
}

/** The repository paths `file` imports relatively, e.g. "worker/packages/system/users/cursor". */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/from\s+["'](\.[^"']+)["']/g)].map((m) => normalize(join(dirname(file), m[1]!)));
}

describe("the package kit's layering", () => {
  it("keeps db/ free of imports from worker/", () => {
    const crossings = sources("db").flatMap((file) =>
      importsOf(file)
        .filter((target) => target.split(sep)[0] === "worker")
        .map((target) => `${file} -> ${target}`),
    );
    expect(crossings).toEqual([]);
  });

  it("keeps every package out of another package's files", () => {
    const crossings = sources(join("worker", "packages")).flatMap((file) => {
      const own = file.split(sep)[2];
      return importsOf(file)
        .filter((target) => {
          const [top, packages, other] = target.split(sep);
          return top === "worker" && packages === "packages" && other !== undefined && other !== own;
        })
        .map((target) => `${file} -> ${target}`);
    });
    expect(crossings).toEqual([]);
  });

  it("finds the imports it checks (a check that reads nothing would always pass)", () => {
    expect(importsOf(join("worker", "packages", "system", "overview.ts"))).toContain(join("worker", "home"));
    expect(sources("db").length).toBeGreaterThan(10);
  });
});
