import { and, asc, eq, isNotNull, isNull, ne, sql } from "drizzle-orm";
import { auditBy, auditIfChanged, auditRow } from "../../../../db/audit";
import type { TenantDb } from "../../../../db/client";
import type { ServiceContext } from "../../../../db/context";
import { isUniqueViolation } from "../../../../db/errors";
import { auditLog, catalogCategories } from "../../../../db/tenant/schema";
import { AppError } from "../../../../shared/errors";
import { newId } from "../../../../shared/ids";
import {
  type CatalogCategory,
  type CreateCategoryInput,
  createCategoryInput,
  type UpdateCategoryInput,
  updateCategoryInput,
} from "../../../../shared/schemas/issue-extras";

type CategoryRow = typeof catalogCategories.$inferSelect;

export function toCategory(row: CategoryRow): CatalogCategory {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    archived: row.archivedAt !== null,
    archivedAt: row.archivedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export const categoryNotFound = (field = "id") =>
  new AppError("NOT_FOUND", "There is no such catalog category in this organization.", {
    fieldErrors: { [field]: ["No such category"] },
  });

/** The category; NOT_FOUND (on `field`) when this organization has no such category. */
export async function loadCategory(db: TenantDb, id: string, field = "id"): Promise<CategoryRow> {
  const row = await db.query.catalogCategories.findFirst({ where: eq(catalogCategories.id, id) });
  if (!row) throw categoryNotFound(field);
  return row;
}

function nameTaken(name: string) {
  return new AppError("CONFLICT", `There is already a category named "${name}".`, {
    fieldErrors: { name: ["Another category has this name"] },
    reason: "name_taken",
  });
}

/** Category names are unique in an organization regardless of case. */
async function assertNameFree(db: TenantDb, name: string, exceptId?: string) {
  const [clash] = await db
    .select({ id: catalogCategories.id })
    .from(catalogCategories)
    .where(
      and(
        sql`lower(${catalogCategories.name}) = lower(${name})`,
        exceptId ? ne(catalogCategories.id, exceptId) : undefined,
      ),
    )
    .limit(1);
  if (clash) throw nameTaken(name);
}

/** The catalog's categories by name; archived ones only when asked for. */
export async function listCategories(db: TenantDb, params: { includeArchived: boolean }) {
  const rows = await db
    .select()
    .from(catalogCategories)
    .where(params.includeArchived ? undefined : isNull(catalogCategories.archivedAt))
    .orderBy(asc(catalogCategories.name), asc(catalogCategories.id));
  return { items: rows.map(toCategory) };
}

export async function createCategory(ctx: ServiceContext, raw: CreateCategoryInput) {
  const { db } = ctx;
  const input = createCategoryInput.parse(raw);
  await assertNameFree(db, input.name);
  const now = new Date();
  const row: CategoryRow = {
    id: newId(),
    name: input.name,
    description: input.description || null,
    createdAt: now,
    updatedAt: now,
    archivedAt: null,
  };
  try {
    await db.batch([
      db.insert(catalogCategories).values(row),
      db.insert(auditLog).values(
        auditRow(
          auditBy(ctx, "catalog_category", row.id, {
            action: "catalog_category.created",
            after: { name: row.name, description: row.description },
          }),
          now,
        ),
      ),
    ]);
  } catch (error) {
    if (isUniqueViolation(error, "catalog_categories.name")) throw nameTaken(input.name);
    throw error;
  }
  return toCategory(row);
}

/** Renames a category or changes its description (null clears it); an unchanged value writes nothing. */
export async function updateCategory(ctx: ServiceContext, raw: UpdateCategoryInput) {
  const { db } = ctx;
  const input = updateCategoryInput.parse(raw);
  const current = await loadCategory(db, input.id);
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const set: Partial<CategoryRow> = {};
  if (input.name !== undefined && input.name !== current.name) {
    if (input.name.toLowerCase() !== current.name.toLowerCase())
      await assertNameFree(db, input.name, current.id);
    before.name = current.name;
    set.name = after.name = input.name;
  }
  const description = input.description === undefined ? undefined : input.description || null;
  if (description !== undefined && description !== current.description) {
    before.description = current.description;
    set.description = after.description = description;
  }
  if (Object.keys(set).length === 0) return toCategory(current);
  const now = new Date();
  try {
    await db.batch([
      db
        .update(catalogCategories)
        .set({ ...set, updatedAt: now })
        .where(eq(catalogCategories.id, current.id)),
      db.insert(auditLog).values(
        auditRow(
          auditBy(ctx, "catalog_category", current.id, {
            action: "catalog_category.updated",
            before,
            after,
          }),
          now,
        ),
      ),
    ]);
  } catch (error) {
    if (isUniqueViolation(error, "catalog_categories.name")) throw nameTaken(input.name ?? "");
    throw error;
  }
  return toCategory({ ...current, ...set, updatedAt: now });
}

/**
 * Archives a category (hidden from pickers; its request types stay but no new ones can be added to it) or
 * restores it. Doing either to a category already in that state changes nothing.
 */
export async function setCategoryArchived(ctx: ServiceContext, params: { id: string; archived: boolean }) {
  const { db } = ctx;
  const current = await loadCategory(db, params.id);
  const now = new Date();
  await db.batch([
    db
      .update(catalogCategories)
      .set({ archivedAt: params.archived ? now : null, updatedAt: now })
      .where(
        and(
          eq(catalogCategories.id, current.id),
          params.archived ? isNull(catalogCategories.archivedAt) : isNotNull(catalogCategories.archivedAt),
        ),
      ),
    auditIfChanged(
      db,
      auditBy(ctx, "catalog_category", current.id, {
        action: params.archived ? "catalog_category.archived" : "catalog_category.restored",
        before: { archivedAt: current.archivedAt?.toISOString() ?? null },
        after: { archivedAt: params.archived ? now.toISOString() : null },
      }),
      now,
    ),
  ]);
  return toCategory(await loadCategory(db, current.id));
}
