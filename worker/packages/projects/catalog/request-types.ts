import { and, asc, eq, isNotNull, isNull, ne, sql } from "drizzle-orm";
import { auditBy, auditIfChanged, auditRow } from "../../../../db/audit";
import type { ControlDb, TenantDb } from "../../../../db/client";
import type { ServiceContext } from "../../../../db/context";
import { isUniqueViolation } from "../../../../db/errors";
import { auditLog, requestTypes } from "../../../../db/tenant/schema";
import { AppError } from "../../../../shared/errors";
import { newId } from "../../../../shared/ids";
import {
  type CreateRequestTypeInput,
  createRequestTypeInput,
  type ExtraField,
  extraFields,
  type ListRequestTypesInput,
  listRequestTypesInput,
  type RequestType,
  type UpdateRequestTypeInput,
  updateRequestTypeInput,
} from "../../../../shared/schemas/issue-extras";
import { loadCategory } from "./categories";
import { assertGroupUsable, assertProjectUsable, referenceNames } from "./references";

type RequestTypeRow = typeof requestTypes.$inferSelect;

export const requestTypeNotFound = () =>
  new AppError("NOT_FOUND", "There is no such request type in this organization.");

function nameTaken(name: string) {
  return new AppError("CONFLICT", `This category already has a request type named "${name}".`, {
    fieldErrors: { name: ["Another request type of this category has this name"] },
    reason: "name_taken",
  });
}

async function assertNameFree(db: TenantDb, categoryId: string, name: string, exceptId?: string) {
  const [clash] = await db
    .select({ id: requestTypes.id })
    .from(requestTypes)
    .where(
      and(
        eq(requestTypes.categoryId, categoryId),
        sql`lower(${requestTypes.name}) = lower(${name})`,
        exceptId ? ne(requestTypes.id, exceptId) : undefined,
      ),
    )
    .limit(1);
  if (clash) throw nameTaken(name);
}

/** Stored fields that no longer parse (written by hand, or by an older rule) are shown as none. */
function fieldsOf(row: RequestTypeRow): ExtraField[] {
  const parsed = extraFields.safeParse(row.fields);
  return parsed.success ? parsed.data : [];
}

/** Request types as the API shows them, with the names of their default project and group. */
async function toRequestTypes(
  db: TenantDb,
  control: ControlDb,
  rows: RequestTypeRow[],
): Promise<RequestType[]> {
  const names = await referenceNames(db, control, {
    tenantProjects: rows.flatMap((r) =>
      r.defaultProjectScope === "tenant" && r.defaultProjectId ? [r.defaultProjectId] : [],
    ),
    sharedProjects: rows.flatMap((r) =>
      r.defaultProjectScope === "shared" && r.defaultProjectId ? [r.defaultProjectId] : [],
    ),
    groups: rows.flatMap((r) => (r.defaultAssigneeGroupId ? [r.defaultAssigneeGroupId] : [])),
  });
  return rows.map((row) => ({
    id: row.id,
    categoryId: row.categoryId,
    name: row.name,
    description: row.description,
    issueType: row.issueType,
    defaultProject:
      row.defaultProjectScope && row.defaultProjectId
        ? {
            scope: row.defaultProjectScope,
            id: row.defaultProjectId,
            name:
              (row.defaultProjectScope === "tenant" ? names.tenantProjects : names.sharedProjects).get(
                row.defaultProjectId,
              ) ?? null,
          }
        : null,
    defaultAssigneeGroup: row.defaultAssigneeGroupId
      ? { id: row.defaultAssigneeGroupId, name: names.groups.get(row.defaultAssigneeGroupId) ?? null }
      : null,
    fields: fieldsOf(row),
    archived: row.archivedAt !== null,
    archivedAt: row.archivedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }));
}

async function loadRow(db: TenantDb, id: string): Promise<RequestTypeRow> {
  const row = await db.query.requestTypes.findFirst({ where: eq(requestTypes.id, id) });
  if (!row) throw requestTypeNotFound();
  return row;
}

export async function getRequestType(db: TenantDb, params: { control: ControlDb; id: string }) {
  const [shown] = await toRequestTypes(db, params.control, [await loadRow(db, params.id)]);
  return shown!;
}

/** Request types by category and name; archived ones only when asked for. */
export async function listRequestTypes(
  db: TenantDb,
  params: { control: ControlDb; input: ListRequestTypesInput },
) {
  const input = listRequestTypesInput.parse(params.input);
  const rows = await db
    .select()
    .from(requestTypes)
    .where(
      and(
        input.categoryId ? eq(requestTypes.categoryId, input.categoryId) : undefined,
        input.includeArchived ? undefined : isNull(requestTypes.archivedAt),
      ),
    )
    .orderBy(asc(requestTypes.categoryId), asc(requestTypes.name), asc(requestTypes.id));
  return { items: await toRequestTypes(db, params.control, rows) };
}

/** A category new request types can be put in: it exists here and is not archived. */
async function assertCategoryUsable(db: TenantDb, id: string) {
  const category = await loadCategory(db, id, "categoryId");
  if (category.archivedAt) {
    throw new AppError("BAD_REQUEST", "That category is archived. Restore it first.", {
      fieldErrors: { categoryId: ["This category is archived"] },
    });
  }
}

/** The columns a request type's audit entries record (all but id and timestamps). */
const auditedColumns = [
  "categoryId",
  "name",
  "description",
  "issueType",
  "defaultProjectScope",
  "defaultProjectId",
  "defaultAssigneeGroupId",
  "fields",
] as const;

