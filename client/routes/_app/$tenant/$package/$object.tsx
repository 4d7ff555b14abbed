import { createFileRoute, Link, notFound } from "@tanstack/react-router";
import { ArrowLeft, Hammer } from "lucide-react";
import { EmptyState, NotFoundInShell } from "../../../../components/ui";
import { useDocumentTitle } from "../../../../lib/hooks";
import { findObject, findPackage } from "../../../../lib/registry";

/**
 * An object without its own page yet (the registry marks it planned): says it is coming. Objects with a view
 * have a route of their own (e.g. education/schools), which the router prefers over this one.
 */
export const Route = createFileRoute("/_app/$tenant/$package/$object")({
  beforeLoad: ({ params }) => {
    const pkg = findPackage(params.package);
    const object = pkg ? findObject(pkg.key, params.object) : undefined;
    if (!pkg || !object) throw notFound();
    return { pkg, object };
  },
  component: PlannedObjectPage,
  notFoundComponent: ObjectNotFound,
});

function ObjectNotFound() {
  const { tenant } = Route.useParams();
  return <NotFoundInShell tenant={tenant} />;
}

function PlannedObjectPage() {
  const { tenant } = Route.useParams();
  const { pkg, object } = Route.useRouteContext();
  useDocumentTitle(object.pluralLabel);

  return (
    <div className="page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/$tenant/$package" params={{ tenant, package: pkg.key }}>
          {pkg.label}
        </Link>
        <span aria-hidden="true">/</span>
        <span aria-current="page">{object.pluralLabel}</span>
      </nav>
      <EmptyState
        icon={<Hammer size={28} aria-hidden="true" />}
        title={`${object.pluralLabel}: coming soon`}
        action={
          <Link to="/$tenant/$package" params={{ tenant, package: pkg.key }} className="button">
            <ArrowLeft size={14} aria-hidden="true" />
            Back to {pkg.label}
          </Link>
        }
      >
        <p>
          {object.pluralLabel} will live here, in {pkg.label}. This part of Nexus is planned but not available
          yet.
        </p>
      </EmptyState>
    </div>
  );
}
