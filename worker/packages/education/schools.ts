import { and, asc, count, eq, type SQL } from "drizzle-orm";
import { auditBy, auditIfChanged, auditRow } from "../../../db/audit";
import type { TenantDb } from "../../../db/client";
import type { ServiceContext } from "../../../db/context";
import { isUniqueViolation } from "../../../db/errors";
import { containsAny, decodeCursor, keysetAfter, keysetPage } from "../../../db/lists";
import { auditLog, schools } from "../../../db/tenant/schema";
import { AppError } from "../../../shared/errors";
import { newId } from "../../../shared/ids";
import {
  type ListSchoolsInput,
  listSchoolsInput,
  type OpenSchoolInput,
  openSchoolInput,
  type School,
  type SchoolLifecycleInput,
  schoolLifecycleInput,
} from "../../../shared/schemas/education";

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
  openedOn: schools.openedOn,
  closedOn: schools.closedOn,
};

const TAG = "schools:name";

/**
 * Schools by name, filtered by status and by a search of the name, building code, principal or city, one
 * keyset page at a time (stable under inserts, index-backed).
 */
export async function listSchools(ctx: Pick<ServiceContext, "db">, raw: ListSchoolsInput) {
  const input = listSchoolsInput.parse(raw);
  const where: SQL[] = [];
  if (input.status) where.push(eq(schools.status, input.status));
  if (input.search) {
    where.push(containsAny([schools.name, schools.code, schools.principal, schools.city], input.search));
  }
  if (input.cursor) {
    const [name, id] = decodeCursor(input.cursor, TAG, ["string", "string"]);
    where.push(
      keysetAfter("asc", [
        [schools.name, name],
        [schools.id, id],
      ]),
    );
  }
  const rows = await ctx.db
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

/** The latest day a change may take effect: today, wherever the district is (UTC+14 at the furthest). */
const latestDay = (now: Date) => new Date(now.getTime() + 14 * 3_600_000).toISOString().slice(0, 10);

function dayField(message: string) {
  return new AppError("BAD_REQUEST", message, { fieldErrors: { on: [message] } });
}

const notFound = () => new AppError("NOT_FOUND", "There is no such school in this organization.");

export async function getSchool(db: TenantDb, id: string): Promise<School> {
  const [row] = await db.select(columns).from(schools).where(eq(schools.id, id)).limit(1);
  if (!row) throw notFound();
  return row;
}

/**
 * Opens a new school on the day given: its building code must be free in the organization (CONFLICT
 * otherwise). Audited with the school as opened and, when given, why.
 */
export async function openSchool(ctx: ServiceContext, raw: OpenSchoolInput): Promise<School> {
  const input = openSchoolInput.parse(raw);
  const now = new Date();
  if (input.on > latestDay(now)) throw dayField("A school opens on a day that has come.");
  const row = {
    id: newId(),
    code: input.code,
    name: input.name,
    level: input.level,
    lowGrade: input.lowGrade,
    highGrade: input.highGrade,
    status: "open" as const,
    principal: input.principal ?? null,
    address: input.address ?? null,
    city: input.city ?? null,
    phone: input.phone ?? null,
    openedOn: input.on,
    closedOn: null,
    createdAt: now,
    updatedAt: now,
  };
  const { db } = ctx;
  try {
    await db.batch([
      db.insert(schools).values(row),
      db.insert(auditLog).values(
        auditRow(
          auditBy(ctx, "school", row.id, {
            action: "school.opened",
            after: { code: row.code, name: row.name, openedOn: row.openedOn, reason: input.reason ?? null },
          }),
          now,
        ),
      ),
    ]);
  } catch (error) {
    if (isUniqueViolation(error, "schools.code")) {
      const message = `A school with building code ${input.code} already exists.`;
      throw new AppError("CONFLICT", message, { fieldErrors: { code: [message] }, reason: "code_taken" });
    }
    throw error;
  }
  return getSchool(db, row.id);
}

/**
 * Moves a school between open and closed on the day given, for a reason: a guarded change (only from the
 * state the transition starts at), audited with before and after in the same batch. A closed school takes
 * no new issues (Projects refuses it on filing and editing); its issues stay as they are.
 */
async function changeStatus(
  ctx: ServiceContext,
  raw: SchoolLifecycleInput,
  to: "open" | "closed",
): Promise<School> {
  const input = schoolLifecycleInput.parse(raw);
  const { db } = ctx;
  const current = await getSchool(db, input.id);
  const from = to === "closed" ? "open" : "closed";
  if (current.status !== from) {
    throw new AppError("CONFLICT", `${current.name} is already ${current.status}.`, {
      reason: `school_${current.status}`,
    });
  }
  const now = new Date();
  if (input.on > latestDay(now)) throw dayField("Choose a day that has come: today or earlier.");
  const since = to === "closed" ? current.openedOn : current.closedOn;
  if (since && input.on < since) {
    throw dayField(`Choose ${since} or later: the school ${to === "closed" ? "opened" : "closed"} then.`);
  }
  const set =
    to === "closed"
      ? { status: "closed" as const, closedOn: input.on, updatedAt: now }
      : { status: "open" as const, openedOn: input.on, closedOn: null, updatedAt: now };
  const [updated] = await db.batch([
    db
      .update(schools)
      .set(set)
      .where(and(eq(schools.id, current.id), eq(schools.status, from))),
    auditIfChanged(
      db,
      auditBy(ctx, "school", current.id, {
        action: to === "closed" ? "school.closed" : "school.reopened",
        before: { status: current.status, openedOn: current.openedOn, closedOn: current.closedOn },
        after: {
          status: set.status,
          openedOn: set.openedOn ?? current.openedOn,
          closedOn: set.closedOn,
          reason: input.reason,
        },
      }),
      now,
    ),
  ]);
  if (updated.rowsAffected === 0) {
    throw new AppError("CONFLICT", "This school changed meanwhile. Reload it and try again.");
  }
  return getSchool(db, current.id);
}

/** Closes an open school from the day given, for a reason (audited). */
export const closeSchool = (ctx: ServiceContext, input: SchoolLifecycleInput) =>
  changeStatus(ctx, input, "closed");

/** Reopens a closed school from the day given, for a reason (audited). */
export const reopenSchool = (ctx: ServiceContext, input: SchoolLifecycleInput) =>
  changeStatus(ctx, input, "open");
