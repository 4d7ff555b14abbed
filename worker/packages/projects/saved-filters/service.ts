import { and, asc, eq } from "drizzle-orm";
import type { z } from "zod";
import { auditBy, auditRow } from "../../../../db/audit";
import type { UserContext } from "../../../../db/context";
import { isUniqueViolation } from "../../../../db/errors";
import { auditLog, savedFilters } from "../../../../db/tenant/schema";
import { AppError } from "../../../../shared/errors";
import { newId } from "../../../../shared/ids";
import {
  createSavedFilterInput,
  issueFilters,
  issueSort,
  type SavedFilter,
  updateSavedFilterInput,
} from "../../../../shared/schemas/issues";

/** Saved filters of the issue list. Other object types will store theirs under their own type. */
const OBJECT_TYPE = "issue";

type Row = typeof savedFilters.$inferSelect;

const notFound = () => new AppError("NOT_FOUND", "You have no saved filter by that id.");
const nameTaken = (name: string) =>
  new AppError("CONFLICT", `You already have a saved filter named "${name}".`, {
    fieldErrors: { name: ["You already use this name"] },
    reason: "name_taken",
  });

function toSavedFilter(row: Row): SavedFilter {
  const stored = row.filters as { filters?: unknown; sort?: unknown };
  const filters = issueFilters.safeParse(stored.filters ?? {});
  const sort = issueSort.safeParse(stored.sort);
  return {
    id: row.id,
    name: row.name,
    // A preset saved under older rules degrades to no filter rather than breaking the list.
    filters: filters.success ? filters.data : {},
    sort: stored.sort && sort.success ? sort.data : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const mine = (ctx: UserContext, id: string) =>
  and(
    eq(savedFilters.id, id),
    eq(savedFilters.userId, ctx.actor.userId),
    eq(savedFilters.objectType, OBJECT_TYPE),
  );

async function loadMine(ctx: UserContext, id: string): Promise<Row> {
  const [row] = await ctx.db.select().from(savedFilters).where(mine(ctx, id)).limit(1);
  if (!row) throw notFound();
  return row;
}

/** The caller's own saved issue filters, by name. Nobody else's are ever listed. */
export async function listSavedFilters(ctx: UserContext) {
  const rows = await ctx.db
    .select()
    .from(savedFilters)
    .where(and(eq(savedFilters.userId, ctx.actor.userId), eq(savedFilters.objectType, OBJECT_TYPE)))
    .orderBy(asc(savedFilters.name), asc(savedFilters.id));
  return { items: rows.map(toSavedFilter) };
}

const audit = (ctx: UserContext, id: string, action: string, before: unknown, after: unknown, at: Date) =>
  ctx.db.insert(auditLog).values(auditRow(auditBy(ctx, "saved_filter", id, { action, before, after }), at));

/** Saves the current filters (and sort) under a name unique among the caller's own filters. */
export async function createSavedFilter(ctx: UserContext, raw: z.input<typeof createSavedFilterInput>) {
  const input = createSavedFilterInput.parse(raw);
  const now = new Date();
  const row: Row = {
    id: newId(),
    userId: ctx.actor.userId,
    objectType: OBJECT_TYPE,
    name: input.name,
    filters: { filters: input.filters, sort: input.sort ?? null },
    createdAt: now,
    updatedAt: now,
  };
  try {
    await ctx.db.batch([
      ctx.db.insert(savedFilters).values(row),
      audit(ctx, row.id, "saved_filter.created", null, { name: row.name, filters: row.filters }, now),
    ]);
  } catch (error) {
    if (isUniqueViolation(error, "saved_filters.")) throw nameTaken(input.name);
    throw error;
  }
  return toSavedFilter(row);
}

export async function updateSavedFilter(ctx: UserContext, raw: z.input<typeof updateSavedFilterInput>) {
  const input = updateSavedFilterInput.parse(raw);
  const current = await loadMine(ctx, input.id);
  const stored = current.filters as { filters?: unknown; sort?: unknown };
  const filters = {
    filters: input.filters ?? stored.filters ?? {},
    sort: input.sort === undefined ? (stored.sort ?? null) : input.sort,
  };
  const name = input.name ?? current.name;
  const now = new Date();
  try {
    await ctx.db.batch([
      ctx.db.update(savedFilters).set({ name, filters, updatedAt: now }).where(mine(ctx, current.id)),
      audit(
        ctx,
        current.id,
        "saved_filter.updated",
        { name: current.name, filters: current.filters },
        { name, filters },
        now,
      ),
    ]);
  } catch (error) {
    if (isUniqueViolation(error, "saved_filters.")) throw nameTaken(name);
    throw error;
  }
  return toSavedFilter({ ...current, name, filters, updatedAt: now });
}

export async function deleteSavedFilter(ctx: UserContext, id: string) {
  const current = await loadMine(ctx, id);
  const now = new Date();
  await ctx.db.batch([
    ctx.db.delete(savedFilters).where(mine(ctx, current.id)),
    audit(
      ctx,
      current.id,
      "saved_filter.deleted",
      { name: current.name, filters: current.filters },
      null,
      now,
    ),
  ]);
  return { deleted: true as const };
}
