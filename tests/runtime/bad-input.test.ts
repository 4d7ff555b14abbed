import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openClient, tenantDatabase } from "../../db/client";
import { tenants } from "../../db/control/schema";
import { classifyDatabaseError } from "../../db/errors";
import { auditLog, catalogCategories, groups } from "../../db/tenant/schema";
import { messages } from "../../shared/schemas/text";
import { expectConsoleError } from "../support/console-guard";
import { trpcMutation } from "./credentials-support";
import { rest } from "./rest-support";
import { control, member, plane, trpcQuery } from "./support";

type Member = Awaited<ReturnType<typeof member>>;
let owner: Member;
const retired: string[] = [];

beforeAll(async () => {
  owner = await member("owner");
});

afterAll(async () => {
  // Tenants whose databases these tests broke are retired, so /readyz elsewhere sees only live ones.
  for (const id of retired)
    await control().update(tenants).set({ status: "deleted" }).where(eq(tenants.id, id));
});

const as = (m: Member) => ({ token: m.token, tenant: m.tenant.slug });
const tenantDb = (m: Member) => tenantDatabase(openClient(plane().tenant(m.tenant)));

describe("text holding a lone surrogate or a control character", () => {
  it("is refused with 400 and a message on the field for a group name, over tRPC and REST, and nothing is written", async () => {
    const before = await tenantDb(owner).select().from(auditLog);
    const trpc = await trpcMutation("system.groups.create", { name: "Help desk \ud800" }, as(owner));
    expect(trpc.status).toBe(400);
    expect(trpc.body.error.data.fieldErrors.name).toEqual([messages.illFormed]);

    const viaRest = await rest("POST", "/system/groups", { ...as(owner), body: { name: "\ud800" } });
    expect(viaRest.status).toBe(400);
    expect(viaRest.body.error.fieldErrors.name).toEqual([messages.illFormed]);

    const nul = await rest("POST", "/system/groups", { ...as(owner), body: { name: "Help\u0000desk" } });
    expect(nul.status).toBe(400);
    expect(nul.body.error.fieldErrors.name).toEqual([messages.singleLine]);

    expect(await tenantDb(owner).select().from(groups)).toEqual([]);
    expect(await tenantDb(owner).select().from(auditLog)).toEqual(before);
  });

  it("is refused in a catalog category name, which takes one line, while its description keeps its line breaks", async () => {
    const refused = await rest("POST", "/projects/catalog/categories", {
      ...as(owner),
      body: { name: "Devices\r\nand printers", description: "One\ud83dtwo" },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fieldErrors).toEqual({
      name: [messages.singleLine],
      description: [messages.illFormed],
    });

    const created = await rest("POST", "/projects/catalog/categories", {
      ...as(owner),
      body: { name: "Devices 🎒", description: "Chromebooks and laptops.\n\tPrinters too." },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const [row] = await tenantDb(owner)
      .select()
      .from(catalogCategories)
      .where(eq(catalogCategories.id, created.body.id));
    expect(row).toMatchObject({
      name: "Devices 🎒",
      description: "Chromebooks and laptops.\n\tPrinters too.",
    });
  });
});

describe("a database error that is not an outage", () => {
  it("answers 500 with the request id as its reference, over tRPC and REST, logs the details and sends no SQL", async () => {
    const broken = await member("owner");
    retired.push(broken.tenant.id);
    const client = openClient(plane().tenant(broken.tenant));
    await client.execute("drop table group_members");
    await client.execute("drop table groups");
    client.close();

    const trpc = await trpcQuery("system.groups.list", {}, as(broken));
    expect(trpc.status).toBe(500);
    const trpcId = trpc.headers.get("x-request-id")!;
    expect(trpc.body.error.data.code).toBe("INTERNAL_SERVER_ERROR");
    expect(trpc.body.error.message).toContain(trpcId);
    expect(trpc.headers.get("retry-after")).toBeNull();

    const viaRest = await rest("GET", "/system/groups", as(broken));
    const body = viaRest.body as { error: { code: string; message: string; requestId: string } };
    expect(viaRest.status).toBe(500);
    expect(body.error.code).toBe("INTERNAL");
    expect(body.error.requestId).toBe(viaRest.headers.get("x-request-id"));
    expect(body.error.message).toContain(body.error.requestId);
    expect(viaRest.headers.get("retry-after")).toBeNull();

    for (const text of [JSON.stringify(trpc.body), JSON.stringify(body)]) {
      expect(text).not.toMatch(/no such table|select|sqlite|libsql|stack|\.ts:\d/i);
    }
    // The details are in the log, under each request's id.
    for (const requestId of [trpcId, body.error.requestId]) {
      expectConsoleError(
        new RegExp(`"message":"procedure failed".*"requestId":"${requestId}".*no such table`),
      );
    }
  });
});

describe("a database that cannot be reached", () => {
  it("answers 503 with Retry-After over tRPC and REST", async () => {
    const down = await member("owner");
    retired.push(down.tenant.id);
    await plane().provisioner.deleteDatabase(down.tenant.databaseName);

    const trpc = await trpcQuery("system.groups.list", {}, as(down));
    expect(trpc.status).toBe(503);
    expect(trpc.body.error.data.code).toBe("SERVICE_UNAVAILABLE");
    expect(Number(trpc.headers.get("retry-after"))).toBeGreaterThan(0);

    const viaRest = await rest("GET", "/system/groups", as(down));
    expect(viaRest.status).toBe(503);
    expect(viaRest.body.error.code).toBe("UNAVAILABLE");
    expect(Number(viaRest.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("is an outage inside workerd when nothing listens at the database's address", async () => {
    const client = openClient({ url: "http://127.0.0.1:9", namespace: "control" });
    const error = await client.execute("select 1").then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).not.toBeNull();
    expect(classifyDatabaseError(error)).toBe("unavailable");
  });
});
