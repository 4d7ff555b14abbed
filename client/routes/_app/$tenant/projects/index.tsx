import { useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link } from "@tanstack/react-router";
import { ChevronRight, FolderKanban, Plus } from "lucide-react";
import { Suspense, useState } from "react";
import { type IssueType, issueTypes, priorities } from "../../../../../shared/schemas/issue-model";
import { CreateIssueDialog } from "../../../../components/projects/CreateIssueDialog";
import { Badge, EmptyState, PageHeader } from "../../../../components/ui";
import { formatDateTime, formatNumber } from "../../../../lib/format";
import { useDocumentTitle } from "../../../../lib/hooks";
import {
  issueTypeLabels,
  priorityLabels,
  priorityTones,
  statusLabel,
  statusTone,
} from "../../../../lib/issues";
import { useTenantAccess } from "../../../../lib/permissions";
import { canSee, findPackage } from "../../../../lib/registry";
import { useTRPC } from "../../../../lib/trpc";

export const Route = createFileRoute("/_app/$tenant/projects/")({
  loader: ({ context }) => {
    // Not awaited: the page shows its skeletons while the counts arrive.
    void context.queryClient.prefetchQuery(context.api.trpc.projects.issues.counts.queryOptions({}));
    void context.queryClient.prefetchQuery(context.api.trpc.projects.issues.list.queryOptions({ limit: 8 }));
  },
  component: ProjectsLanding,
});

const creatable: readonly IssueType[] = ["incident", "service_request", "change", "repair", "known_problem"];

function ProjectsLanding() {
  const { tenant } = Route.useParams();
  const pkg = findPackage("projects");
  const access = useTenantAccess();
  const { permissions } = access;
  const canWrite = permissions.has("projects.write");
  const [creating, setCreating] = useState<IssueType | null>(null);
  useDocumentTitle("Projects");

  return (
    <div className="page">
      <PageHeader
        title="Projects"
        icon={<FolderKanban size={20} aria-hidden="true" />}
        description="The service desk: what is open, what is urgent, and what changed lately."
      />
      {canWrite ? (
        <section className="section" aria-labelledby="create-heading">
          <h2 id="create-heading" className="section-title">
            File something new
          </h2>
          <div className="create-actions">
            {creatable.map((type) => (
              <button key={type} type="button" className="button" onClick={() => setCreating(type)}>
                <Plus size={14} aria-hidden="true" />
                New {issueTypeLabels[type].toLowerCase()}
              </button>
            ))}
          </div>
        </section>
      ) : null}
      <Suspense fallback={<CountsSkeleton />}>
        <Counts />
      </Suspense>
      <section className="section" aria-labelledby="recent-heading">
        <h2 id="recent-heading" className="section-title">
          Recently changed
        </h2>
        <Suspense fallback={<ListSkeleton />}>
          <Recent onCreate={canWrite ? () => setCreating("incident") : undefined} />
        </Suspense>
      </section>
      <section className="section" aria-labelledby="objects-heading">
        <h2 id="objects-heading" className="section-title">
          In Projects
        </h2>
        <ul className="object-list">
          {(pkg?.objects ?? [])
            .filter((object) => canSee(object, access) && object.availability === "available")
            .map((object) => (
              <li key={object.key}>
                <Link
                  to="/$tenant/$package/$object"
                  params={{ tenant, package: "projects", object: object.segment }}
                  className="object-row"
                >
                  <span className="object-row-text">
                    <span className="strong">{object.pluralLabel}</span>
                    <span className="muted small">
                      {object.summary ?? `Open the ${object.pluralLabel.toLowerCase()} of this organization`}
                    </span>
                  </span>
                  <ChevronRight size={16} aria-hidden="true" className="muted" />
                </Link>
              </li>
            ))}
        </ul>
      </section>
      {canWrite ? (
        <CreateIssueDialog
          open={creating !== null}
          onOpenChange={(open) => {
            if (!open) setCreating(null);
          }}
          initialType={creating ?? "incident"}
        />
      ) : null}
    </div>
  );
}

const statusCategories = [
  { key: "open", label: "Open", tone: "accent" },
  { key: "resolved", label: "Resolved", tone: "success" },
  { key: "closed", label: "Closed", tone: "neutral" },
] as const;

