import { and, asc, count, eq, gt, or, type SQL, sql } from "drizzle-orm";
import type { TenantDb } from "../../../db/client";
import { schools } from "../../../db/tenant/schema";
import { AppError } from "../../../shared/errors";
import type { ListSchoolsInput } from "../../../shared/schemas/education";
import { listSchoolsInput } from "../../../shared/schemas/education";

const columns = {
  id: schools.id,
  code: schools.code,
  name: schools.name,
  level: schools.level,
  lowGrade: schools.lowGrade,
  highGrade: schools.highGrade,
  status: schools.status,
  principal: schools.principal,
  city: schools.city,
  phone: schools.phone,
};

function decodeCursor(cursor: string): { name: string; id: string } {
  try {
    const [name, id] = JSON.parse(atob(cursor)) as [unknown, unknown];
    if (typeof name === "string" && typeof id === "string") return { name, id };
  } catch {
    // fall through
  }
  throw new AppError("BAD_REQUEST", "The page cursor is not valid. Start from the first page.", {
    fieldErrors: { cursor: ["Not a cursor Nexus issued"] },
  });
}

const encodeCursor = (row: { name: string; id: string }) => btoa(JSON.stringify([row.name, row.id]));

/** Schools by name, filtered, one keyset page at a time (stable under inserts, index-backed). */
export async function listSchools(db: TenantDb, raw: ListSchoolsInput) {
  const input = listSchoolsInput.parse(raw);
  const where: SQL[] = [];
  if (input.status) where.push(eq(schools.status, input.status));
  if (input.search) {
    const term = `%${input.search.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
    where.push(sql`(${schools.name} LIKE ${term} ESCAPE '\\' OR ${schools.code} LIKE ${term} ESCAPE '\\')`);
  }
  if (input.cursor) {
    const after = decodeCursor(input.cursor);
    where.push(
      or(gt(schools.name, after.name), and(eq(schools.name, after.name), gt(schools.id, after.id)))!,
    );
  }
  const rows = await db
    .select(columns)
    .from(schools)
    .where(and(...where))
    .orderBy(asc(schools.name), asc(schools.id))
    .limit(input.limit + 1);
  const more = rows.length > input.limit;
  const items = more ? rows.slice(0, input.limit) : rows;
  return { items, nextCursor: more ? encodeCursor(items[items.length - 1]!) : null };
}

export async function countSchoolsByStatus(db: TenantDb): Promise<Record<"open" | "closed", number>> {
  const rows = await db
    .select({ status: schools.status, count: count() })
    .from(schools)
    .groupBy(schools.status);
  const counts = { open: 0, closed: 0 };
  for (const row of rows) counts[row.status] = row.count;
  return counts;
}
