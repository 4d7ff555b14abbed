import { and, asc, count, eq, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../../db/client";
import { containsAny, decodeCursor, keysetAfter, keysetPage } from "../../../db/lists";
import { schools } from "../../../db/tenant/schema";
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

const TAG = "schools:name";

/** Schools by name, filtered, one keyset page at a time (stable under inserts, index-backed). */
export async function listSchools(db: TenantDb, raw: ListSchoolsInput) {
  const input = listSchoolsInput.parse(raw);
  const where: SQL[] = [];
  if (input.status) where.push(eq(schools.status, input.status));
  if (input.search) where.push(containsAny([schools.name, schools.code], input.search));
  if (input.cursor) {
    const [name, id] = decodeCursor(input.cursor, TAG, ["string", "string"]);
    where.push(
      keysetAfter("asc", [
        [schools.name, name],
        [schools.id, id],
      ]),
    );
  }
  const rows = await db
    .select(columns)
    .from(schools)
    .where(and(...where))
    .orderBy(asc(schools.name), asc(schools.id))
    .limit(input.limit + 1);
  return keysetPage(rows, input.limit, TAG, (row) => [row.name, row.id]);
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
