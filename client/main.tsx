import { QueryClientProvider } from "@tanstack/react-query";
import { createRouter, RouterProvider } from "@tanstack/react-router";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { ErrorView, NotFoundPage, Pending } from "./components/ui";
import { onTwoFactorRequired, onUnauthorized, queryClient } from "./lib/query-client";
import { safeNext, sessionState, setSessionState } from "./lib/session";
import { initTheme } from "./lib/theme";
import { sessionTrpc } from "./lib/trpc";
import { routeTree } from "./routeTree.gen";
import "./styles/app.css";

const router = createRouter({
  routeTree,
  context: { queryClient },
  defaultPreload: "intent",
  // The query cache decides what is fresh; the router always asks it.
  defaultPreloadStaleTime: 0,
  defaultPendingComponent: Pending,
  defaultErrorComponent: ErrorView,
  defaultNotFoundComponent: NotFoundPage,
  scrollRestoration: true,
  Wrap: ({ children }) => <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>,
});

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
}

// A session that worked during this visit and is now refused has ended (expired, or signed out elsewhere):
// forget everything cached and ask the user to sign in again.
onUnauthorized(() => {
  if (sessionState() !== "active") return;
  setSessionState("expired");
  // Come back here after signing in again.
  const next = safeNext(router.state.location.href);
  void router
    .navigate({ to: "/sign-in", search: { expired: 1, ...(next ? { next } : {}) } })
    .then(() => queryClient.clear());
});

// An organization began requiring two-factor authentication while the user was working in it.
onTwoFactorRequired(() => {
  // Only from an organization's own pages: elsewhere (the account pages) a refusal is shown where it happens.
  const slug = router.state.location.pathname.split("/")[1];
  const me = queryClient.getQueryData(sessionTrpc.system.me.queryKey());
  if (!slug || !me?.memberships.some((m) => m.tenant.slug === slug)) return;
  void router.navigate({ to: "/me/two-factor", search: { required: slug } });
});

initTheme();

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element.");
createRoot(root).render(
  <StrictMode>
    <RouterProvider router={router} />
  </StrictMode>,
);
