import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "./trpc";

/** What the caller may do in the organization whose pages are showing, and what kind of organization it is. */
export interface TenantAccess {
  permissions: ReadonlySet<string>;
  /** `root`: the Global organization (home of the shared service desk); null until known. */
  kind: "district" | "root" | null;
}

const none: TenantAccess = { permissions: new Set(), kind: null };

/**
 * The caller's access in the organization whose pages are showing (already loaded by the tenant route).
 * Empty until known, so nothing an administrator alone may use is shown before it is.
 */
export function useTenantAccess(): TenantAccess {
  const trpc = useTRPC();
  const { data } = useQuery({
    ...trpc.system.organization.current.queryOptions(),
    select: (current): TenantAccess => ({
      permissions: new Set(current.permissions),
      kind: current.tenant.kind,
    }),
  });
  return data ?? none;
}

/** The caller's permissions in the organization whose pages are showing. */
export function useTenantPermissions(): ReadonlySet<string> {
  return useTenantAccess().permissions;
}
