import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bulkInsert, bulkInsertStatements } from "../../db/bulk";
import { issues, schools } from "../../db/tenant/schema";
import { newId } from "../../shared/ids";
import { issueRow } from "../../worker/packages/projects/issues/bulk-load";
import { freshTenantDb } from "../support/databases";

const school = (i: number) => ({
  id: `school-${String(i).padStart(5, "0")}`,
  code: String(10_000 + i),
  name: `School ${i}`,
  level: "elementary" as const,
  lowGrade: 0,
  highGrade: 5,
  createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
  updatedAt: new Date(Date.UTC(2026, 0, 1)),
});

describe("bulkInsert", () => {
  it("writes rows as drizzle reads them back: snake_case columns, encoded values, defaults filled in", async () => {
    const { db } = await freshTenantDb();
    const row = issueRow({
      number: 7,
      projectScope: "tenant",
      projectId: newId(),
      type: "incident",
      title: "Wi-Fi down in the library",
      tags: ["wifi", "library"],
      details: { building: "B" },
      dueAt: new Date("2026-03-01T12:00:00Z"),
    });
    const { slaPausedMinutes: _left, ...withoutDefault } = row;
    expect(await bulkInsert(db, issues, [withoutDefault])).toBe(1);
    const [back] = await db.select().from(issues).where(eq(issues.id, row.id));
    expect(back).toEqual(row);
  });

  it("splits many rows into statements within SQLite's variable limit and inserts them all, in batches", async () => {
    const { db } = await freshTenantDb();
    const rows = Array.from({ length: 1_234 }, (_, i) => school(i));
    const statements = bulkInsertStatements(schools, rows);
    expect(statements.length).toBeGreaterThan(1);
    for (const s of statements) expect((s as { args: unknown[] }).args.length).toBeLessThanOrEqual(32_766);
    expect(await bulkInsert(db, schools, rows)).toBe(rows.length);
    const back = await db
      .select({ id: schools.id, status: schools.status })
      .from(schools)
      .orderBy(asc(schools.id));
    expect(back.map((r) => r.id)).toEqual(rows.map((r) => r.id));
    expect(new Set(back.map((r) => r.status))).toEqual(new Set(["open"]));
  });

  it("skips rows that break a uniqueness constraint when asked to, and counts only the rows it inserted", async () => {
    const { db } = await freshTenantDb();
    await bulkInsert(db, schools, [school(1), school(2)]);
    const again = [school(2), school(3)].map((s) => ({ ...s, id: `${s.id}-again` }));
    expect(await bulkInsert(db, schools, again, { orIgnore: true })).toBe(1);
    await expect(bulkInsert(db, schools, [{ ...school(1), id: "another" }])).rejects.toThrow(/UNIQUE/);
    expect(await db.$count(schools)).toBe(3);
  });
});
