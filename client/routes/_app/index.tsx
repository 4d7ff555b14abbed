import { createFileRoute, redirect, useNavigate } from "@tanstack/react-router";
import { Building2 } from "lucide-react";
import { EmptyState } from "../../components/ui";
import { useDocumentTitle } from "../../lib/hooks";
import { queryClient } from "../../lib/query-client";
import { signOut } from "../../lib/session";
import { lastTenant } from "../../lib/storage";

/** `/`: the organization used last (if the user still belongs to it), else their first one. */
export const Route = createFileRoute("/_app/")({
  beforeLoad: ({ context }) => {
    const memberships = context.me.memberships.filter((m) => m.tenant.status !== "deleted");
    const last = lastTenant();
    const target = memberships.find((m) => m.tenant.slug === last) ?? memberships[0];
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
