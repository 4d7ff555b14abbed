import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sharedProjects } from "../../db/control/schema";
import { auditLog, catalogCategories, groups, projects, requestTypes } from "../../db/tenant/schema";
import { AppError } from "../../shared/errors";
import { newId } from "../../shared/ids";
import { createRequestTypeInput, extraFields } from "../../shared/schemas/issue-extras";
import {
  createCategory,
  listCategories,
  setCategoryArchived,
  updateCategory,
} from "../../worker/packages/projects/catalog/categories";
import {
  createRequestType,
  getRequestType,
  listRequestTypes,
  setRequestTypeArchived,
  updateRequestType,
} from "../../worker/packages/projects/catalog/request-types";
import { freshControl, freshTenantDb } from "../support/databases";
import { generalProject, issueOrganization } from "../support/issues";

async function setup() {
  const { db: control } = await freshControl();
  const { db, namespace } = await freshTenantDb();
  return issueOrganization(control, db, namespace);
}

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

async function group(org: Awaited<ReturnType<typeof setup>>, name: string, archived = false) {
  const now = new Date();
  const row = { id: newId(), name, createdAt: now, updatedAt: now, archivedAt: archived ? now : null };
  await org.db.insert(groups).values(row);
  return row;
}

async function sharedProject(org: Awaited<ReturnType<typeof setup>>, name: string) {
  const now = new Date();
  const row = { id: newId(), key: name.slice(0, 4).toUpperCase(), name, createdAt: now, updatedAt: now };
  await org.control.insert(sharedProjects).values(row);
  return row;
}

describe("catalog categories", () => {
  it("are created, renamed, archived and restored by name, names unique regardless of case, all audited", async () => {
    const org = await setup();
    const admin = await org.person("admin");
    const hardware = await createCategory(admin.ctx, { name: " Hardware ", description: "Devices" });
    expect(hardware).toMatchObject({ name: "Hardware", description: "Devices", archived: false });
    await createCategory(admin.ctx, { name: "Accounts" });
    const clash = await errorOf(createCategory(admin.ctx, { name: "hardware" }));
    expect(clash.code).toBe("CONFLICT");
    expect(clash.details.fieldErrors).toHaveProperty("name");

    const renamed = await updateCategory(admin.ctx, { id: hardware.id, name: "Devices", description: null });
    expect(renamed).toMatchObject({ name: "Devices", description: null });
    await setCategoryArchived(admin.ctx, { id: hardware.id, archived: true });
    expect((await listCategories(org.db, { includeArchived: false })).items.map((c) => c.name)).toEqual([
      "Accounts",
    ]);
    expect((await listCategories(org.db, { includeArchived: true })).items.map((c) => c.name)).toEqual([
      "Accounts",
      "Devices",
    ]);
    const restored = await setCategoryArchived(admin.ctx, { id: hardware.id, archived: false });
    expect(restored.archived).toBe(false);

    const audit = await org.db.select().from(auditLog).where(eq(auditLog.targetId, hardware.id));
    expect(audit.map((r) => r.action).sort()).toEqual([
      "catalog_category.archived",
      "catalog_category.created",
      "catalog_category.restored",
      "catalog_category.updated",
    ]);
    expect(audit.find((r) => r.action === "catalog_category.updated")).toMatchObject({
      before: { name: "Hardware", description: "Devices" },
      after: { name: "Devices", description: null },
      ip: "203.0.113.7",
      requestId: admin.actor.requestId,
    });
  });
});

