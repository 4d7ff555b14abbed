import { createFileRoute, Outlet } from "@tanstack/react-router";
import { Shell } from "../../components/Shell";
import { ErrorView, Pending } from "../../components/ui";
import { lastTenant } from "../../lib/storage";

/** The signed-in user's own pages (`/me/…`), in the shell, outside any organization. */
export const Route = createFileRoute("/_app/me")({
  component: AccountLayout,
  pendingComponent: Pending,
  errorComponent: ErrorView,
});

function AccountLayout() {
  const { me } = Route.useRouteContext();
  const memberships = me.memberships.filter((m) => m.tenant.status !== "deleted");
  const last = lastTenant();
  const back = (memberships.find((m) => m.tenant.slug === last) ?? memberships[0])?.tenant ?? null;
  return (
    <Shell scope={{ kind: "account", back: back ? { slug: back.slug, name: back.name } : null }}>
      <Outlet />
    </Shell>
  );
}
