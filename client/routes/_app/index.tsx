import { createFileRoute, redirect, useNavigate } from "@tanstack/react-router";
import { Building2 } from "lucide-react";
import { EmptyState } from "../../components/ui";
import { useDocumentTitle } from "../../lib/hooks";
import { queryClient } from "../../lib/query-client";
import { signOut } from "../../lib/session";
import { lastTenant } from "../../lib/storage";
import { sessionTrpc } from "../../lib/trpc";

/**
 * `/`: the user's default organization (chosen on the Default context page, or the one they registered),
 * else the one used last on this device, else their first — whichever they still belong to.
 */
export const Route = createFileRoute("/_app/")({
  beforeLoad: async ({ context }) => {
    const memberships = context.me.memberships.filter((m) => m.tenant.status !== "deleted");
    if (memberships.length === 0) return;
    const profile = await context.queryClient
      .ensureQueryData(sessionTrpc.system.profile.get.queryOptions())
      .catch(() => null);
    const slugs = [profile?.defaultTenant?.slug, lastTenant()];
    const target =
      slugs.map((slug) => memberships.find((m) => m.tenant.slug === slug)).find(Boolean) ?? memberships[0];
    if (target) throw redirect({ to: "/$tenant", params: { tenant: target.tenant.slug }, replace: true });
  },
  component: NoOrganization,
});

function NoOrganization() {
  const navigate = useNavigate();
  useDocumentTitle("No organization");
  return (
    <main className="standalone" id="main">
      <EmptyState
        icon={<Building2 size={28} aria-hidden="true" />}
        title="You are not a member of any organization yet"
        action={
          <button
            type="button"
            className="button"
            onClick={async () => {
              await signOut().catch(() => undefined);
              await navigate({ to: "/sign-in" });
              queryClient.clear();
            }}
          >
            Sign out
          </button>
        }
      >
        <p>Ask your district's Nexus administrator to add you to your district.</p>
      </EmptyState>
    </main>
  );
}
