import { eq, sql } from "drizzle-orm";
import type { ControlDb, TenantDb } from "../../db/client";
import type { UserContext } from "../../db/context";
import { memberships, tenants, users } from "../../db/control/schema";
import { issues, projects } from "../../db/tenant/schema";
import { newId } from "../../shared/ids";
import type { Role } from "../../shared/permissions";
import { userActor } from "./actors";

export type IssueRow = typeof issues.$inferSelect;

/** The organization's "General" project (key GEN), made on first use: a home for test issues. */
export async function generalProject(db: TenantDb): Promise<string> {
  const now = new Date();
  await db
    .insert(projects)
    .values({ id: newId(), key: "GEN", name: "General", createdAt: now, updatedAt: now })
    .onConflictDoNothing();
  const [row] = await db.select({ id: projects.id }).from(projects).where(eq(projects.key, "GEN"));
  return row!.id;
}

/**
 * Inserts an issue straight into an organization's database (works in Node and in workerd), for tests of
 * what surrounds issues. Its number comes from the same `issue` counter the issue services advance (kept
 * ahead of any number already used), so issues made here and through the services never collide.
 */
export async function insertIssue(db: TenantDb, overrides: Partial<typeof issues.$inferInsert> = {}) {
  const [counter] = await db.all<{ value: number }>(sql`
    INSERT INTO counters (name, value) VALUES ('issue', (SELECT coalesce(max(number), 0) + 1 FROM issues))
    ON CONFLICT (name) DO UPDATE SET value = max(value, (SELECT coalesce(max(number), 0) FROM issues)) + 1
    RETURNING value`);
  const now = new Date();
  const row: typeof issues.$inferInsert = {
    id: newId(),
    number: Number(counter!.value),
    projectScope: "tenant",
    projectId: overrides.projectId ?? (await generalProject(db)),
    type: "incident",
    title: "Projector in room 12 shows no picture",
    description: null,
    status: "new",
    priority: "medium",
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
  await db.insert(issues).values(row);
  const [inserted] = await db.select().from(issues).where(eq(issues.id, row.id));
  return inserted!;
}

/**
 * For integration tests (Node): an organization registered in `control` whose database is `db` (a fresh
 * tenant namespace), and a way to add people to it who can act on its issues.
 */
export async function issueOrganization(control: ControlDb, db: TenantDb, namespace: string) {
  const now = new Date();
  const slug = `org-${crypto.randomUUID().slice(0, 8)}`;
  const tenant = {
    id: newId(),
    slug,
    name: `District ${slug}`,
    status: "ready" as const,
    databaseName: namespace,
    createdAt: now,
    updatedAt: now,
  };
  await control.insert(tenants).values(tenant);

  /** A person with `role` in the organization (membership and account `active` unless said otherwise). */
  async function person(
    role: Role,
    fields: {
      name?: string;
      email?: string;
      status?: "active" | "deactivated";
      account?: "active" | "deactivated";
    } = {},
  ) {
    const user = {
      id: newId(),
      email: fields.email ?? `p-${crypto.randomUUID().slice(0, 8)}@example.org`,
      name: fields.name ?? "Pat Person",
      status: fields.account ?? ("active" as const),
      createdAt: now,
      updatedAt: now,
    };
    await control.insert(users).values(user);
    await control.insert(memberships).values({
      id: newId(),
      userId: user.id,
      tenantId: tenant.id,
      role,
      status: fields.status ?? "active",
      createdAt: now,
    });
    const actor = userActor(user.id, { name: user.name, ip: "203.0.113.7" });
    /** The services' context of this person acting in the organization, as a request of theirs builds it. */
    const ctx: UserContext = {
      db,
      control,
      actor,
      tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name, role, viaRoot: false },
      log: { warn: () => {} },
    };
    return { ...user, role, actor, ctx };
  }

  return { tenant, db, control, person };
}
