import { createFileRoute, Outlet, redirect } from "@tanstack/react-router";
import { isUnauthorized } from "../lib/errors";
import { sessionState, setSessionState } from "../lib/session";
import { sessionTrpc } from "../lib/trpc";

/** Every page behind sign-in: loads who the user is, or sends them to the sign-in page. */
export const Route = createFileRoute("/_app")({
  beforeLoad: async ({ context }) => {
    try {
      const me = await context.queryClient.ensureQueryData(sessionTrpc.system.me.queryOptions());
      setSessionState("active");
      return { me };
    } catch (error) {
      if (isUnauthorized(error)) {
        throw redirect({ to: "/sign-in", search: sessionState() === "expired" ? { expired: 1 } : {} });
      }
      throw error;
    }
  },
  component: Outlet,
});
