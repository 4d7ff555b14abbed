import { createFileRoute, Outlet, redirect } from "@tanstack/react-router";
import { ReauthProvider } from "../components/Reauthenticate";
import { isUnauthorized } from "../lib/errors";
import { safeNext, sessionState, setSessionState } from "../lib/session";
import { sessionTrpc } from "../lib/trpc";

/** Every page behind sign-in: loads who the user is, or sends them to the sign-in page (and back after). */
export const Route = createFileRoute("/_app")({
  beforeLoad: async ({ context, location }) => {
    try {
      const me = await context.queryClient.ensureQueryData(sessionTrpc.system.me.queryOptions());
      setSessionState("active");
      return { me };
    } catch (error) {
      if (isUnauthorized(error)) {
        const next = safeNext(location.href === "/" ? undefined : location.href);
        throw redirect({
          to: "/sign-in",
          search: { ...(sessionState() === "expired" ? { expired: 1 } : {}), ...(next ? { next } : {}) },
        });
      }
      throw error;
    }
  },
  component: AppLayout,
});

function AppLayout() {
  return (
    <ReauthProvider>
      <Outlet />
    </ReauthProvider>
  );
}
