import { Link, useLocation } from "@tanstack/react-router";
import { ArrowLeft, Menu, X } from "lucide-react";
import { Dialog } from "radix-ui";
import { type ReactNode, useEffect, useState } from "react";
import { useMediaQuery, WIDE_LAYOUT } from "../lib/hooks";
import { AccountNav } from "./AccountNav";
import { Logo } from "./icons";
import { Nav } from "./Nav";
import { TenantSwitcher } from "./TenantSwitcher";
import { ThemeToggle } from "./ThemeToggle";
import { UserMenu } from "./UserMenu";

function SkipLink() {
  return (
    <a className="skip-link" href="#main">
      Skip to content
    </a>
  );
}

function Brand({ tenant }: { tenant: string | undefined }) {
  return tenant ? (
    <Link to="/$tenant" params={{ tenant }} className="brand" aria-label="Nexus home">
      <Logo size={22} />
      <span className="brand-name">Nexus</span>
    </Link>
  ) : (
    <Link to="/" className="brand" aria-label="Nexus home">
      <Logo size={22} />
      <span className="brand-name">Nexus</span>
    </Link>
  );
}

/** The way back from the account pages to the organization the user works in. */
function BackToOrganization({ back }: { back: { slug: string; name: string } | null }) {
  if (!back) return null;
  return (
    <Link to="/$tenant" params={{ tenant: back.slug }} className="back-link">
      <ArrowLeft size={14} aria-hidden="true" />
      <span>Back to {back.name}</span>
    </Link>
  );
}

export type ShellScope =
  | { kind: "tenant"; slug: string; name: string }
  | { kind: "account"; back: { slug: string; name: string } | null };

/** What the sidebar and the drawer both hold. */
function NavigationPanel({ scope, footer }: { scope: ShellScope; footer: ReactNode }) {
  return (
    <>
      <div className="panel-top">
        {scope.kind === "tenant" ? (
          <TenantSwitcher tenant={scope.slug} />
        ) : (
          <BackToOrganization back={scope.back} />
        )}
      </div>
      <div className="panel-scroll">
        {scope.kind === "tenant" ? <Nav tenant={scope.slug} /> : <AccountNav />}
      </div>
      <div className="panel-footer">{footer}</div>
    </>
  );
}

/**
 * The application shell: sidebar on wide screens; a top bar with a navigation drawer on narrow ones. Around an
 * organization's pages it shows that organization's navigation; around the account pages (`/me`), the
 * account's.
 */
export function Shell({
  scope,
  children,
  tools,
}: {
  scope: ShellScope;
  children: ReactNode;
  /** The top bar's tools (global search, notifications): above the page on wide screens, in the bar on narrow. */
  tools?: ReactNode;
}) {
  const wide = useMediaQuery(WIDE_LAYOUT);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const pathname = useLocation({ select: (location) => location.pathname });
  const tenant = scope.kind === "tenant" ? scope.slug : undefined;
  const label = scope.kind === "tenant" ? scope.name : "Your account";

  // Close the drawer once a link in it has navigated, or when the screen becomes wide.
  // biome-ignore lint/correctness/useExhaustiveDependencies: pathname is the trigger, not an input.
  useEffect(() => {
    setDrawerOpen(false);
  }, [pathname, wide]);

  return (
    <div className={wide ? "shell shell-wide" : "shell shell-narrow"}>
      <SkipLink />
      {wide ? (
        <aside className="sidebar" aria-label="Sidebar">
          <div className="sidebar-brand">
            <Brand tenant={tenant} />
          </div>
          <NavigationPanel
            scope={scope}
            footer={
              <>
                <UserMenu />
                <ThemeToggle />
              </>
            }
          />
        </aside>
      ) : (
        <header className="topbar">
          <Dialog.Root open={drawerOpen} onOpenChange={setDrawerOpen}>
            <Dialog.Trigger className="icon-button" aria-label="Open navigation">
              <Menu size={18} aria-hidden="true" />
            </Dialog.Trigger>
            <Dialog.Portal>
              <Dialog.Overlay className="drawer-overlay" />
              <Dialog.Content className="drawer" aria-describedby={undefined}>
                <div className="drawer-header">
                  <Dialog.Title className="drawer-title">
                    <Logo size={22} />
                    <span className="brand-name">Nexus</span>
                  </Dialog.Title>
                  <Dialog.Close className="icon-button" aria-label="Close navigation">
                    <X size={18} aria-hidden="true" />
                  </Dialog.Close>
                </div>
                <NavigationPanel scope={scope} footer={<ThemeToggle />} />
              </Dialog.Content>
            </Dialog.Portal>
          </Dialog.Root>
          <Brand tenant={tenant} />
          <span className="topbar-tenant" title={label}>
            {label}
          </span>
          {tools ? <div className="topbar-tools">{tools}</div> : null}
          <UserMenu compact />
        </header>
      )}
      <main id="main" className="main" tabIndex={-1}>
        {wide && tools ? <div className="workbar">{tools}</div> : null}
        <div className="content">{children}</div>
      </main>
    </div>
  );
}
