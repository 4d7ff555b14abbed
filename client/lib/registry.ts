import {
  type ObjectDef,
  objects,
  objectsOf,
  type PackageDef,
  type PackageKey,
  packages,
} from "../../shared/registry";
import type { TenantAccess } from "./permissions";

export interface PackageWithObjects extends PackageDef {
  objects: ObjectDef[];
}

/** The registry as navigation shows it: each package with its objects, in declaration order. */
export const navigation: readonly PackageWithObjects[] = packages.map((pkg) => ({
  ...pkg,
  objects: objectsOf(pkg.key),
}));

export function findPackage(key: string): PackageWithObjects | undefined {
  return navigation.find((pkg) => pkg.key === key);
}

export function findObject(pkg: PackageKey, segment: string): ObjectDef | undefined {
  return objects.find((o) => o.package === pkg && o.segment === segment);
}

/**
 * Whether navigation offers an object to someone with this access in the organization showing (its
 * `system.organization.current` answer). Only hides links: the server checks every procedure.
 */
export function canSee(object: ObjectDef, access: TenantAccess): boolean {
  if (object.rootOnly && access.kind !== "root") return false;
  return object.requires === undefined || access.permissions.has(object.requires);
}
