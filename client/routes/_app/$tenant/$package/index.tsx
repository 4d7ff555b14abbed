import { createFileRoute, Link, notFound } from "@tanstack/react-router";
import { ChevronRight } from "lucide-react";
import { RegistryIcon } from "../../../../components/icons";
import { Badge, NotFoundInShell, PageHeader } from "../../../../components/ui";
import { useDocumentTitle } from "../../../../lib/hooks";
import { useTenantAccess } from "../../../../lib/permissions";
import { canSee, findPackage } from "../../../../lib/registry";

/** A package's landing page: its objects, from the registry. */
export const Route = createFileRoute("/_app/$tenant/$package/")({
  beforeLoad: ({ params }) => {
    const pkg = findPackage(params.package);
    if (!pkg) throw notFound();
    return { pkg };
  },
  component: PackagePage,
  notFoundComponent: PackageNotFound,
});

function PackageNotFound() {
  const { tenant } = Route.useParams();
  return <NotFoundInShell tenant={tenant} />;
}

function PackagePage() {
  const { tenant } = Route.useParams();
  const { pkg } = Route.useRouteContext();
  const access = useTenantAccess();
  useDocumentTitle(pkg.label);

  return (
    <div className="page">
      <PageHeader
        title={pkg.label}
        icon={<RegistryIcon name={pkg.icon} size={20} />}
        description={pkg.description}
      />
      <ul className="object-list">
        {pkg.objects
          .filter((object) => canSee(object, access))
          .map((object) => (
            <li key={object.key}>
              <Link
                to="/$tenant/$package/$object"
                params={{ tenant, package: pkg.key, object: object.segment }}
                className="object-row"
              >
                <span className="object-row-text">
                  <span className="strong">{object.pluralLabel}</span>
                  <span className="muted small">
                    {object.availability === "available"
                      ? (object.summary ??
                        `Open the ${object.pluralLabel.toLowerCase()} of this organization`)
                      : "Planned: not available yet"}
                  </span>
                </span>
                {object.availability === "available" ? (
                  <Badge tone="success">Available</Badge>
                ) : (
                  <Badge>Coming soon</Badge>
                )}
                <ChevronRight size={16} aria-hidden="true" className="muted" />
              </Link>
            </li>
          ))}
      </ul>
    </div>
  );
}
