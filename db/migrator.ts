import type { Client } from "@libsql/client";

export interface Migration {
  tag: string;
  /** SHA-256 of the migration's SQL, so an edited, already-applied migration is noticed. */
  hash: string;
  statements: readonly string[];
}

export interface MigrationSet {
  name: "control" | "tenant";
  migrations: readonly Migration[];
}

const ledger = "__nexus_migrations";

async function ensureLedger(client: Client): Promise<void> {
  await client.execute(
    `CREATE TABLE IF NOT EXISTS ${ledger} (tag TEXT PRIMARY KEY NOT NULL, hash TEXT NOT NULL, applied_at INTEGER NOT NULL)`,
  );
}

async function appliedTags(client: Client): Promise<Map<string, string>> {
  const rows = await client.execute(`SELECT tag, hash FROM ${ledger}`);
  return new Map(rows.rows.map((r) => [String(r.tag), String(r.hash)]));
}

export class MigrationMismatchError extends Error {
  constructor(readonly tag: string) {
    super(`Migration ${tag} was applied with different SQL than the bundled one`);
  }
}

/** Tags of the bundled migrations not yet applied to this database. Reads only. */
export async function pendingMigrations(client: Client, set: MigrationSet): Promise<string[]> {
  const exists = await client.execute({
    sql: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
    args: [ledger],
  });
  if (exists.rows.length === 0) return set.migrations.map((m) => m.tag);
  const applied = await appliedTags(client);
  return set.migrations.filter((m) => !applied.has(m.tag)).map((m) => m.tag);
}

/**
 * Applies every pending migration, each in one atomic batch together with its ledger row: a migration is
 * either fully applied and recorded, or not at all. Safe to run concurrently (a racing run fails its batch
 * on the ledger's primary key and leaves the database as the winner made it) and to run again.
 */
export async function migrate(
  client: Client,
  set: MigrationSet,
  now = Date.now,
): Promise<{ applied: string[] }> {
  await ensureLedger(client);
  const applied = await appliedTags(client);
  const done: string[] = [];
  for (const migration of set.migrations) {
    const recorded = applied.get(migration.tag);
    if (recorded !== undefined) {
      if (recorded !== migration.hash) throw new MigrationMismatchError(migration.tag);
      continue;
    }
    await client.batch(
      [
        ...migration.statements,
        {
          sql: `INSERT INTO ${ledger} (tag, hash, applied_at) VALUES (?, ?, ?)`,
          args: [migration.tag, migration.hash, now()],
        },
      ],
      "write",
    );
    done.push(migration.tag);
  }
  return { applied: done };
}
