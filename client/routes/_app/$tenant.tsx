import { createFileRoute, notFound, Outlet, redirect } from "@tanstack/react-router";
import { type ReactNode, useEffect } from "react";
import { GlobalSearch } from "../../components/GlobalSearch";
import { NotificationCentre } from "../../components/NotificationCentre";
import { Shell } from "../../components/Shell";
import { ErrorView, NotFoundInShell, Pending } from "../../components/ui";
import { errorCode, reasonOf } from "../../lib/errors";
import { queryClient } from "../../lib/query-client";
import { rememberTenant } from "../../lib/storage";
import { forgetOtherTenants, TRPCProvider, tenantApi } from "../../lib/trpc";

/** One organization's pages, inside the application shell. */
export const Route = createFileRoute("/_app/$tenant")({
  beforeLoad: ({ context, params }) => {
    const membership = context.me.memberships.find(
      (m) => m.tenant.slug === params.tenant && m.tenant.status !== "deleted",
    );
    // Not one of the user's organizations: the root's not-found page (no shell, nothing to show of it).
    if (!membership) throw notFound({ routeId: "__root__" });
    return { membership, api: tenantApi(params.tenant) };
  },
  loader: async ({ context, params }) => {
    try {
      await context.queryClient.ensureQueryData(context.api.trpc.system.organization.current.queryOptions());
    } catch (error) {
      if (errorCode(error) === "NOT_FOUND") throw notFound({ routeId: "__root__" });
      // The organization requires a second factor the user has not set up: the two-factor page says so.
      if (reasonOf(error) === "two_factor_required") {
        throw redirect({ to: "/me/two-factor", search: { required: params.tenant } });
      }
      throw error;
    }
  },
  component: TenantLayout,
  pendingComponent: Pending,
  errorComponent: ErrorView,
  notFoundComponent: TenantNotFound,
});

/** The shell around the organization's pages, with its tRPC client and query-key prefix. */
function TenantFrame({ children }: { children: ReactNode }) {
  const { tenant } = Route.useParams();
  const { api, membership } = Route.useRouteContext();

  useEffect(() => {
    rememberTenant(tenant);
    // The previous organization's pages are gone; so must be its data.
    forgetOtherTenants(tenant);
  }, [tenant]);

  return (
    <TRPCProvider trpcClient={api.client} queryClient={queryClient} keyPrefix={tenant}>
      <Shell
        scope={{ kind: "tenant", slug: tenant, name: membership.tenant.name }}
        tools={
          <>
            <GlobalSearch tenant={tenant} />
            <NotificationCentre tenant={tenant} />
          </>
        }
      >
        {children}
      </Shell>
    </TRPCProvider>
  );
}

function TenantLayout() {
  const { tenant } = Route.useParams();
  // Keyed: nothing a page holds (typed search text, open menus) carries over to another organization.
  return (
    <TenantFrame>
      <Outlet key={tenant} />
    </TenantFrame>
  );
}

/** An address under the organization that matches no page. */
function TenantNotFound() {
  const { tenant } = Route.useParams();
  return (
    <TenantFrame>
      <NotFoundInShell tenant={tenant} />
    </TenantFrame>
  );
}
