import { useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link } from "@tanstack/react-router";
import { ArrowRight, ChevronRight, History } from "lucide-react";
import { RegistryIcon } from "../../../components/icons";
import { Badge, EmptyState, PageHeader, type Tone } from "../../../components/ui";
import {
  capitalize,
  formatCounts,
  formatDateTime,
  formatDuration,
  formatNumber,
  humanize,
} from "../../../lib/format";
import { useDocumentTitle } from "../../../lib/hooks";
import { useTenantAccess } from "../../../lib/permissions";
import { canSee, navigation } from "../../../lib/registry";
import { useTRPC } from "../../../lib/trpc";

export const Route = createFileRoute("/_app/$tenant/")({
  loader: async ({ context }) => {
    const { trpc } = context.api;
    await Promise.all([
      context.queryClient.ensureQueryData(trpc.system.organization.current.queryOptions()),
      context.queryClient.ensureQueryData(trpc.system.organization.overview.queryOptions()),
    ]);
  },
  component: HomePage,
});

const runTone: Record<string, Tone> = { succeeded: "success", failed: "danger", running: "accent" };

function HomePage() {
  const { tenant } = Route.useParams();
  const trpc = useTRPC();
  const { data: current } = useSuspenseQuery(trpc.system.organization.current.queryOptions());
  const { data: overview } = useSuspenseQuery(trpc.system.organization.overview.queryOptions());
  const access = useTenantAccess();
  useDocumentTitle(current.tenant.name);
  const { open, closed } = overview.schools;

  return (
    <div className="page">
      <PageHeader
        title={current.tenant.name}
        description={
          <>
            Your role: <Badge tone="accent">{capitalize(current.role)}</Badge>
            <span className="muted">
              {" "}
              · {current.tenant.kind === "root" ? "Platform" : "School district"}
            </span>
          </>
        }
      />

      <section aria-labelledby="at-a-glance" className="section">
        <h2 id="at-a-glance" className="section-title">
          At a glance
        </h2>
        <div className="stats">
          <Link
            to="/$tenant/education/schools"
            params={{ tenant }}
            search={{ status: "open" }}
            className="stat"
          >
            <span className="stat-label">Open schools</span>
            <span className="stat-value">{formatNumber(open)}</span>
          </Link>
          <Link
            to="/$tenant/education/schools"
            params={{ tenant }}
            search={{ status: "closed" }}
            className="stat"
          >
            <span className="stat-label">Closed schools</span>
            <span className="stat-value">{formatNumber(closed)}</span>
          </Link>
          <Link to="/$tenant/education/schools" params={{ tenant }} className="stat">
            <span className="stat-label">All schools</span>
            <span className="stat-value">{formatNumber(open + closed)}</span>
          </Link>
        </div>
      </section>

      <section aria-labelledby="recent-runs" className="section">
        <h2 id="recent-runs" className="section-title">
          Recent job runs
        </h2>
        {overview.recentJobRuns.length === 0 ? (
          <EmptyState compact icon={<History size={18} aria-hidden="true" />} title="No job runs yet">
            <p>Scheduled and manual jobs for this organization will be listed here.</p>
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Job</th>
                  <th scope="col">Trigger</th>
                  <th scope="col">Status</th>
                  <th scope="col">Counts</th>
                  <th scope="col">Started</th>
                  <th scope="col" className="numeric">
                    Duration
                  </th>
                </tr>
              </thead>
              <tbody>
                {overview.recentJobRuns.map((run) => (
                  <tr key={run.id}>
                    <td>
                      <span className="strong">{humanize(run.kind)}</span>
                      {run.error ? <div className="cell-error">{run.error}</div> : null}
                    </td>
                    <td>{humanize(run.trigger)}</td>
                    <td>
                      <Badge tone={runTone[run.status] ?? "neutral"}>{capitalize(run.status)}</Badge>
                    </td>
                    <td className="muted">{formatCounts(run.counts)}</td>
                    <td className="nowrap">
                      <time dateTime={run.startedAt}>{formatDateTime(run.startedAt)}</time>
                    </td>
                    <td className="numeric nowrap">{formatDuration(run.startedAt, run.finishedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="packages" className="section">
        <h2 id="packages" className="section-title">
          Packages
        </h2>
        <ul className="cards">
          {navigation.map((pkg) => {
            const shown = pkg.objects.filter((o) => canSee(o, access));
            const available = shown.filter((o) => o.availability === "available").length;
            const planned = shown.length - available;
            return (
              <li key={pkg.key}>
                <Link to="/$tenant/$package" params={{ tenant, package: pkg.key }} className="card card-link">
                  <span className="card-icon">
                    <RegistryIcon name={pkg.icon} size={18} />
                  </span>
                  <span className="card-body">
                    <span className="card-title">
                      {pkg.label}
                      <ChevronRight size={14} aria-hidden="true" className="card-chevron" />
                    </span>
                    <span className="card-text">{pkg.description}</span>
                    <span className="card-meta">
                      {available > 0 ? `${available} available` : "Coming soon"}
                      {available > 0 && planned > 0 ? ` · ${planned} coming soon` : ""}
                    </span>
                  </span>
                </Link>
              </li>
            );
          })}
        </ul>
      </section>
      <p className="muted small page-footnote">
        <Link to="/$tenant/system/status" params={{ tenant }} className="text-link">
          System status <ArrowRight size={12} aria-hidden="true" />
        </Link>
      </p>
    </div>
  );
}