/** Live issues by status category, and the open ones by priority and type (one counting query). */
function Counts() {
  const { tenant } = Route.useParams();
  const trpc = useTRPC();
  const { data } = useSuspenseQuery(trpc.projects.issues.counts.queryOptions({}));
  return (
    <section className="section" aria-labelledby="counts-heading">
      <h2 id="counts-heading" className="section-title">
        Open issues: {formatNumber(data.byStatusCategory.open)}
      </h2>
      <div className="stat-groups">
        <div className="stat-group">
          <h3 className="stat-group-title">By status</h3>
          <ul className="stat-list">
            {statusCategories.map(({ key, label, tone }) => (
              <li key={key}>
                <span className="stat" data-tone={tone}>
                  <span className="stat-value">{formatNumber(data.byStatusCategory[key])}</span>
                  <span className="stat-label">{label}</span>
                </span>
              </li>
            ))}
          </ul>
        </div>
        <div className="stat-group">
          <h3 className="stat-group-title">By priority</h3>
          <ul className="stat-list">
            {priorities.map((p) => (
              <li key={p}>
                <Link
                  to="/$tenant/projects/issues"
                  params={{ tenant }}
                  search={{ priority: p }}
                  className="stat"
                  data-tone={priorityTones[p]}
                >
                  <span className="stat-value">{formatNumber(data.byPriority[p])}</span>
                  <span className="stat-label">{priorityLabels[p]}</span>
                </Link>
              </li>
            ))}
          </ul>
        </div>
        <div className="stat-group">
          <h3 className="stat-group-title">By type</h3>
          <ul className="stat-list">
            {issueTypes.map((t) => (
              <li key={t}>
                <Link to="/$tenant/projects/issues" params={{ tenant }} search={{ type: t }} className="stat">
                  <span className="stat-value">{formatNumber(data.byType[t])}</span>
                  <span className="stat-label">{issueTypeLabels[t]}</span>
                </Link>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
}

function Recent({ onCreate }: { onCreate: (() => void) | undefined }) {
  const { tenant } = Route.useParams();
  const trpc = useTRPC();
  const { data } = useSuspenseQuery(trpc.projects.issues.list.queryOptions({ limit: 8 }));
  if (data.items.length === 0) {
    return (
      <EmptyState
        icon={<FolderKanban size={24} aria-hidden="true" />}
        title="No issues yet"
        action={
          onCreate ? (
            <button type="button" className="button button-primary" onClick={onCreate}>
              <Plus size={14} aria-hidden="true" />
              File the first incident
            </button>
          ) : undefined
        }
      >
        <p>Incidents, requests and changes filed here will show up with their latest activity.</p>
      </EmptyState>
    );
  }
  return (
    <>
      <ul className="recent-list">
        {data.items.map((issue) => (
          <li key={issue.id} className="recent">
            <Link
              to="/$tenant/projects/issues/$issueId"
              params={{ tenant, issueId: issue.id }}
              className="text-link strong"
            >
              <span className="mono muted">{issue.key}</span> {issue.title}
            </Link>
            <span className="recent-meta">
              <Badge tone={statusTone(issue.type, issue.status)}>
                {statusLabel(issue.type, issue.status)}
              </Badge>
              <span className="muted small">
                {issueTypeLabels[issue.type]} · updated{" "}
                <time dateTime={issue.updatedAt}>{formatDateTime(issue.updatedAt)}</time>
              </span>
            </span>
          </li>
        ))}
      </ul>
      <p>
        <Link to="/$tenant/projects/issues" params={{ tenant }} className="button">
          All issues
          <ChevronRight size={14} aria-hidden="true" />
        </Link>
      </p>
    </>
  );
}

function CountsSkeleton() {
  return (
    <div className="section" role="status" aria-label="Counting open issues">
      <div className="skeleton skeleton-title" />
      <div className="stat-list">
        {priorities.map((p) => (
          <div key={p} className="stat stat-skeleton">
            <span className="skeleton" />
          </div>
        ))}
      </div>
    </div>
  );
}

function ListSkeleton() {
  return (
    <div role="status" aria-label="Loading recent issues">
      {[0, 1, 2, 3].map((i) => (
        <div key={i} className="skeleton skeleton-line" />
      ))}
    </div>
  );
}
