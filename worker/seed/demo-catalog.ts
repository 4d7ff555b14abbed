/**
 * The demo districts' teams and issue catalog: groups of the people who work issues (the help desk's
 * default group), and the categories and request types staff file through, with their extra fields.
 * Idempotent: what exists (by name) is left as it is.
 */
import { and, eq, isNull } from "drizzle-orm";
import { auditBy, auditRow } from "../../db/audit";
import { type ControlDb, openClient, type TenantDb, tenantDatabase } from "../../db/client";
import { systemActor } from "../../db/context";
import { sharedProjects, users } from "../../db/control/schema";
import type { DataPlane } from "../../db/data-plane";
import {
  auditLog,
  catalogCategories,
  groupMembers,
  groups,
  projects,
  requestTypes,
} from "../../db/tenant/schema";
import type { TenantRecord } from "../../db/tenants";
import { newId } from "../../shared/ids";
import type { ExtraField } from "../../shared/schemas/issue-extras";
import type { IssueType } from "../../shared/schemas/issue-model";
import type { DemoDistrict, DemoUser } from "./demo-data";

interface DemoGroup {
  name: string;
  description: string;
  /** Which of the district's demo people belong: its leads (owners, admins) or everyone. */
  members: "leads" | "everyone";
}

const GROUPS: readonly DemoGroup[] = [
  {
    name: "Help Desk Technicians",
    description: "Field and bench technicians who take the district's requests and incidents.",
    members: "everyone",
  },
  {
    name: "Network Team",
    description: "Switching, wireless, firewall and content filtering.",
    members: "leads",
  },
];

interface DemoRequestType {
  category: string;
  name: string;
  description: string;
  issueType: IssueType;
  /** "tenant": the district's help desk; otherwise a shared project's key. */
  project: "tenant" | "TECH" | "MAINT";
  group: string | null;
  fields: ExtraField[];
}

const CATEGORIES = [
  { name: "Devices", description: "Chromebooks, laptops, projectors and printers." },
  { name: "Accounts and access", description: "Sign-ins, new staff accounts and permissions." },
  { name: "Buildings", description: "Heating, lighting, doors and anything else in a building." },
];

const REQUEST_TYPES: readonly DemoRequestType[] = [
  {
    category: "Devices",
    name: "Broken Chromebook",
    description: "A student or staff Chromebook that is damaged or will not start.",
    issueType: "repair",
    project: "tenant",
    group: "Help Desk Technicians",
    fields: [
      { key: "asset_tag", label: "Asset tag", kind: "text", required: true },
      {
        key: "damage",
        label: "What is wrong",
        kind: "select",
        options: ["Cracked screen", "Keyboard", "Charging port", "Liquid spill", "Will not start", "Other"],
        required: true,
      },
      { key: "student_id", label: "Student number (if a student's)", kind: "text", required: false },
    ],
  },
  {
    category: "Devices",
    name: "Classroom projector or display",
    description: "A projector, TV or interactive display that does not work in a classroom.",
    issueType: "incident",
    project: "tenant",
    group: "Help Desk Technicians",
    fields: [{ key: "room", label: "Room", kind: "text", required: true }],
  },
  {
    category: "Accounts and access",
    name: "New staff account",
    description: "Accounts and access for a new employee, before their first day.",
    issueType: "service_request",
    project: "TECH",
    group: null,
    fields: [
      { key: "start_date", label: "First day", kind: "date", required: true },
      {
        key: "role",
        label: "Role",
        kind: "select",
        options: ["Teacher", "Paraprofessional", "Office staff", "Administrator", "Substitute"],
        required: true,
      },
    ],
  },
  {
    category: "Buildings",
    name: "Heating or cooling",
    description: "A room too hot or too cold, or a unit making noise.",
    issueType: "service_request",
    project: "MAINT",
    group: null,
    fields: [
      { key: "room", label: "Room", kind: "text", required: true },
      { key: "temperature", label: "Temperature in the room (°F)", kind: "number", required: false },
    ],
  },
];

/** The demo seed acts as the system (audit rows record its reason as their actor). */
const seed = (tenantId: string) => ({ actor: systemActor("demo-seed"), tenant: { id: tenantId } });

