import { createTRPCClient, httpBatchLink, type TRPCClient } from "@trpc/client";
import { createTRPCContext, createTRPCOptionsProxy, type TRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { MAX_BATCH_SIZE, TENANT_HEADER } from "../../shared/transport";
import type { AppRouter } from "../../worker/trpc/router";
import { queryClient } from "./query-client";

/**
 * Every query key starts with a prefix naming whose data it is: an organization's slug, or SESSION_PREFIX for
 * data of the signed-in user (who they are, the health of their databases). Each organization also gets its own
 * client, whose requests always carry that organization's slug in the tenant header. So a response is only ever
 * cached under the organization it was asked for, and switching organizations can never show the previous one's
 * data, even while requests for it are still in flight.
 */
type Features = { keyPrefix: true };

export const SESSION_PREFIX = "@session";

export type NexusClient = TRPCClient<AppRouter>;
export type NexusOptions = TRPCOptionsProxy<AppRouter, Features>;

/** `useTRPC()` answers the options proxy of the organization whose pages are showing. */
export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter, Features>();

function createClient(tenant: string | null): NexusClient {
  const headers: Record<string, string> = tenant ? { [TENANT_HEADER]: tenant } : {};
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: "/trpc",
        maxItems: MAX_BATCH_SIZE,
        maxURLLength: 4000,
        headers: () => headers,
        fetch: (url, options) => fetch(url, { ...(options as RequestInit), credentials: "same-origin" }),
      }),
    ],
  });
}

/** Procedures about the signed-in user rather than one organization (system.me, system.health.status). */
export const sessionClient = createClient(null);
export const sessionTrpc: NexusOptions = createTRPCOptionsProxy<AppRouter, Features>({
  client: sessionClient,
  queryClient,
  keyPrefix: SESSION_PREFIX,
});

export interface TenantApi {
  slug: string;
  client: NexusClient;
  trpc: NexusOptions;
}

const tenantApis = new Map<string, TenantApi>();

/** The client and options proxy of one organization (memoised: query keys and batching stay stable). */
export function tenantApi(slug: string): TenantApi {
  let api = tenantApis.get(slug);
  if (!api) {
    const client = createClient(slug);
    api = {
      slug,
      client,
      trpc: createTRPCOptionsProxy<AppRouter, Features>({ client, queryClient, keyPrefix: slug }),
    };
    tenantApis.set(slug, api);
  }
  return api;
}

/** The prefix of a query key built by a proxy above: `[[prefix], path, options]`. */
export function keyPrefixOf(queryKey: readonly unknown[]): string | undefined {
  const first = queryKey[0];
  return Array.isArray(first) && typeof first[0] === "string" ? first[0] : undefined;
}

/** Drops every cached query of organizations other than `slug` (and cancels their requests). */
export function forgetOtherTenants(slug: string): void {
  const predicate = (query: { queryKey: readonly unknown[] }) => {
    const prefix = keyPrefixOf(query.queryKey);
    return prefix !== slug && prefix !== SESSION_PREFIX;
  };
  void queryClient.cancelQueries({ predicate });
  queryClient.removeQueries({ predicate });
}
