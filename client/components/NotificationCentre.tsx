import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { Bell, CheckCheck } from "lucide-react";
import { Popover } from "radix-ui";
import { useState } from "react";
import { formatDateTime } from "../lib/format";
import { useTenantPermissions } from "../lib/permissions";
import { useTRPC } from "../lib/trpc";
import { EmptyState, Spinner } from "./ui";

const POLL_MS = 60_000;

/** The bell in the top bar: unread count, the latest notifications, mark read. */
export function NotificationCentre({ tenant }: { tenant: string }) {
  const canRead = useTenantPermissions().has("projects.read");
  if (!canRead) return null;
  return <Centre tenant={tenant} />;
}

function Centre({ tenant }: { tenant: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const unread = useQuery({
    ...trpc.projects.notifications.unreadCount.queryOptions(),
    refetchInterval: POLL_MS,
  });
  const list = useQuery({ ...trpc.projects.notifications.list.queryOptions({ limit: 20 }), enabled: open });
  const settle = {
    onSettled: () => void queryClient.invalidateQueries(trpc.projects.notifications.pathFilter()),
  };
  const markRead = useMutation({ ...trpc.projects.notifications.markRead.mutationOptions(), ...settle });
  const markAll = useMutation({ ...trpc.projects.notifications.markAllRead.mutationOptions(), ...settle });
  const count = unread.data?.count ?? 0;
  const items = list.data?.items ?? [];

  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger
        className="icon-button bell"
        aria-label={count > 0 ? `Notifications, ${count} unread` : "Notifications"}
      >
        <Bell size={18} aria-hidden="true" />
        {count > 0 ? (
          <span className="bell-count" aria-hidden="true">
            {count > 99 ? "99+" : count}
          </span>
        ) : null}
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          className="popover notifications"
          align="end"
          sideOffset={6}
          aria-label="Notifications"
        >
          <div className="notifications-header">
            <h2 className="notifications-title">Notifications</h2>
            <button
              type="button"
              className="button button-ghost"
              disabled={count === 0 || markAll.isPending}
              onClick={() => markAll.mutate({})}
            >
              <CheckCheck size={14} aria-hidden="true" />
              Mark all read
            </button>
          </div>
          {list.isPending ? (
            <div className="pending" role="status">
              <Spinner />
              <span>Loading…</span>
            </div>
          ) : items.length === 0 ? (
            <EmptyState compact title="You are all caught up">
              <p>Assignments, mentions and changes to issues you watch appear here.</p>
            </EmptyState>
          ) : (
            <ul className="notification-list">
              {items.map((n) => (
                <li key={n.id} className="notification" data-unread={n.readAt ? undefined : "true"}>
                  {n.issue ? (
                    <Link
                      to="/$tenant/projects/issues/$issueId"
                      params={{ tenant, issueId: n.issue.id }}
                      className="notification-link"
                      onClick={() => {
                        if (!n.readAt) markRead.mutate({ ids: [n.id] });
                        setOpen(false);
                      }}
                    >
                      <span>{n.summary}</span>
                      <span className="muted small">
                        {n.issue.key} · <time dateTime={n.createdAt}>{formatDateTime(n.createdAt)}</time>
                      </span>
                    </Link>
                  ) : (
                    <span className="notification-link">
                      <span>{n.summary}</span>
                      <span className="muted small">
                        <time dateTime={n.createdAt}>{formatDateTime(n.createdAt)}</time>
                      </span>
                    </span>
                  )}
                  {n.readAt ? null : (
                    <button
                      type="button"
                      className="button button-ghost button-small"
                      onClick={() => markRead.mutate({ ids: [n.id] })}
                    >
                      Mark read
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