/** The district's demo groups by name (created with their members when missing). */
async function seedGroups(
  db: TenantDb,
  tenantId: string,
  staff: { id: string; lead: boolean }[],
  now: Date,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const spec of GROUPS) {
    const [existing] = await db.select({ id: groups.id }).from(groups).where(eq(groups.name, spec.name));
    if (existing) {
      ids.set(spec.name, existing.id);
      continue;
    }
    const id = newId();
    const members = staff.filter((p) => spec.members === "everyone" || p.lead);
    await db.batch([
      db
        .insert(groups)
        .values({ id, name: spec.name, description: spec.description, createdAt: now, updatedAt: now }),
      ...members.map((p) => db.insert(groupMembers).values({ groupId: id, userId: p.id, addedAt: now })),
      db
        .insert(auditLog)
        .values(
          auditRow(
            auditBy(seed(tenantId), "group", id, { action: "group.created", after: { name: spec.name } }),
          ),
        ),
    ]);
    ids.set(spec.name, id);
  }
  return ids;
}

async function seedCatalog(
  db: TenantDb,
  tenantId: string,
  projectOf: (where: DemoRequestType["project"]) => { scope: "tenant" | "shared"; id: string },
  groupIds: Map<string, string>,
  now: Date,
): Promise<void> {
  const categoryIds = new Map<string, string>();
  for (const spec of CATEGORIES) {
    const [existing] = await db
      .select({ id: catalogCategories.id })
      .from(catalogCategories)
      .where(eq(catalogCategories.name, spec.name));
    const id = existing?.id ?? newId();
    categoryIds.set(spec.name, id);
    if (existing) continue;
    await db.batch([
      db.insert(catalogCategories).values({ id, ...spec, createdAt: now, updatedAt: now }),
      db
        .insert(auditLog)
        .values(
          auditRow(auditBy(seed(tenantId), "catalog_category", id, { action: "catalog.category.created" })),
        ),
    ]);
  }
  for (const spec of REQUEST_TYPES) {
    const categoryId = categoryIds.get(spec.category)!;
    const [existing] = await db
      .select({ id: requestTypes.id })
      .from(requestTypes)
      .where(and(eq(requestTypes.categoryId, categoryId), eq(requestTypes.name, spec.name)));
    if (existing) continue;
    const id = newId();
    const project = projectOf(spec.project);
    await db.batch([
      db.insert(requestTypes).values({
        id,
        categoryId,
        name: spec.name,
        description: spec.description,
        issueType: spec.issueType,
        defaultProjectScope: project.scope,
        defaultProjectId: project.id,
        defaultAssigneeGroupId: spec.group ? (groupIds.get(spec.group) ?? null) : null,
        fields: spec.fields,
        createdAt: now,
        updatedAt: now,
      }),
      db
        .insert(auditLog)
        .values(
          auditRow(auditBy(seed(tenantId), "request_type", id, { action: "catalog.request_type.created" })),
        ),
    ]);
  }
}

/**
 * Groups and catalog of each demo district; the district's own help desk (seeded with the demo issues)
 * gets the technicians as its default group when it has none.
 */
export async function seedDemoCatalog(
  control: ControlDb,
  plane: DataPlane,
  districts: readonly { district: DemoDistrict; tenant: TenantRecord }[],
  people: readonly DemoUser[],
): Promise<void> {
  const now = new Date();
  const shared = await control
    .select({ id: sharedProjects.id, key: sharedProjects.key })
    .from(sharedProjects);
  const sharedId = new Map(shared.map((p) => [p.key, p.id]));
  const accounts = await control.select({ id: users.id, email: users.email }).from(users);
  const idOf = new Map(accounts.map((a) => [a.email, a.id]));
  for (const { district, tenant } of districts) {
    const db = tenantDatabase(openClient(plane.tenant(tenant)));
    try {
      const staff = people.flatMap((p) => {
        const m = p.memberships.find((x) => x.slug === district.slug);
        const id = idOf.get(p.email);
        return m && id ? [{ id, lead: m.role === "owner" || m.role === "admin" }] : [];
      });
      const groupIds = await seedGroups(db, tenant.id, staff, now);
      const technicians = groupIds.get("Help Desk Technicians")!;
      const [desk] = await db.select().from(projects).orderBy(projects.createdAt).limit(1);
      if (desk) {
        await db
          .update(projects)
          .set({ defaultAssigneeGroupId: technicians })
          .where(and(eq(projects.id, desk.id), isNull(projects.defaultAssigneeGroupId)));
      }
      const projectOf = (where: DemoRequestType["project"]) =>
        where === "tenant" && desk
          ? { scope: "tenant" as const, id: desk.id }
          : { scope: "shared" as const, id: sharedId.get(where === "tenant" ? "TECH" : where)! };
      await seedCatalog(db, tenant.id, projectOf, groupIds, now);
    } finally {
      db.$client.close();
    }
  }
}
