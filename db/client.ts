import { type Client, createClient } from "@libsql/client/web";
import { createTableRelationsHelpers, extractTablesRelationalConfig } from "drizzle-orm";
import { LibSQLDatabase } from "drizzle-orm/libsql";
import { LibSQLSession } from "drizzle-orm/libsql/session";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import * as controlSchema from "./control/schema";
import * as tenantSchema from "./tenant/schema";

/** Where one database lives: a URL, plus the sqld namespace locally or an auth token on Turso. */
export interface DatabaseTarget {
  url: string;
  namespace?: string;
  authToken?: string;
}

/** sqld selects a namespace by this header: the name in base64 without padding. */
export function namespaceHeader(namespace: string): string {
  return btoa(namespace).replace(/=+$/, "");
}

/** sqld sometimes answers 404 for a namespace that exists (just created, or being reloaded): retry briefly. */
const NAMESPACE_RETRY_DELAYS_MS = [25, 50, 100, 200, 400];
/** A database request that has not answered by then has failed (and answers 503), rather than hanging. */
const REQUEST_TIMEOUT_MS = 15_000;

async function fetchNamespace(
  namespace: string,
  input: Request | string | URL,
  init?: RequestInit,
): Promise<Response> {
  const request = new Request(input, init);
  request.headers.set("x-namespace-bin", namespaceHeader(namespace));
  for (const delay of NAMESPACE_RETRY_DELAYS_MS) {
    const response = await fetch(request.clone() as Request, {
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (response.status !== 404) return response;
    await response.body?.cancel();
    await new Promise((r) => setTimeout(r, delay));
  }
  return fetch(request, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
}

/** Opens a libSQL client over HTTP (works in workerd and Node alike). */
export function openClient(target: DatabaseTarget): Client {
  const namespace = target.namespace;
  return createClient({
    url: target.url,
    ...(target.authToken ? { authToken: target.authToken } : {}),
    ...(namespace
      ? {
          fetch: (input: Request | string | URL, init?: RequestInit) =>
            fetchNamespace(namespace, input, init),
        }
      : {}),
  });
}

export type ControlDb = LibSQLDatabase<typeof controlSchema> & { $client: Client };
export type TenantDb = LibSQLDatabase<typeof tenantSchema> & { $client: Client };

/**
 * What drizzle's `drizzle(client, { schema, casing })` builds, with the costly part — the relational view of
 * the schema, about half a millisecond of CPU for ours — made once per isolate instead of once per request.
 * The dialect (and its snake_case cache) is shared too; the session, which holds the client, is per call.
 */
function databaseFactory<S extends Record<string, unknown>>(schema: S) {
  let shared: {
    dialect: SQLiteAsyncDialect;
    relational: ConstructorParameters<typeof LibSQLSession>[2];
  } | null = null;
  return (client: Client): LibSQLDatabase<S> & { $client: Client } => {
    if (!shared) {
      const tables = extractTablesRelationalConfig(schema, createTableRelationsHelpers);
      shared = {
        dialect: new SQLiteAsyncDialect({ casing: "snake_case" }),
        relational: { fullSchema: schema, schema: tables.tables, tableNamesMap: tables.tableNamesMap },
      };
    }
    const session = new LibSQLSession(client, shared.dialect, shared.relational, {}, undefined);
    const db = new LibSQLDatabase(
      "async",
      shared.dialect,
      session,
      shared.relational,
    ) as LibSQLDatabase<S> & {
      $client: Client;
    };
    db.$client = client;
    return db;
  };
}

const controlFactory = databaseFactory(controlSchema);
const tenantFactory = databaseFactory(tenantSchema);

export function controlDatabase(client: Client): ControlDb {
  return controlFactory(client);
}

export function tenantDatabase(client: Client): TenantDb {
  return tenantFactory(client);
}
