import { and, eq } from "drizzle-orm";
import { auditBy, auditRow } from "../../db/audit";
import { bulkInsert } from "../../db/bulk";
import { type ControlDb, controlDatabase, openClient, tenantDatabase } from "../../db/client";
import { systemActor } from "../../db/context";
import { auditLog, memberships, users } from "../../db/control/schema";
import { CONTROL_NAMESPACE, type DataPlane } from "../../db/data-plane";
import { controlMigrations } from "../../db/migrations/control/bundle";
import { migrate } from "../../db/migrator";
import { schools, auditLog as tenantAuditLog } from "../../db/tenant/schema";
import { provisionTenant, type TenantRecord } from "../../db/tenants";
import { newId } from "../../shared/ids";
import { hashPassword, verifyPassword } from "../auth/password";
import { seedDemoCatalog } from "./demo-catalog";
import { type DemoDistrict, demoDistricts, demoRoot, demoUsers } from "./demo-data";
import { seedDemoIssues } from "./demo-issues";
import { seedDemoServiceLevels } from "./demo-service-levels";

/** The demo seed acts as the system, for this reason (audit rows record it as their actor). */
const system = systemActor("demo-seed");

/** Creates (locally) and migrates the control database. Idempotent. */
export async function prepareControl(plane: DataPlane): Promise<ControlDb> {
  if (plane.kind === "local") await plane.provisioner.createDatabase(CONTROL_NAMESPACE);
  const client = openClient(plane.control);
  await migrate(client, controlMigrations);
  return controlDatabase(client);
}

async function seedSchools(plane: DataPlane, tenant: TenantRecord, district: DemoDistrict): Promise<number> {
  const db = tenantDatabase(openClient(plane.tenant(tenant)));
  const now = new Date();
  // A school already there (by building code) is kept as it is.
  const inserted = await bulkInsert(
    db,
    schools,
    district.schools.map((s) => ({
      id: newId(),
      ...s,
      status: s.status ?? "open",
      closedOn: s.closedOn ?? null,
      createdAt: now,
      updatedAt: now,
    })),
    { orIgnore: true },
  );
  if (inserted > 0) {
    await db.insert(tenantAuditLog).values(
      auditRow(
        auditBy({ actor: system, tenant }, "school", null, {
          action: "demo.seeded",
          after: { schools: inserted },
        }),
      ),
    );
  }
  db.$client.close();
  return inserted;
}

/**
 * Provisions the demo districts and their users, idempotently: running it again changes nothing.
 * `password` is the demo accounts' password (the dev command makes a random one and keeps it in .data/).
 */
export async function seedDemo(plane: DataPlane, password: string) {
  const control = await prepareControl(plane);
  const tenantsBySlug = new Map<string, TenantRecord>();
  let schoolsAdded = 0;
  const root = await provisionTenant(control, plane, { ...demoRoot, kind: "root" }, system);
  tenantsBySlug.set(root.slug, root);
  for (const district of demoDistricts) {
    const tenant = await provisionTenant(
      control,
      plane,
      { slug: district.slug, name: district.name },
      system,
    );
    tenantsBySlug.set(district.slug, tenant);
    schoolsAdded += await seedSchools(plane, tenant, district);
  }
  const passwordHash = await hashPassword(password);
  const now = new Date();
  for (const demo of demoUsers) {
    const existing = await control.query.users.findFirst({ where: eq(users.email, demo.email) });
    let userId: string;
    if (!existing) {
      const row: typeof users.$inferInsert = {
        id: newId(),
        email: demo.email,
        name: demo.name,
        passwordHash,
        status: "active",
        emailVerifiedAt: now,
        createdAt: now,
        updatedAt: now,
      };
      userId = row.id;
      await control.batch([
        control.insert(users).values(row),
        control.insert(auditLog).values(
          auditRow(
            auditBy({ actor: system }, "user", row.id, {
              action: "user.created",
              after: { email: row.email },
            }),
          ),
        ),
      ]);
    } else {
      userId = existing.id;
      if (!existing.passwordHash || !(await verifyPassword(existing.passwordHash, password))) {
        await control.batch([
          control.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, userId)),
          control
            .insert(auditLog)
            .values(auditRow(auditBy({ actor: system }, "user", userId, { action: "user.password_set" }))),
        ]);
      }
    }
    for (const m of demo.memberships) {
      const tenant = tenantsBySlug.get(m.slug)!;
      const existing = await control.query.memberships.findFirst({
        where: and(eq(memberships.userId, userId), eq(memberships.tenantId, tenant.id)),
      });
      if (existing) continue;
      const membership = { id: newId(), userId, tenantId: tenant.id, role: m.role, createdAt: now };
      await control.batch([
        control.insert(memberships).values(membership),
        control.insert(auditLog).values(
          auditRow(
            auditBy({ actor: system, tenant }, "membership", membership.id, {
              action: "membership.created",
              after: { role: m.role },
            }),
          ),
        ),
      ]);
    }
  }
  const districts = demoDistricts.map((district) => ({
    district,
    tenant: tenantsBySlug.get(district.slug)!,
  }));
  // Service levels first: the demo issues' due dates are counted under them.
  await seedDemoServiceLevels(plane, districts);
  await seedDemoIssues(control, plane, districts, demoUsers);
  await seedDemoCatalog(control, plane, districts, demoUsers);
  control.$client.close();
  return { tenants: [...tenantsBySlug.values()], schoolsAdded, users: demoUsers };
}
