import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { isClientError, isUnauthorized, reasonOf } from "./errors";

let unauthorizedHandler: ((error: unknown) => void) | null = null;
let twoFactorRequiredHandler: ((error: unknown) => void) | null = null;

/** Called whenever a query or mutation fails because the session is missing or has ended. */
export function onUnauthorized(handler: (error: unknown) => void): void {
  unauthorizedHandler = handler;
}

/** Called whenever an organization refuses a request because the user has no second factor yet. */
export function onTwoFactorRequired(handler: (error: unknown) => void): void {
  twoFactorRequiredHandler = handler;
}

function report(error: unknown): void {
  if (isUnauthorized(error)) unauthorizedHandler?.(error);
  else if (reasonOf(error) === "two_factor_required") twoFactorRequiredHandler?.(error);
}

/** The one query cache of the app. Tenant data lives under the tenant's key prefix (see trpc.ts). */
export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: report }),
  mutationCache: new MutationCache({ onError: report }),
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      // A refused request (4xx) fails the same way again; network and server failures may not.
      retry: (failureCount, error) => !isClientError(error) && failureCount < 2,
    },
    mutations: { retry: false },
  },
});
