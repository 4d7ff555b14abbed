import { useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute } from "@tanstack/react-router";
import { CircleCheck, CircleX, Database, RefreshCw } from "lucide-react";
import { Badge, PageHeader } from "../../../../components/ui";
import { capitalize, formatLatency, formatTime } from "../../../../lib/format";
import { useDocumentTitle } from "../../../../lib/hooks";
import { sessionTrpc } from "../../../../lib/trpc";

/** Asked again whenever the page opens (an answer about health goes stale fast), but not twice in a row. */
const statusOptions = () => ({ ...sessionTrpc.system.health.status.queryOptions(), staleTime: 5_000 });

export const Route = createFileRoute("/_app/$tenant/system/status")({
  loader: ({ context }) => context.queryClient.fetchQuery(statusOptions()),
  component: StatusPage,
});

interface DatabaseRow {
  key: string;
  name: string;
  detail: string;
  ok: boolean;
  reachable: boolean;
  pendingMigrations: number | null;
  latencyMs: number;
  error?: string | undefined;
}

function StatusPage() {
  const { data, refetch, isFetching } = useSuspenseQuery(statusOptions());
  useDocumentTitle("System status");

  const rows: DatabaseRow[] = [
    {
      key: "control",
      name: "Control database",
      detail: "Accounts, sessions and organizations",
      ...data.control,
    },
    ...data.tenants.map((t) => ({
      key: t.id,
      name: t.name,
      detail: t.status === "ready" ? t.slug : `${t.slug} · ${capitalize(t.status)}`,
      ok: t.ok,
      reachable: t.reachable,
      pendingMigrations: t.pendingMigrations,
      latencyMs: t.latencyMs,
      error: t.error,
    })),
  ];
  const failing = rows.filter((r) => !r.ok).length;

  return (
    <section className="page" data-testid="status-page" aria-labelledby="status-title">
      <PageHeader
        id="status-title"
        title="System status"
        description="Readiness of the control database and of your organizations' databases."
        actions={
          <button type="button" className="button" onClick={() => void refetch()} disabled={isFetching}>
            <RefreshCw size={14} aria-hidden="true" className={isFetching ? "spin" : undefined} />
            {isFetching ? "Checking…" : "Refresh"}
          </button>
        }
      />

      <div className={data.ready ? "banner banner-success" : "banner banner-danger"} role="status">
        {data.ready ? <CircleCheck size={18} aria-hidden="true" /> : <CircleX size={18} aria-hidden="true" />}
        <div>
          <p className="banner-title">
            {data.ready
              ? "All systems ready"
              : `Not ready: ${failing} ${failing === 1 ? "database needs" : "databases need"} attention`}
          </p>
          <p className="banner-text">
            Checked at <time dateTime={data.checkedAt}>{formatTime(data.checkedAt)}</time>
          </p>
        </div>
      </div>

      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">Databases</caption>
          <thead>
            <tr>
              <th scope="col">Database</th>
              <th scope="col">Status</th>
              <th scope="col">Reachable</th>
              <th scope="col" className="numeric">
                Pending migrations
              </th>
              <th scope="col" className="numeric">
                Latency
              </th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key} data-ready={row.ok}>
                <th scope="row" className="row-header">
                  <span className="db-name">
                    <Database size={14} aria-hidden="true" className="muted" />
                    <span>
                      <span className="strong">{row.name}</span>
                      <span className="cell-detail">{row.detail}</span>
                    </span>
                  </span>
                </th>
                <td>
                  <Badge tone={row.ok ? "success" : "danger"}>{row.ok ? "Ready" : "Not ready"}</Badge>
                </td>
                <td>{row.reachable ? "Yes" : <span className="text-danger">No</span>}</td>
                <td className="numeric">
                  {row.pendingMigrations === null ? (
                    "—"
                  ) : row.pendingMigrations > 0 ? (
                    <span className="text-warning">{row.pendingMigrations}</span>
                  ) : (
                    "0"
                  )}
                </td>
                <td className="numeric nowrap">{formatLatency(row.latencyMs)}</td>
                <td className={row.error ? "cell-error" : "muted"}>{row.error ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