function audited(row: RequestTypeRow): Record<string, unknown> {
  return Object.fromEntries(auditedColumns.map((column) => [column, row[column]]));
}

/**
 * Creates a request type in a category. Its default project must exist for this organization (its own or a
 * shared one) and its default assignee group must be one of the organization's groups (both NOT_FOUND
 * otherwise); its extra fields are validated by `extraFields`.
 */
export async function createRequestType(ctx: ServiceContext, raw: CreateRequestTypeInput) {
  const { db } = ctx;
  const input = createRequestTypeInput.parse(raw);
  await assertCategoryUsable(db, input.categoryId);
  if (input.defaultProject) await assertProjectUsable(db, ctx.control, input.defaultProject);
  if (input.defaultAssigneeGroupId) await assertGroupUsable(db, input.defaultAssigneeGroupId);
  await assertNameFree(db, input.categoryId, input.name);
  const now = new Date();
  const row: RequestTypeRow = {
    id: newId(),
    categoryId: input.categoryId,
    name: input.name,
    description: input.description || null,
    issueType: input.issueType,
    defaultProjectScope: input.defaultProject?.scope ?? null,
    defaultProjectId: input.defaultProject?.id ?? null,
    defaultAssigneeGroupId: input.defaultAssigneeGroupId ?? null,
    fields: input.fields,
    createdAt: now,
    updatedAt: now,
    archivedAt: null,
  };
  try {
    await db.batch([
      db.insert(requestTypes).values(row),
      db.insert(auditLog).values(
        auditRow(
          auditBy(ctx, "request_type", row.id, {
            action: "request_type.created",
            after: audited(row),
          }),
          now,
        ),
      ),
    ]);
  } catch (error) {
    if (isUniqueViolation(error, "request_types")) throw nameTaken(input.name);
    throw error;
  }
  return getRequestType(db, { control: ctx.control, id: row.id });
}

/** Changes a request type; each changed reference is checked as on creation. Unchanged values write nothing. */
export async function updateRequestType(ctx: ServiceContext, raw: UpdateRequestTypeInput) {
  const { db } = ctx;
  const input = updateRequestTypeInput.parse(raw);
  const current = await loadRow(db, input.id);
  const next: RequestTypeRow = { ...current };
  if (input.categoryId !== undefined && input.categoryId !== current.categoryId) {
    await assertCategoryUsable(db, input.categoryId);
    next.categoryId = input.categoryId;
  }
  if (input.name !== undefined) next.name = input.name;
  if (input.description !== undefined) next.description = input.description || null;
  if (input.issueType !== undefined) next.issueType = input.issueType;
  if (input.defaultProject !== undefined) {
    const ref = input.defaultProject;
    const changed = ref?.scope !== current.defaultProjectScope || ref?.id !== current.defaultProjectId;
    if (ref && changed) await assertProjectUsable(db, ctx.control, ref);
    next.defaultProjectScope = ref?.scope ?? null;
    next.defaultProjectId = ref?.id ?? null;
  }
  if (input.defaultAssigneeGroupId !== undefined) {
    const groupId = input.defaultAssigneeGroupId ?? null;
    if (groupId && groupId !== current.defaultAssigneeGroupId) await assertGroupUsable(db, groupId);
    next.defaultAssigneeGroupId = groupId;
  }
  if (input.fields !== undefined) next.fields = input.fields;
  const before = audited(current);
  const after = audited(next);
  const changedKeys = Object.keys(after).filter(
    (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
  );
  if (changedKeys.length === 0) return getRequestType(db, { control: ctx.control, id: current.id });
  if (changedKeys.includes("name") || changedKeys.includes("categoryId")) {
    await assertNameFree(db, next.categoryId, next.name, current.id);
  }
  const now = new Date();
  const pick = (o: Record<string, unknown>) => Object.fromEntries(changedKeys.map((k) => [k, o[k]]));
  try {
    await db.batch([
      db
        .update(requestTypes)
        .set({ ...pick(after), updatedAt: now })
        .where(eq(requestTypes.id, current.id)),
      db.insert(auditLog).values(
        auditRow(
          auditBy(ctx, "request_type", current.id, {
            action: "request_type.updated",
            before: pick(before),
            after: pick(after),
          }),
          now,
        ),
      ),
    ]);
  } catch (error) {
    if (isUniqueViolation(error, "request_types")) throw nameTaken(next.name);
    throw error;
  }
  return getRequestType(db, { control: ctx.control, id: current.id });
}

/** Archives a request type (no longer offered when filing) or restores it. */
export async function setRequestTypeArchived(ctx: ServiceContext, params: { id: string; archived: boolean }) {
  const { db } = ctx;
  const current = await loadRow(db, params.id);
  const now = new Date();
  await db.batch([
    db
      .update(requestTypes)
      .set({ archivedAt: params.archived ? now : null, updatedAt: now })
      .where(
        and(
          eq(requestTypes.id, current.id),
          params.archived ? isNull(requestTypes.archivedAt) : isNotNull(requestTypes.archivedAt),
        ),
      ),
    auditIfChanged(
      db,
      auditBy(ctx, "request_type", current.id, {
        action: params.archived ? "request_type.archived" : "request_type.restored",
        before: { archivedAt: current.archivedAt?.toISOString() ?? null },
        after: { archivedAt: params.archived ? now.toISOString() : null },
      }),
      now,
    ),
  ]);
  return getRequestType(db, { control: ctx.control, id: current.id });
}
