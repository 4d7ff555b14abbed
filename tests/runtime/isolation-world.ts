import type { Client } from "@libsql/client/web";
import { eq } from "drizzle-orm";
import { openClient } from "../../db/client";
import {
  accessTokens,
  emailOutbox,
  externalIdentities,
  invitations,
  memberships,
  personalAccessTokens,
  recoveryCodes,
  refreshTokens,
  sessions,
  tokenFamilies,
  users,
} from "../../db/control/schema";
import { groupMembers, groups, schools } from "../../db/tenant/schema";
import { newId } from "../../shared/ids";
import { sha256Hex } from "../../worker/auth/crypto";
import { hashPassword } from "../../worker/auth/password";
import { consumeRateLimit, limits } from "../../worker/auth/rate-limit";
import { createSession, newSessionValues, publicSessionId, sessionIdOf } from "../../worker/auth/session";
import { generateRecoveryCodes, recoveryCodeRows } from "../../worker/auth/totp";
import { openTenant } from "../../worker/data";
import { createUser } from "../support/fixtures";
import { PASSWORD, randomIp, trpcMutation } from "./credentials-support";
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
  // A's second factor, Google account and app sign-in: rows in every control table that holds a user's
  // credentials, so the digest sees them change.
  const recoveryCodesA = generateRecoveryCodes(2);
  const externalIdentityA = {
    id: newId(),
    userId: a.user.id,
    provider: "google" as const,
    subject: `isolation-subject-a-${newId()}`,
    email: a.user.email,
    createdAt: now,
  };
  const familyA = {
    id: newId(),
    userId: a.user.id,
    clientName: "Isolation app A",
    ip: null,
    createdAt: now,
  };
  const later = new Date(now.getTime() + 86_400_000);
  await control().batch([
    control().insert(invitations).values(invitationA),
    control().insert(emailOutbox).values({
      id: newId(),
      tenantId: a.tenant.id,
      to: invitationA.email,
      subject: "Isolation invitation A",
      text: "Join organization A",
      kind: "invitation",
      status: "captured",
      createdAt: now,
    }),
    control().insert(personalAccessTokens).values(tokenA),
    control()
      .insert(recoveryCodes)
      .values(recoveryCodeRows(a.user.id, recoveryCodesA, now)),
    control().insert(externalIdentities).values(externalIdentityA),
    control().insert(tokenFamilies).values(familyA),
    control()
      .insert(refreshTokens)
      .values({ id: sha256Hex(newId()), familyId: familyA.id, createdAt: now, expiresAt: later }),
    control()
      .insert(accessTokens)
      .values({
        id: sha256Hex(newId()),
        familyId: familyA.id,
        userId: a.user.id,
        createdAt: now,
        expiresAt: later,
      }),
  ]);
  // A has sent invitations this hour: B must not spend A's allowance.
  await consumeRateLimit(control(), limits.invitationsPerTenant, a.tenant.id);
  const base = {
    a: {
      ...a,
      school: schoolA,
      group: groupA,
      invitation: invitationA,
      pat: tokenA,
      sessionRef: publicSessionId(sessionIdOf(a.token)),
      recoveryCodes: recoveryCodesA,
      externalIdentity: externalIdentityA,
      tokenFamily: familyA,
    },
    b: {
      ...b,
      /** Every request B's probes send comes from this address (audit rows and rate limits show it). */
      ip: randomIp(),
      recent: await recentlyReauthenticatedOwner(b.tenant.id),
      pending: await pendingSecondFactor(b.tenant.id),
    },
  };
  return base;
}

/**
 * A second owner of B whose session has just re-entered its password, through the procedure the profile
 * page calls: procedures behind re-authentication run their logic for it, not only the 403 before it. A
 * user of its own, so that what those procedures do (a new password ends the user's other sessions) leaves
 * B's first user as it was.
 */
async function recentlyReauthenticatedOwner(tenantId: string) {
  const user = await ownerOf(tenantId);
  await control()
    .update(users)
    .set({ passwordHash: await hashPassword(PASSWORD) })
    .where(eq(users.id, user.id));
  const { token } = await createSession(control(), user.id, { ip: null, userAgent: "isolation" });
  const reauth = await trpcMutation("system.profile.reauthenticate", { password: PASSWORD }, { token });
  if (reauth.status !== 200) throw new Error(`B could not re-authenticate: ${JSON.stringify(reauth.body)}`);
  return { user, token };
}

/** A third owner of B with two-factor on, half-way through signing in: the password given, a code owed. */
async function pendingSecondFactor(tenantId: string) {
  const user = await ownerOf(tenantId);
  await control().update(users).set({ totpEnabledAt: new Date() }).where(eq(users.id, user.id));
  const session = newSessionValues(user.id, { ip: null, userAgent: "isolation" }, { pending: true });
  await control().insert(sessions).values(session.values);
  return { user, token: session.token };
}

async function ownerOf(tenantId: string) {
  const user = await createUser(control());
  await control()
    .insert(memberships)
    .values({ id: newId(), userId: user.id, tenantId, role: "owner", createdAt: new Date() });
  return user;
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
    ...a.recoveryCodes,
    a.externalIdentity.id,
    a.externalIdentity.subject,
    a.tokenFamily.id,
    a.tokenFamily.clientName,
    ...world.projects.identifiers,
    ...world.issueExtras.identifiers,
  ];
}

