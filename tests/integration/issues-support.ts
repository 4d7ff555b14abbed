/** Helpers of the issues-* and search-* integration tests: organizations with people, contexts, projects. */
import { expect } from "vitest";
import type { ControlDb, TenantDb } from "../../db/client";
import type { UserContext } from "../../db/context";
import { memberships, sharedProjects, tenants, users } from "../../db/control/schema";
import { groups } from "../../db/tenant/schema";
import { AppError } from "../../shared/errors";
import { newId } from "../../shared/ids";
import type { Role } from "../../shared/permissions";
import { createProject } from "../../worker/packages/projects/projects/create";
import { userActor } from "../support/actors";
import { freshControl, freshTenantDb } from "../support/databases";

export interface Person {
  id: string;
  email: string;
  name: string;
}

export interface Org {
  tenant: { id: string; slug: string; name: string };
  db: TenantDb;
  control: ControlDb;
  owner: Person;
  member: Person;
  /** A services context acting as `who` (project admin when `admin`). */
  as(who: Person, options?: { admin?: boolean }): UserContext;
}

/** Warnings services log (e.g. the desk index could not be written), kept for assertions. */
export const warnings: { message: string; extra?: Record<string, unknown> }[] = [];
const log = {
  warn: (message: string, extra?: Record<string, unknown>) => void warnings.push({ message, extra }),
};

export async function person(control: ControlDb, name = "Pat Person"): Promise<Person> {
  const now = new Date();
  const user = {
    id: newId(),
    email: `p-${crypto.randomUUID().slice(0, 8)}@example.org`,
    name,
    createdAt: now,
    updatedAt: now,
  };
  await control.insert(users).values(user);
  return user;
}

export async function join(control: ControlDb, tenantId: string, who: Person, role: Role) {
  await control
    .insert(memberships)
    .values({ id: newId(), userId: who.id, tenantId, role, createdAt: new Date() });
}

/** An organization registered in `control`, with its own fresh database, an owner and a member. */
export async function organization(control: ControlDb, kind: "district" | "root" = "district"): Promise<Org> {
  const { db } = await freshTenantDb();
  const slug = `org-${crypto.randomUUID().slice(0, 8)}`;
  const now = new Date();
  const tenant = {
    id: newId(),
    slug,
    name: `District ${slug}`,
    kind,
    status: "ready" as const,
    databaseName: `tenant-${slug}`,
    createdAt: now,
    updatedAt: now,
  };
  await control.insert(tenants).values(tenant);
  const owner = await person(control, "Olive Owner");
  const member = await person(control, "Mel Member");
  await join(control, tenant.id, owner, "owner");
  await join(control, tenant.id, member, "member");
  const as = (who: Person, options: { admin?: boolean } = {}): UserContext => ({
    db,
    control,
    log,
    actor: userActor(who.id, { name: who.name, ip: "203.0.113.9" }),
    // Project administration comes with the role: owners (and admins) have it, members do not.
    tenant: { ...tenant, role: (options.admin ?? who === owner) ? "owner" : "member", viaRoot: false },
  });
  return { tenant, db, control, owner, member, as };
}

export async function sharedProject(control: ControlDb, key: string, name: string) {
  const now = new Date();
  const row = { id: newId(), key, name, description: null, createdAt: now, updatedAt: now };
  await control.insert(sharedProjects).values(row);
  return row;
}

/** A control database with two organizations and the two shared projects of the root scope. */
export async function twoOrganizations() {
  const { db: control } = await freshControl();
  const a = await organization(control);
  const b = await organization(control);
  const tech = await sharedProject(control, "TECH", "Technology Service");
  const maint = await sharedProject(control, "MAINT", "Maintenance Service");
  return { control, a, b, tech, maint };
}

export async function helpDesk(org: Org, key = "HELP") {
  return createProject(org.as(org.owner), { key, name: `${key} desk` });
}

export async function group(org: Org, name = "Field Techs") {
  const row = { id: newId(), name, createdAt: new Date(), updatedAt: new Date() };
  await org.db.insert(groups).values(row);
  return row;
}

/** The AppError a call fails with (fails the test when it succeeds or throws something else). */
export async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, "expected the call to fail").toBeInstanceOf(AppError);
  return error as AppError;
}

/** Row counts of the tables an issue write touches: equal before and after means nothing was written. */
export async function footprint(db: TenantDb) {
  const out: Record<string, number> = {};
  for (const table of [
    "issues",
    "issue_history",
    "search_keys",
    "search_documents",
    "audit_log",
    "counters",
  ]) {
    const r = await db.$client.execute(`SELECT count(*) AS n FROM ${table}`);
    out[table] = Number(r.rows[0]!.n);
  }
  const counter = await db.$client.execute("SELECT value FROM counters WHERE name = 'issue'");
  out.counterValue = Number(counter.rows[0]?.value ?? 0);
  return out;
}
