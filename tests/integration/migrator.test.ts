import { describe, expect, it } from "vitest";
import { openClient } from "../../db/client";
import { tenantMigrations } from "../../db/migrations/tenant/bundle";
import { MigrationMismatchError, type MigrationSet, migrate, pendingMigrations } from "../../db/migrator";
import { LocalProvisioner } from "../../db/provisioning/local";
import { sqld, uniqueName } from "../support/databases";

async function emptyNamespace() {
  const namespace = uniqueName("migrator");
  await new LocalProvisioner(sqld().adminUrl).createDatabase(namespace);
  return namespace;
}

async function emptyDatabase() {
  return openClient({ url: sqld().url, namespace: await emptyNamespace() });
}

const twoSteps: MigrationSet = {
  name: "tenant",
  migrations: [
    { tag: "0000_a", hash: "h0", statements: ["CREATE TABLE a (id INTEGER PRIMARY KEY)"] },
    {
      tag: "0001_b",
      hash: "h1",
      statements: ["CREATE TABLE b (id INTEGER PRIMARY KEY)", "INSERT INTO b VALUES (1)"],
    },
  ],
};

describe("the migrator", () => {
  it("applies every bundled migration to an empty database and records each one", async () => {
    const client = await emptyDatabase();
    expect(await pendingMigrations(client, tenantMigrations)).toEqual(
      tenantMigrations.migrations.map((m) => m.tag),
    );
    const { applied } = await migrate(client, tenantMigrations);
    expect(applied).toEqual(tenantMigrations.migrations.map((m) => m.tag));
    expect(await pendingMigrations(client, tenantMigrations)).toEqual([]);
    const tables = await client.execute(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schools'",
    );
    expect(tables.rows).toHaveLength(1);
  });

  it("applies nothing the second time", async () => {
    const client = await emptyDatabase();
    await migrate(client, tenantMigrations);
    expect((await migrate(client, tenantMigrations)).applied).toEqual([]);
  });

  it("applies only the migrations a database has not seen", async () => {
    const client = await emptyDatabase();
    await migrate(client, { ...twoSteps, migrations: twoSteps.migrations.slice(0, 1) });
    expect(await pendingMigrations(client, twoSteps)).toEqual(["0001_b"]);
    expect((await migrate(client, twoSteps)).applied).toEqual(["0001_b"]);
  });

  it("leaves nothing behind when a migration fails part way", async () => {
    const client = await emptyDatabase();
    const broken: MigrationSet = {
      name: "tenant",
      migrations: [
        {
          tag: "0000_bad",
          hash: "x",
          statements: ["CREATE TABLE c (id INTEGER)", "INSERT INTO nowhere VALUES (1)"],
        },
      ],
    };
    await expect(migrate(client, broken)).rejects.toThrow();
    const tables = await client.execute("SELECT name FROM sqlite_master WHERE name = 'c'");
    expect(tables.rows).toHaveLength(0);
    expect(await pendingMigrations(client, broken)).toEqual(["0000_bad"]);
  });

  it("refuses a database where an applied migration's SQL has changed since", async () => {
    const client = await emptyDatabase();
    await migrate(client, twoSteps);
    const edited: MigrationSet = {
      ...twoSteps,
      migrations: [{ ...twoSteps.migrations[0]!, hash: "edited" }, twoSteps.migrations[1]!],
    };
    await expect(migrate(client, edited)).rejects.toBeInstanceOf(MigrationMismatchError);
  });

  it("survives two migrators racing on the same database", async () => {
    const namespace = await emptyNamespace();
    const client = openClient({ url: sqld().url, namespace });
    const other = openClient({ url: sqld().url, namespace });
    const results = await Promise.allSettled([migrate(client, twoSteps), migrate(other, twoSteps)]);
    expect(results.some((r) => r.status === "fulfilled")).toBe(true);
    expect(await pendingMigrations(client, twoSteps)).toEqual([]);
    const rows = await client.execute("SELECT count(*) AS n FROM b");
    expect(Number(rows.rows[0]?.n)).toBe(1);
  });
});
