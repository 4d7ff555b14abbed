import { and, asc, desc } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { TenantDb } from "../../db/client";
import { containsAny, decodeCursor, keysetAfter, keysetPage } from "../../db/lists";
import { schools } from "../../db/tenant/schema";
import { freshTenantDb } from "../support/databases";

let db: TenantDb;
const names = ["Alpha", "Beta", "Beta", "Beta", "Gamma", "100% sure", "under_score", "Delta", "Delta"];

beforeAll(async () => {
  ({ db } = await freshTenantDb());
  const now = new Date();
  await db.insert(schools).values(
    names.map((name, i) => ({
      id: `s${String(i).padStart(2, "0")}`,
      code: String(1000 + i),
      name,
      level: "elementary" as const,
      lowGrade: 0,
      highGrade: 5,
      createdAt: now,
      updatedAt: now,
    })),
  );
});

/** Every page of the schools by (name, id) in `direction`, `limit` at a time, through the kit's helpers. */
async function walk(direction: "asc" | "desc", limit: number) {
  const order = direction === "asc" ? asc : desc;
  const tag = `schools:name:${direction}`;
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const after: readonly [string, string] | null = cursor
      ? decodeCursor(cursor, tag, ["string", "string"])
      : null;
    const rows: { id: string; name: string }[] = await db
      .select({ id: schools.id, name: schools.name })
      .from(schools)
      .where(
        after
          ? keysetAfter(direction, [
              [schools.name, after[0]],
              [schools.id, after[1]],
            ])
          : undefined,
      )
      .orderBy(order(schools.name), order(schools.id))
      .limit(limit + 1);
    const page = keysetPage(rows, limit, tag, (r) => [r.name, r.id]);
    seen.push(...page.items.map((r) => r.id));
    cursor = page.nextCursor;
  } while (cursor);
  return seen;
}

describe("keyset pages over a real database", () => {
  it("walks every row once, in order, across ties, in both directions and any page size", async () => {
    const all = await db.select({ id: schools.id }).from(schools).orderBy(asc(schools.name), asc(schools.id));
    const ascending = all.map((r) => r.id);
    for (const limit of [1, 2, 3, 20]) {
      expect(await walk("asc", limit), `asc ${limit}`).toEqual(ascending);
      expect(await walk("desc", limit), `desc ${limit}`).toEqual([...ascending].reverse());
    }
  });

  it("matches LIKE wildcards in a search literally", async () => {
    const found = async (term: string) =>
      (
        await db
          .select({ name: schools.name })
          .from(schools)
          .where(and(containsAny([schools.name], term)))
      ).map((r) => r.name);
    expect(await found("0%")).toEqual(["100% sure"]);
    expect(await found("r_s")).toEqual(["under_score"]);
    expect(await found("%")).toEqual(["100% sure"]);
    expect(await found("BETA")).toHaveLength(3);
  });
});
