import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openClient, type TenantDb } from "../../db/client";
import { classifyDatabaseError, isDatabaseUnavailable } from "../../db/errors";
import { groups } from "../../db/tenant/schema";
import { describeError } from "../../worker/log";
import { freshTenantDb, sqld, uniqueName } from "../support/databases";

/** What a call failed with (the test fails if it did not fail). */
async function failure(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error("the call was expected to fail");
}

let tenant: { db: TenantDb; namespace: string };
/** A local HTTP server standing in for a gateway in front of sqld: answers every request with `status`. */
let gateway: ReturnType<typeof createServer>;
let gatewayStatus = 503;

beforeAll(async () => {
  tenant = await freshTenantDb();
  gateway = createServer((_, response) => {
    response.writeHead(gatewayStatus, { "content-type": "text/plain" });
    response.end("upstream unavailable");
  });
  await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
});

afterAll(async () => {
  tenant.db.$client.close();
  await new Promise((resolve) => gateway.close(resolve));
});

const gatewayUrl = () => `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;

describe("a database error that is not an outage", () => {
  it("is a failure, not an outage, when the text holds a lone surrogate (sqld refuses the request)", async () => {
    const error = await failure(() =>
      tenant.db.$client.execute({ sql: "select ? as name", args: ["Help desk \ud800"] }),
    );
    expect(String(error)).toMatch(/surrogate|hex escape/i);
    expect(classifyDatabaseError(error)).toBe("failed");
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it("is a failure when sqld cannot run the statement: a syntax error, a missing table, a constraint", async () => {
    const syntax = await failure(() => tenant.db.$client.execute("selec 1"));
    const missing = await failure(() => tenant.db.run(sql`select * from no_such_table`));
    const now = new Date();
    const row = { id: uniqueName("g"), name: "Network Team", createdAt: now, updatedAt: now };
    await tenant.db.insert(groups).values(row);
    const duplicate = await failure(() => tenant.db.insert(groups).values(row));
    for (const error of [syntax, missing, duplicate]) {
      expect(classifyDatabaseError(error)).toBe("failed");
    }
  });

  it("is logged with its SQL, codes and causes, but never the query's parameters", async () => {
    const secret = `nxp_${crypto.randomUUID()}`;
    const error = await failure(() =>
      tenant.db.run(sql`select * from no_such_table where token = ${secret}`),
    );
    const logged = JSON.stringify(describeError(error));
    expect(logged).toContain("no_such_table");
    expect(logged).toContain("LibsqlError");
    expect(logged).toContain("no such table");
    expect(logged).not.toContain(secret);
  });
});

describe("a database that cannot be reached", () => {
  it("is an outage when its namespace does not exist", async () => {
    const client = openClient({ url: sqld().url, namespace: uniqueName("gone") });
    const error = await failure(() => client.execute("select 1"));
    expect(classifyDatabaseError(error)).toBe("unavailable");
  });

  it("is an outage when nothing listens at its address (connection refused)", async () => {
    const client = openClient({ url: "http://127.0.0.1:9", namespace: "control" });
    const error = await failure(() => client.execute("select 1"));
    expect(classifyDatabaseError(error)).toBe("unavailable");
  });

  it("is an outage when a gateway in front of it answers 502, 503 or 504, and not when it answers 400", async () => {
    const client = openClient({ url: gatewayUrl(), namespace: "control" });
    for (const status of [502, 503, 504]) {
      gatewayStatus = status;
      expect(classifyDatabaseError(await failure(() => client.execute("select 1")))).toBe("unavailable");
    }
    gatewayStatus = 400;
    expect(classifyDatabaseError(await failure(() => client.execute("select 1")))).toBe("failed");
  });

  it("is an outage when the request times out or is aborted", async () => {
    const timeout = await failure(() => fetch(gatewayUrl(), { signal: AbortSignal.timeout(0) }));
    const aborted = await failure(() => fetch(gatewayUrl(), { signal: AbortSignal.abort() }));
    expect(classifyDatabaseError(timeout)).toBe("unavailable");
    expect(classifyDatabaseError(aborted)).toBe("unavailable");
  });

  it("leaves errors that did not come from a database alone", () => {
    expect(
      classifyDatabaseError(new TypeError("Cannot read properties of undefined (reading 'connect')")),
    ).toBe(null);
    expect(classifyDatabaseError(new Error("boom"))).toBe(null);
    expect(classifyDatabaseError("text")).toBe(null);
  });
});
