import { Link } from "@tanstack/react-router";
import { House } from "lucide-react";
import { useTenantAccess } from "../lib/permissions";
import { canSee, navigation } from "../lib/registry";
import { RegistryIcon } from "./icons";

/**
 * Package navigation, generated from the registry: each package, its objects beneath; planned ones marked.
 * Objects that need a permission the user lacks in this organization (administration) are left out.
 */
export function Nav({ tenant }: { tenant: string }) {
  const access = useTenantAccess();
  return (
    <nav className="nav" aria-label="Main">
      <Link to="/$tenant" params={{ tenant }} activeOptions={{ exact: true }} className="nav-link nav-home">
        <House size={16} aria-hidden="true" />
        <span>Home</span>
      </Link>
      {navigation.map((pkg) => (
        <div key={pkg.key} className="nav-section">
          <Link
            to="/$tenant/$package"
            params={{ tenant, package: pkg.key }}
            activeOptions={{ exact: true }}
            className="nav-link nav-package"
          >
            <RegistryIcon name={pkg.icon} />
            <span>{pkg.label}</span>
          </Link>
          <ul className="nav-objects">
            {pkg.objects
              .filter((object) => canSee(object, access))
              .map((object) => (
                <li key={object.key}>
                  <Link
                    to="/$tenant/$package/$object"
                    params={{ tenant, package: pkg.key, object: object.segment }}
                    className={`nav-link nav-object${object.availability === "planned" ? " nav-planned" : ""}`}
                  >
                    <span>{object.pluralLabel}</span>
                    {object.availability === "planned" ? (
                      <span className="nav-soon" title="Coming soon">
                        soon
                      </span>
                    ) : null}
                  </Link>
                </li>
              ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}