/**
 * Everything by which B could name one of A's things: the words that would show a leak, and A's slug and
 * database name, which B may well know (they are in links) but which must get B nowhere. Every probe's
 * input carries at least one of these, or says why it cannot.
 */
export function namesOfA(world: World): Set<string> {
  return new Set([...identifiersOfA(world), world.a.tenant.slug, world.a.tenant.databaseName]);
}

/** Every string in `value` (object values, array items), however deep. */
export function stringsIn(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === "object") return Object.values(value).flatMap(stringsIn);
  return [];
}

/**
 * Control tables in which A holds no row in this world, and why. Every other control table must hold at
 * least one of A's rows, so that the digest of it means something; a new table fails the suite until the
 * world gives A a row in it or it is listed here.
 */
export const CONTROL_TABLES_WITHOUT_ROWS_OF_A: Record<string, string> = {
  __nexus_migrations: "which migrations ran: no organization's data",
  dead_letters: "queue messages that could not be processed: none are A's in this world",
  job_runs: "runs of scheduled and queued jobs: none concerns A in this world",
  shared_projects: "the root's projects, everyone's to file in: A's issues in them are in shared_issue_index",
};

/**
 * Rows B's probes add or change among A's by design, and why; left out of the digest. Only the routes
 * outside tRPC cause them: B tries A's address at sign-in and at the token endpoint.
 */
const CAUSED_BY_B: Record<string, (row: Record<string, unknown>, world: World) => boolean> = {
  // B's refused attempts at A's address (sign-in, registration) are recorded against A's account, from
  // B's address.
  audit_log: (row, w) => row.ip === w.b.ip && /_(failed|refused)$/.test(String(row.action)),
  // Per-account counters count attempts at A's address from anyone, B included: that is what they are for.
  rate_limits: (row, w) =>
    [limits.signInPerAccount, limits.tokenPerAccount].some(
      (limit) => row.key === `${limit.name}:${w.a.user.email.toLowerCase()}`,
    ),
};

const tableNames = async (client: Client) =>
  (
    await client.execute(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
  ).rows.map((r) => String(r.name));

/** Rows as sorted JSON strings: some tables (FTS5's shadow tables) have no rowid to order by. */
const sorted = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).sort();

/**
 * A's rows in every table of the control database: the rows that mention one of A's keys (its tenant id,
 * its user's id and address, its slug) in any column, and the rows that mention the id of such a row (a
 * token family's refresh tokens), until no more are found. Rows B causes by design (CAUSED_BY_B) are left
 * out, with their reason.
 */
async function controlRowsOfA(world: World): Promise<Record<string, string[]>> {
  const client = control().$client;
  const keys = new Set([world.a.tenant.id, world.a.user.id, world.a.user.email, world.a.tenant.slug]);
  const tables = await tableNames(client);
  const columns = new Map<string, string[]>();
  for (const table of tables) {
    const info = await client.execute(`SELECT name FROM pragma_table_info('${table}')`);
    columns.set(
      table,
      info.rows.map((r) => String(r.name)),
    );
  }
  const found: Record<string, Record<string, unknown>[]> = {};
  for (let size = -1; size !== keys.size; ) {
    size = keys.size;
    const list = [...keys];
    for (const table of tables) {
      const cols = columns.get(table)!;
      const where = cols.flatMap((c) => list.map(() => `instr(CAST("${c}" AS TEXT), ?) > 0`)).join(" OR ");
      const result = await client.execute({
        sql: `SELECT * FROM "${table}" WHERE ${where}`,
        args: cols.flatMap(() => list),
      });
      const rows = result.rows
        .map((r) => Object.fromEntries(result.columns.map((c, i) => [c, r[i]])))
        .filter((row) => !CAUSED_BY_B[table]?.(row, world));
      found[table] = rows;
      for (const row of rows) if (typeof row.id === "string") keys.add(row.id);
    }
  }
  return Object.fromEntries(tables.map((t) => [t, sorted(found[t] ?? [])]));
}

/** Every table of A's own database, whole, and its schema: B must change nothing there at all. */
async function tenantRowsOfA(world: World): Promise<Record<string, string[]>> {
  const client = openClient(plane().tenant(world.a.tenant));
  try {
    const out: Record<string, string[]> = {
      sqlite_master: sorted((await client.execute("SELECT * FROM sqlite_master")).rows),
    };
    const tables = await client.execute(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'sqlite_master' ORDER BY name",
    );
    for (const { name } of tables.rows) {
      out[String(name)] = sorted((await client.execute(`SELECT * FROM "${String(name)}"`)).rows);
    }
    return out;
  } finally {
    client.close();
  }
}

/** Everything of A's, in both databases, table by table: equal before and after means nothing changed. */
export async function snapshotOfA(
  world: World,
): Promise<{ control: Record<string, string[]>; tenant: Record<string, string[]> }> {
  return { control: await controlRowsOfA(world), tenant: await tenantRowsOfA(world) };
}

/** The snapshot as one string. */
export async function digestOfA(world: World): Promise<string> {
  return JSON.stringify(await snapshotOfA(world));
}
