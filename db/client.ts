import { type Client, createClient } from "@libsql/client/web";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import { drizzle } from "drizzle-orm/libsql/web";
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

export function controlDatabase(client: Client): ControlDb {
  return drizzle(client, { schema: controlSchema, casing: "snake_case" });
}

export function tenantDatabase(client: Client): TenantDb {
  return drizzle(client, { schema: tenantSchema, casing: "snake_case" });
}
