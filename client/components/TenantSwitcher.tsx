import { useSuspenseQuery } from "@tanstack/react-query";
import { useLocation, useNavigate } from "@tanstack/react-router";
import { Check, ChevronsUpDown } from "lucide-react";
import { DropdownMenu } from "radix-ui";
import { capitalize, initials } from "../lib/format";
import { sessionTrpc } from "../lib/trpc";

/** The same page in another organization: `/riverton/education/schools` → `/cedar-valley/education/schools`. */
export function pathInTenant(pathname: string, from: string, to: string): string {
  const prefix = `/${from}`;
  const rest = pathname === prefix || pathname.startsWith(`${prefix}/`) ? pathname.slice(prefix.length) : "";
  return `/${to}${rest}`;
}

/** Lists the user's organizations; choosing one opens the same page there. */
export function TenantSwitcher({ tenant }: { tenant: string }) {
  const { data: me } = useSuspenseQuery(sessionTrpc.system.me.queryOptions());
  const navigate = useNavigate();
  const pathname = useLocation({ select: (location) => location.pathname });
  const current = me.memberships.find((m) => m.tenant.slug === tenant);
  const others = me.memberships.filter((m) => m.tenant.status !== "deleted");

  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger className="tenant-switcher" data-testid="tenant-switcher">
        <span className="tenant-mark" aria-hidden="true">
          {initials(current?.tenant.name ?? tenant)}
        </span>
        <span className="tenant-switcher-text">
          <span className="tenant-switcher-name">{current?.tenant.name ?? tenant}</span>
          <span className="tenant-switcher-role">{current ? capitalize(current.role) : ""}</span>
        </span>
        <ChevronsUpDown size={14} aria-hidden="true" className="tenant-switcher-chevron" />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu tenant-menu" align="start" sideOffset={4}>
          <DropdownMenu.Label className="menu-label">Organizations</DropdownMenu.Label>
          {others.map(({ tenant: org, role }) => {
            const selected = org.slug === tenant;
            const roleId = `tenant-role-${org.slug}`;
            return (
              <DropdownMenu.Item
                key={org.id}
                className="menu-item"
                aria-current={selected ? "true" : undefined}
                aria-describedby={roleId}
                onSelect={() => {
                  if (!selected) void navigate({ href: pathInTenant(pathname, tenant, org.slug) });
                }}
              >
                <span className="tenant-mark tenant-mark-small" aria-hidden="true">
                  {initials(org.name)}
                </span>
                <span className="menu-item-text">
                  <span>{org.name}</span>
                  <span id={roleId} className="menu-item-hint">
                    {capitalize(role)}
                  </span>
                </span>
                {selected ? <Check size={14} aria-hidden="true" className="menu-item-check" /> : null}
              </DropdownMenu.Item>
            );
          })}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
