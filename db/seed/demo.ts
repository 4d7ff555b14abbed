import { and, eq } from "drizzle-orm";
import { newId } from "../../shared/ids";
import { hashPassword, verifyPassword } from "../../worker/auth/password";
import { auditRow } from "../audit";
import { type ControlDb, controlDatabase, openClient, tenantDatabase } from "../client";
import { auditLog, memberships, users } from "../control/schema";
import { CONTROL_NAMESPACE, type DataPlane } from "../data-plane";
import { controlMigrations } from "../migrations/control/bundle";
import { migrate } from "../migrator";
import { schools, auditLog as tenantAuditLog } from "../tenant/schema";
import { provisionTenant, type TenantRecord } from "../tenants";
import { type DemoDistrict, demoDistricts, demoUsers } from "./demo-data";

const system = { actorKind: "system" as const, actorId: "demo-seed" };

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
  const inserted = await db
    .insert(schools)
    .values(
      district.schools.map((s) => ({
        id: newId(),
        ...s,
        status: s.status ?? "open",
        closedOn: s.closedOn ?? null,
        createdAt: now,
        updatedAt: now,
      })),
    )
    .onConflictDoNothing({ target: schools.code })
    .returning({ id: schools.id });
  if (inserted.length > 0) {
    await db.insert(tenantAuditLog).values(
      auditRow({
        ...system,
        tenantId: tenant.id,
        action: "demo.seeded",
        targetType: "school",
        after: { schools: inserted.length },
      }),
    );
  }
  db.$client.close();
  return inserted.length;
}

/**
 * Provisions the demo districts and their users, idempotently: running it again changes nothing.
 * `password` is the demo accounts' password (the dev command makes a random one and keeps it in .data/).
 */
export async function seedDemo(plane: DataPlane, password: string) {
  const control = await prepareControl(plane);
  const tenantsBySlug = new Map<string, TenantRecord>();
  let schoolsAdded = 0;
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
    let user = await control.query.users.findFirst({ where: eq(users.email, demo.email) });
    if (!user) {
      user = {
        id: newId(),
        email: demo.email,
        name: demo.name,
        passwordHash,
        status: "active",
        createdAt: now,
        updatedAt: now,
      };
      await control.batch([
        control.insert(users).values(user),
        control.insert(auditLog).values(
          auditRow({
            ...system,
            action: "user.created",
            targetType: "user",
            targetId: user.id,
            after: { email: user.email },
          }),
        ),
      ]);
    } else if (!user.passwordHash || !(await verifyPassword(user.passwordHash, password))) {
      await control.batch([
        control.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, user.id)),
        control
          .insert(auditLog)
          .values(
            auditRow({ ...system, action: "user.password_set", targetType: "user", targetId: user.id }),
          ),
      ]);
    }
    for (const m of demo.memberships) {
      const tenant = tenantsBySlug.get(m.slug)!;
      const existing = await control.query.memberships.findFirst({
        where: and(eq(memberships.userId, user.id), eq(memberships.tenantId, tenant.id)),
      });
      if (existing) continue;
      const membership = { id: newId(), userId: user.id, tenantId: tenant.id, role: m.role, createdAt: now };
      await control.batch([
        control.insert(memberships).values(membership),
        control.insert(auditLog).values(
          auditRow({
            ...system,
            tenantId: tenant.id,
            action: "membership.created",
            targetType: "membership",
            targetId: membership.id,
            after: { role: m.role },
          }),
        ),
      ]);
    }
  }
  control.$client.close();
  return { tenants: [...tenantsBySlug.values()], schoolsAdded, users: demoUsers };
}
