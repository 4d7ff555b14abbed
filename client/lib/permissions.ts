import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "./trpc";

const none: ReadonlySet<string> = new Set();

/**
 * The caller's permissions in the organization whose pages are showing (already loaded by the tenant route).
 * Empty until known, so nothing an administrator alone may use is shown before it is.
 */
export function useTenantPermissions(): ReadonlySet<string> {
  const trpc = useTRPC();
  const { data } = useQuery({
    ...trpc.system.organization.current.queryOptions(),
    select: (current) => new Set(current.permissions) as ReadonlySet<string>,
  });
  return data ?? none;
}