describe("request types", () => {
  it("point at an existing project of the organization or a shared one, and an existing group", async () => {
    const org = await setup();
    const admin = await org.person("admin");
    const category = await createCategory(admin.ctx, { name: "Hardware" });
    const desk = await group(org, "Help Desk");
    const own = await generalProject(org.db);
    const shared = await sharedProject(org, "Technology Service");

    const laptop = await createRequestType(admin.ctx, {
      categoryId: category.id,
      name: "Laptop repair",
      issueType: "repair",
      defaultProject: { scope: "shared", id: shared.id },
      defaultAssigneeGroupId: desk.id,
      fields: [
        { key: "asset_tag", label: "Asset tag", kind: "text", required: true },
        { key: "damage", label: "Damage", kind: "select", options: ["Screen", "Keyboard"] },
      ],
    });
    expect(laptop).toMatchObject({
      name: "Laptop repair",
      issueType: "repair",
      defaultProject: { scope: "shared", id: shared.id, name: "Technology Service" },
      defaultAssigneeGroup: { id: desk.id, name: "Help Desk" },
      fields: [
        { key: "asset_tag", kind: "text", required: true },
        { key: "damage", kind: "select", options: ["Screen", "Keyboard"], required: false },
      ],
    });
    const changed = await updateRequestType(admin.ctx, {
      id: laptop.id,
      defaultProject: { scope: "tenant", id: own },
      defaultAssigneeGroupId: null,
    });
    expect(changed).toMatchObject({
      defaultProject: { scope: "tenant", id: own, name: "General" },
      defaultAssigneeGroup: null,
    });
    const [audit] = await org.db.select().from(auditLog).where(eq(auditLog.action, "request_type.updated"));
    expect(audit).toMatchObject({
      before: { defaultProjectScope: "shared", defaultProjectId: shared.id, defaultAssigneeGroupId: desk.id },
      after: { defaultProjectScope: "tenant", defaultProjectId: own, defaultAssigneeGroupId: null },
    });
    expect(
      (await listRequestTypes(org.db, { control: org.control, input: { categoryId: category.id } })).items,
    ).toEqual([changed]);
  });

  it("refuse a default project that does not exist for the organization with NOT_FOUND, writing nothing", async () => {
    const org = await setup();
    const other = await setup();
    const admin = await org.person("admin");
    const category = await createCategory(admin.ctx, { name: "Hardware" });
    const theirProject = await generalProject(other.db);
    const now = new Date();
    const archived = {
      id: newId(),
      key: "OLD",
      name: "Old",
      createdAt: now,
      updatedAt: now,
      archivedAt: now,
    };
    await org.db.insert(projects).values(archived);
    const base = { categoryId: category.id, name: "Laptop repair", issueType: "repair" as const };

    for (const defaultProject of [
      { scope: "tenant" as const, id: theirProject },
      { scope: "shared" as const, id: theirProject },
      { scope: "shared" as const, id: newId() },
      { scope: "tenant" as const, id: newId() },
    ]) {
      const error = await errorOf(createRequestType(admin.ctx, { ...base, defaultProject }));
      expect(error.code).toBe("NOT_FOUND");
      expect(error.details.fieldErrors).toHaveProperty(["defaultProject.id"]);
    }
    const archivedError = await errorOf(
      createRequestType(admin.ctx, { ...base, defaultProject: { scope: "tenant", id: archived.id } }),
    );
    expect(archivedError.code).toBe("BAD_REQUEST");
    expect(await org.db.select().from(requestTypes)).toEqual([]);
    expect((await org.db.select().from(auditLog)).map((r) => r.action)).toEqual(["catalog_category.created"]);
  });

  it("refuse a group or category that is not the organization's, and archived ones", async () => {
    const org = await setup();
    const other = await setup();
    const admin = await org.person("admin");
    const category = await createCategory(admin.ctx, { name: "Hardware" });
    const theirGroup = await group(other, "Their Desk");
    const oldGroup = await group(org, "Old Desk", true);
    const theirAdmin = await other.person("admin");
    const theirCategory = await createCategory(theirAdmin.ctx, { name: "Theirs" });
    const base = { categoryId: category.id, name: "Printer", issueType: "incident" as const };
    const attempt = (input: Parameters<typeof createRequestType>[1]) =>
      errorOf(createRequestType(admin.ctx, input));

    expect((await attempt({ ...base, defaultAssigneeGroupId: theirGroup.id })).code).toBe("NOT_FOUND");
    expect((await attempt({ ...base, defaultAssigneeGroupId: oldGroup.id })).code).toBe("BAD_REQUEST");
    const wrongCategory = await attempt({ ...base, categoryId: theirCategory.id });
    expect(wrongCategory.code).toBe("NOT_FOUND");
    expect(wrongCategory.details.fieldErrors).toHaveProperty("categoryId");
    await setCategoryArchived(admin.ctx, { id: category.id, archived: true });
    expect((await attempt(base)).code).toBe("BAD_REQUEST");
    expect(await org.db.select().from(requestTypes)).toEqual([]);
    expect(await org.db.select().from(catalogCategories)).toHaveLength(1);
  });

  it("validate their extra fields: keys, labels, kinds, select options, uniqueness", () => {
    const valid = extraFields.safeParse([
      { key: "room", label: "Room", kind: "text" },
      { key: "count", label: "How many", kind: "number", required: true },
      { key: "needed_by", label: "Needed by", kind: "date" },
      { key: "size", label: "Size", kind: "select", options: ["S", "M", "L"] },
    ]);
    expect(valid.success).toBe(true);
    expect(valid.data?.[0]).toMatchObject({ required: false });

    const paths = (fields: unknown) => {
      const result = createRequestTypeInput.safeParse({
        categoryId: "c",
        name: "n",
        issueType: "incident",
        fields,
      });
      return result.success ? [] : result.error.issues.map((i) => i.path.join("."));
    };
    expect(paths([{ key: "Room Number", label: "Room", kind: "text" }])).toEqual(["fields.0.key"]);
    expect(paths([{ key: "room", label: " ", kind: "text" }])).toEqual(["fields.0.label"]);
    expect(paths([{ key: "room", label: "Room", kind: "colour" }])).toEqual(["fields.0.kind"]);
    expect(paths([{ key: "size", label: "Size", kind: "select" }])).toEqual(["fields.0.options"]);
    expect(paths([{ key: "size", label: "Size", kind: "select", options: ["S", "S"] }])).toEqual([
      "fields.0.options",
    ]);
    expect(paths([{ key: "room", label: "Room", kind: "text", options: ["A"] }])).toEqual([
      "fields.0.options",
    ]);
    expect(
      paths([
        { key: "room", label: "Room", kind: "text" },
        { key: "room", label: "Room again", kind: "text" },
      ]),
    ).toEqual(["fields.1.key"]);
    expect(paths(Array.from({ length: 31 }, (_, i) => ({ key: `f${i}`, label: "F", kind: "text" })))).toEqual(
      ["fields"],
    );
  });

  it("have names unique within their category, and are archived and restored", async () => {
    const org = await setup();
    const admin = await org.person("admin");
    const hardware = await createCategory(admin.ctx, { name: "Hardware" });
    const accounts = await createCategory(admin.ctx, { name: "Accounts" });
    const create = (categoryId: string, name: string) =>
      createRequestType(admin.ctx, { categoryId, name, issueType: "service_request" });
    const printer = await create(hardware.id, "Printer");
    await create(accounts.id, "Printer");
    expect((await errorOf(create(hardware.id, "PRINTER"))).code).toBe("CONFLICT");

    const archived = await setRequestTypeArchived(admin.ctx, { id: printer.id, archived: true });
    expect(archived.archived).toBe(true);
    expect(
      (await listRequestTypes(org.db, { control: org.control, input: { categoryId: hardware.id } })).items,
    ).toEqual([]);
    await setRequestTypeArchived(admin.ctx, { id: printer.id, archived: false });
    expect((await getRequestType(org.db, { control: org.control, id: printer.id })).archived).toBe(false);
    const audit = await org.db.select().from(auditLog).where(eq(auditLog.targetId, printer.id));
    expect(audit.map((r) => r.action).sort()).toEqual([
      "request_type.archived",
      "request_type.created",
      "request_type.restored",
    ]);
  });
});
