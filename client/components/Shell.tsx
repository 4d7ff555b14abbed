import { Link, useLocation } from "@tanstack/react-router";
import { Menu, X } from "lucide-react";
import { Dialog } from "radix-ui";
import { type ReactNode, useEffect, useState } from "react";
import { useMediaQuery, WIDE_LAYOUT } from "../lib/hooks";
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

function Brand({ tenant }: { tenant: string }) {
  return (
    <Link to="/$tenant" params={{ tenant }} className="brand" aria-label="Nexus home">
      <Logo size={22} />
      <span className="brand-name">Nexus</span>
    </Link>
  );
}

/** What the sidebar and the drawer both hold. */
function NavigationPanel({ tenant, footer }: { tenant: string; footer: ReactNode }) {
  return (
    <>
      <div className="panel-top">
        <TenantSwitcher tenant={tenant} />
      </div>
      <div className="panel-scroll">
        <Nav tenant={tenant} />
      </div>
      <div className="panel-footer">{footer}</div>
    </>
  );
}

/** The application shell: sidebar on wide screens; a top bar with a navigation drawer on narrow ones. */
export function Shell({
  tenant,
  tenantName,
  children,
}: {
  tenant: string;
  tenantName: string;
  children: ReactNode;
}) {
  const wide = useMediaQuery(WIDE_LAYOUT);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const pathname = useLocation({ select: (location) => location.pathname });

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
            tenant={tenant}
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
                <NavigationPanel tenant={tenant} footer={<ThemeToggle />} />
              </Dialog.Content>
            </Dialog.Portal>
          </Dialog.Root>
          <Brand tenant={tenant} />
          <span className="topbar-tenant" title={tenantName}>
            {tenantName}
          </span>
          <UserMenu compact />
        </header>
      )}
      <main id="main" className="main" tabIndex={-1}>
        <div className="content">{children}</div>
      </main>
    </div>
  );
}
