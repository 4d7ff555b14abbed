import { createFileRoute, redirect } from "@tanstack/react-router";

/** `/me` opens the profile. */
export const Route = createFileRoute("/_app/me/")({
  beforeLoad: () => {
    throw redirect({ to: "/me/profile", replace: true });
  },
});
