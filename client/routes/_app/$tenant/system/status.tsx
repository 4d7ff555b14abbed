import { useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute } from "@tanstack/react-router";
import { CircleCheck, CircleX, Database, RefreshCw } from "lucide-react";
import type { ReactNode } from "react";
import { roleAllows } from "../../../../../shared/permissions";
import { Badge, PageHeader } from "../../../../components/ui";
import { capitalize, formatLatency, formatNumber, formatTime } from "../../../../lib/format";
import { useDocumentTitle } from "../../../../lib/hooks";
import { type NexusOptions, sessionTrpc } from "../../../../lib/trpc";

/** Asked again whenever the page opens (an answer about health goes stale fast), but not twice in a row. */
const summaryOptions = () => ({ ...sessionTrpc.system.health.status.queryOptions(), staleTime: 5_000 });
const detailOptions = (trpc: NexusOptions) => ({
  ...trpc.system.health.detail.queryOptions(),
  staleTime: 5_000,
});

/**
 * Operators — administrators of the Global organization, acting in it — see every database by organization;
 * everyone else sees what `/readyz` says: ready or not, and counts.
 */
function isOperator(membership: {
  tenant: { kind: string };
  role: Parameters<typeof roleAllows>[0];
  viaRoot: boolean;
}) {
  return (
    membership.tenant.kind === "root" && !membership.viaRoot && roleAllows(membership.role, "system.admin")
  );
}

export const Route = createFileRoute("/_app/$tenant/system/status")({
  loader: ({ context }) =>
    isOperator(context.membership)
      ? context.queryClient.fetchQuery(detailOptions(context.api.trpc))
      : context.queryClient.fetchQuery(summaryOptions()),
  component: StatusPage,
});

function StatusPage() {
  const { membership } = Route.useRouteContext();
  useDocumentTitle("System status");
  return isOperator(membership) ? <DetailStatus /> : <SummaryStatus />;
}

function StatusFrame(props: {
  description: string;
  ready: boolean;
  checkedAt: string;
  failing: number;
  refetch: () => void;
  isFetching: boolean;
  children: ReactNode;
}) {
  const { ready, failing, isFetching } = props;
  return (
    <section className="page" data-testid="status-page" aria-labelledby="status-title">
      <PageHeader
        id="status-title"
        title="System status"
        description={props.description}
        actions={
          <button type="button" className="button" onClick={props.refetch} disabled={isFetching}>
            <RefreshCw size={14} aria-hidden="true" className={isFetching ? "spin" : undefined} />
            {isFetching ? "Checking…" : "Refresh"}
          </button>
        }
      />

      <div className={ready ? "banner banner-success" : "banner banner-danger"} role="status">
        {ready ? <CircleCheck size={18} aria-hidden="true" /> : <CircleX size={18} aria-hidden="true" />}
        <div>
          <p className="banner-title">
            {ready
              ? "All systems ready"
              : failing > 0
                ? `Not ready: ${failing} ${failing === 1 ? "database needs" : "databases need"} attention`
                : "Not ready"}
          </p>
          <p className="banner-text">
            Checked at <time dateTime={props.checkedAt}>{formatTime(props.checkedAt)}</time>
          </p>
        </div>
      </div>

      {props.children}
    </section>
  );
}

/** What anyone signed in may see: the control database and how many organizations' databases are ready. */
function SummaryStatus() {
  const { data, refetch, isFetching } = useSuspenseQuery(summaryOptions());
  const { control, tenants } = data;
  return (
    <StatusFrame
      description="Readiness of the control database and of the organizations' databases."
      ready={data.ready}
      checkedAt={data.checkedAt}
      failing={(control.ok ? 0 : 1) + tenants.failing}
      refetch={() => void refetch()}
      isFetching={isFetching}
    >
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">Databases</caption>
          <thead>
            <tr>
              <th scope="col">Databases</th>
              <th scope="col">Status</th>
              <th scope="col" className="numeric">
                Ready
              </th>
              <th scope="col" className="numeric">
                Need attention
              </th>
            </tr>
          </thead>
          <tbody>
            <tr data-ready={control.ok}>
              <th scope="row" className="row-header">
                <span className="db-name">
                  <Database size={14} aria-hidden="true" className="muted" />
                  <span>
                    <span className="strong">Control database</span>
                    <span className="cell-detail">Accounts, sessions and organizations</span>
                  </span>
                </span>
              </th>
              <td>
                <Badge tone={control.ok ? "success" : "danger"}>{control.ok ? "Ready" : "Not ready"}</Badge>
              </td>
              <td className="numeric">{control.ok ? "1" : "0"}</td>
              <td className="numeric">{control.ok ? "0" : <span className="text-danger">1</span>}</td>
            </tr>
            <tr data-ready={tenants.failing === 0}>
              <th scope="row" className="row-header">
                <span className="db-name">
                  <Database size={14} aria-hidden="true" className="muted" />
                  <span>
                    <span className="strong">Organizations' databases</span>
                    <span className="cell-detail">One for each organization</span>
                  </span>
                </span>
              </th>
              <td>
                <Badge tone={tenants.failing === 0 ? "success" : "danger"}>
                  {tenants.failing === 0 ? "Ready" : "Not ready"}
                </Badge>
              </td>
              <td className="numeric">
                {formatNumber(tenants.ready)} of {formatNumber(tenants.total)}
              </td>
              <td className="numeric">
                {tenants.failing > 0 ? (
                  <span className="text-danger">{formatNumber(tenants.failing)}</span>
                ) : (
                  "0"
                )}
              </td>
            </tr>
          </tbody>
        </table>
      </div>
      <p className="muted small">
        Which database needs attention, its pending migrations and latency are shown to administrators of the
        Global organization.
      </p>
    </StatusFrame>
  );
}

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

/** Operators: every database, by organization, with pending migrations, latency and the error. */
function DetailStatus() {
  const { api } = Route.useRouteContext();
  const { data, refetch, isFetching } = useSuspenseQuery(detailOptions(api.trpc));

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
    <StatusFrame
      description="Readiness of the control database and of every organization's database."
      ready={data.ready}
      checkedAt={data.checkedAt}
      failing={failing}
      refetch={() => void refetch()}
      isFetching={isFetching}
    >
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
    </StatusFrame>
  );
}
