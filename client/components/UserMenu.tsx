import { useSuspenseQuery } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { LogOut } from "lucide-react";
import { DropdownMenu } from "radix-ui";
import { initials } from "../lib/format";
import { queryClient } from "../lib/query-client";
import { signOut } from "../lib/session";
import { sessionTrpc } from "../lib/trpc";
import { accountPages } from "./AccountNav";

/** The signed-in user: their account pages, and signing out. */
export function UserMenu({ compact = false }: { compact?: boolean }) {
  const { data: me } = useSuspenseQuery(sessionTrpc.system.me.queryOptions());
  const navigate = useNavigate();

  const onSignOut = async () => {
    try {
      await signOut();
    } finally {
      // Leave the signed-in pages first, so nothing observing the cache refetches once it is cleared.
      await navigate({ to: "/sign-in" });
      queryClient.clear();
    }
  };

  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger className={compact ? "icon-button user-trigger-compact" : "user-trigger"}>
        <span className="avatar" aria-hidden="true">
          {initials(me.user.name)}
        </span>
        {/* Named by text, not aria-label: the initials shown are not words the name could contain. */}
        {compact ? (
          <span className="visually-hidden">Account: {me.user.name}</span>
        ) : (
          <span className="user-trigger-text">
            <span className="user-trigger-name">{me.user.name}</span>
            <span className="user-trigger-email">{me.user.email}</span>
          </span>
        )}
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          className="menu"
          align={compact ? "end" : "start"}
          side={compact ? "bottom" : "top"}
          sideOffset={6}
        >
          <DropdownMenu.Label className="menu-label menu-label-user">
            <span className="menu-user-name">{me.user.name}</span>
            <span className="menu-item-hint">{me.user.email}</span>
          </DropdownMenu.Label>
          <DropdownMenu.Separator className="menu-separator" />
          {accountPages.map(({ to, label, icon: Icon }) => (
            <DropdownMenu.Item key={to} className="menu-item" asChild>
              <Link to={to}>
                <Icon size={14} aria-hidden="true" />
                {label}
              </Link>
            </DropdownMenu.Item>
          ))}
          <DropdownMenu.Separator className="menu-separator" />
          <DropdownMenu.Item className="menu-item" onSelect={() => void onSignOut()}>
            <LogOut size={14} aria-hidden="true" />
            Sign out
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
