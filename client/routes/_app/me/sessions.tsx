import { useMutation, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute } from "@tanstack/react-router";
import { AppWindow, LogOut, MonitorSmartphone } from "lucide-react";
import { useState } from "react";
import { type Column, DataTable } from "../../../components/collection/DataTable";
import { ConfirmDialog } from "../../../components/Dialogs";
import { notify } from "../../../components/Toast";
import { Badge, EmptyState, PageHeader } from "../../../components/ui";
import type { RouterOutputs } from "../../../lib/api-types";
import { formatDateTime } from "../../../lib/format";
import { useDocumentTitle } from "../../../lib/hooks";
import { queryClient } from "../../../lib/query-client";
import { sessionClient, sessionTrpc } from "../../../lib/trpc";

type SessionsList = RouterOutputs["system"]["profile"]["sessions"]["list"];

const listOptions = () => ({ ...sessionTrpc.system.profile.sessions.list.queryOptions(), staleTime: 5_000 });

export const Route = createFileRoute("/_app/me/sessions")({
  loader: ({ context }) => context.queryClient.ensureQueryData(listOptions()),
  component: SessionsPage,
});

type Session = SessionsList["sessions"][number];
type App = SessionsList["apps"][number];

function When({ iso }: { iso: string }) {
  return <time dateTime={iso}>{formatDateTime(iso)}</time>;
}

function SessionsPage() {
  const { data } = useSuspenseQuery(listOptions());
  const [revoking, setRevoking] = useState<{ id: string; label: string } | null>(null);
  useDocumentTitle("Sessions & devices");

  const refresh = () => queryClient.invalidateQueries(sessionTrpc.system.profile.sessions.pathFilter());
  const revoke = useMutation({
    mutationFn: (id: string) => sessionClient.system.profile.sessions.revoke.mutate({ id }),
    onSuccess: () => void refresh(),
  });
  const revokeOthers = useMutation({
    mutationFn: () => sessionClient.system.profile.sessions.revokeOthers.mutate(),
    onSuccess: (result) => {
      void refresh();
      const total = result.sessions + result.apps;
      notify(total === 0 ? "No other sessions were signed in" : "Signed out everywhere else", {
        description:
          total === 0
            ? undefined
            : `${result.sessions} ${result.sessions === 1 ? "session" : "sessions"} and ${result.apps} ${result.apps === 1 ? "app" : "apps"} signed out.`,
      });
    },
  });

  const others = data.sessions.filter((s) => !s.current).length + data.apps.filter((a) => !a.current).length;

  const sessionColumns: Column<Session>[] = [
    {
      id: "device",
      header: "Device",
      rowHeader: true,
      cell: (s) => (
        <span className="cell-with-badge">
          <span className="strong">{s.device}</span>
          {s.current ? <Badge tone="accent">This device</Badge> : null}
        </span>
      ),
    },
    { id: "ip", header: "IP address", cell: (s) => <span className="mono">{s.ip ?? "—"}</span> },
    { id: "created", header: "Signed in", cell: (s) => <When iso={s.createdAt} />, className: "nowrap" },
    { id: "lastUsed", header: "Last used", cell: (s) => <When iso={s.lastUsedAt} />, className: "nowrap" },
  ];
  const appColumns: Column<App>[] = [
    { id: "name", header: "App", rowHeader: true, cell: (a) => <span className="strong">{a.name}</span> },
    { id: "ip", header: "IP address", cell: (a) => <span className="mono">{a.ip ?? "—"}</span> },
    { id: "created", header: "Signed in", cell: (a) => <When iso={a.createdAt} />, className: "nowrap" },
    { id: "lastUsed", header: "Last used", cell: (a) => <When iso={a.lastUsedAt} />, className: "nowrap" },
  ];

  return (
    <div className="page">
      <PageHeader
        title="Sessions & devices"
        icon={<MonitorSmartphone size={20} aria-hidden="true" />}
        description="Where your account is signed in. Sign out anything you do not recognise."
        actions={
          <ConfirmDialog
            trigger={
              <button type="button" className="button" disabled={others === 0}>
                <LogOut size={14} aria-hidden="true" />
                Sign out all other sessions
              </button>
            }
            title="Sign out all other sessions?"
            confirmLabel="Sign out others"
            tone="danger"
            onConfirm={() => revokeOthers.mutateAsync()}
          >
            <p>
              Every other browser and app signed in to your account is signed out at once. This one stays.
            </p>
          </ConfirmDialog>
        }
      />

      <section className="section" aria-labelledby="browsers-title">
        <h2 id="browsers-title" className="section-title">
          Browsers
        </h2>
        <DataTable
          caption="Browser sessions"
          columns={sessionColumns}
          rows={data.sessions}
          rowKey={(s) => s.id}
          rowLabel={(s) => s.device}
          noun={{ one: "session", other: "sessions" }}
          rowAttributes={(s) => ({ "data-current": s.current ? "true" : undefined })}
          rowActions={(s) =>
            s.current ? null : (
              <button
                type="button"
                className="button button-small"
                aria-label={`Sign out ${s.device}, last used ${formatDateTime(s.lastUsedAt)}`}
                onClick={() => setRevoking({ id: s.id, label: s.device })}
              >
                Sign out
              </button>
            )
          }
          empty={<EmptyState compact title="No browser sessions" />}
        />
      </section>

      <section className="section" aria-labelledby="apps-title">
        <h2 id="apps-title" className="section-title">
          Apps
        </h2>
        <DataTable
          caption="Signed-in apps"
          columns={appColumns}
          rows={data.apps}
          rowKey={(a) => a.id}
          rowLabel={(a) => a.name}
          noun={{ one: "app", other: "apps" }}
          rowActions={(a) =>
            a.current ? null : (
              <button
                type="button"
                className="button button-small"
                aria-label={`Sign out ${a.name}`}
                onClick={() => setRevoking({ id: a.id, label: a.name })}
              >
                Sign out
              </button>
            )
          }
          empty={
            <EmptyState compact icon={<AppWindow size={18} aria-hidden="true" />} title="No apps signed in">
              <p>Apps that sign in with your password through the Nexus API appear here.</p>
            </EmptyState>
          }
        />
      </section>

      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => {
          if (!open) setRevoking(null);
        }}
        title={`Sign out ${revoking?.label ?? ""}?`}
        confirmLabel="Sign out"
        tone="danger"
        onConfirm={async () => {
          if (!revoking) return;
          await revoke.mutateAsync(revoking.id);
          notify("Signed out", { description: `${revoking.label} is no longer signed in.` });
        }}
      >
        <p>It is signed out at once; its next request is refused.</p>
      </ConfirmDialog>
    </div>
  );
}
