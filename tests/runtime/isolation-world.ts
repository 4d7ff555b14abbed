import { openClient } from "../../db/client";
import { invitations, personalAccessTokens } from "../../db/control/schema";
import { groupMembers, groups, schools } from "../../db/tenant/schema";
import { newId } from "../../shared/ids";
import { publicSessionId, sessionIdOf } from "../../worker/auth/session";
import { openTenant } from "../../worker/data";
import { buildIssueExtrasWorld } from "./isolation-world-issue-extras";
import { buildProjectsWorld } from "./isolation-world-projects";
import { control, member, plane, testEnv } from "./support";

/**
 * Two organizations with data, for the cross-tenant isolation suite. Every package that adds objects adds
 * them here, for organization A, so that probes can name A's ids.
 */
async function buildBaseWorld() {
  const a = await member("owner");
  const b = await member("owner");
  const now = new Date();
  const schoolA = {
    id: newId(),
    code: "7101",
    name: "Isolation Elementary A",
    level: "elementary" as const,
    lowGrade: 0,
    highGrade: 5,
    createdAt: now,
    updatedAt: now,
  };
  const tenantDb = openTenant(testEnv, a.tenant);
  await tenantDb.insert(schools).values(schoolA);
  const groupA = {
    id: newId(),
    name: "Isolation Group A",
    description: "A's group",
    createdAt: now,
    updatedAt: now,
  };
  await tenantDb.batch([
    tenantDb.insert(groups).values(groupA),
    tenantDb.insert(groupMembers).values({ groupId: groupA.id, userId: a.user.id, addedAt: now }),
  ]);
  const invitationA = {
    id: newId(),
    tenantId: a.tenant.id,
    email: "isolation-invitee-a@example.org",
    role: "member" as const,
    tokenHash: `isolation-${newId()}`,
    status: "pending" as const,
    expiresAt: new Date(now.getTime() + 86_400_000),
    createdAt: now,
    updatedAt: now,
  };
  const tokenA = {
    id: newId(),
    userId: a.user.id,
    tenantId: a.tenant.id,
    name: "Isolation token A",
    prefix: "nxp_isoA",
    tokenHash: `isolation-${newId()}`,
    scopes: ["education.read"],
    createdAt: now,
  };
  await control().batch([
    control().insert(invitations).values(invitationA),
    control().insert(personalAccessTokens).values(tokenA),
  ]);
  const base = {
    a: {
      ...a,
      school: schoolA,
      group: groupA,
      invitation: invitationA,
      pat: tokenA,
      sessionRef: publicSessionId(sessionIdOf(a.token)),
    },
    b,
  };
  return base;
}

/** The part of the world every package's builder receives: both organizations and the System objects. */
export type BaseWorld = Awaited<ReturnType<typeof buildBaseWorld>>;

export async function buildWorld() {
  const base = await buildBaseWorld();
  return {
    ...base,
    projects: await buildProjectsWorld(base),
    issueExtras: await buildIssueExtrasWorld(base),
  };
}

export type World = Awaited<ReturnType<typeof buildWorld>>;

/** Words that would show A's data leaking into an answer given to B. */
export function identifiersOfA(world: World): string[] {
  const { a } = world;
  return [
    a.tenant.id,
    a.tenant.name,
    a.user.id,
    a.user.email,
    a.school.id,
    a.school.name,
    a.group.id,
    a.group.name,
    a.invitation.id,
    a.invitation.email,
    a.pat.id,
    a.pat.name,
    a.sessionRef,
    ...world.projects.identifiers,
    ...world.issueExtras.identifiers,
  ];
}

const CONTROL_QUERIES = (w: World) => [
  { sql: "SELECT * FROM tenants WHERE id = ?", args: [w.a.tenant.id] },
  { sql: "SELECT * FROM users WHERE id = ?", args: [w.a.user.id] },
  { sql: "SELECT * FROM memberships WHERE tenant_id = ? ORDER BY id", args: [w.a.tenant.id] },
  {
    sql: "SELECT id, user_id, stage, expires_at, absolute_expires_at FROM sessions WHERE user_id = ? ORDER BY id",
    args: [w.a.user.id],
  },
  { sql: "SELECT * FROM personal_access_tokens WHERE user_id = ? ORDER BY id", args: [w.a.user.id] },
  { sql: "SELECT * FROM token_families WHERE user_id = ? ORDER BY id", args: [w.a.user.id] },
  { sql: "SELECT * FROM invitations WHERE tenant_id = ? ORDER BY id", args: [w.a.tenant.id] },
  {
    sql: "SELECT * FROM audit_log WHERE tenant_id = ? OR actor_id = ? OR target_id = ? ORDER BY id",
    args: [w.a.tenant.id, w.a.user.id, w.a.user.id],
  },
  { sql: "SELECT * FROM email_outbox WHERE tenant_id = ? ORDER BY id", args: [w.a.tenant.id] },
];

/** Everything of A's, in both databases, as one string: equal before and after means nothing changed. */
export async function digestOfA(world: World): Promise<string> {
  const parts: unknown[] = [];
  const controlClient = control().$client;
  for (const q of CONTROL_QUERIES(world)) parts.push((await controlClient.execute(q)).rows);
  const tenantClient = openClient(plane().tenant(world.a.tenant));
  const tables = await tenantClient.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_\\_%' ESCAPE '\\' ORDER BY name",
  );
  for (const { name } of tables.rows) {
    // Sorted in memory: some tables (FTS5's shadow tables) have no rowid to order by.
    const rows = (await tenantClient.execute(`SELECT * FROM "${String(name)}"`)).rows.map((r) =>
      JSON.stringify(r),
    );
    parts.push([name, rows.sort()]);
  }
  tenantClient.close();
  return JSON.stringify(parts);
}
