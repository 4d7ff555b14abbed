import { type PackageKey, packageKeys } from "./registry";

/** A membership's role in one organization (tenant). */
export const roles = ["owner", "admin", "member", "viewer"] as const;
export type Role = (typeof roles)[number];

export type Permission = `${PackageKey}.${"read" | "write" | "admin"}`;

const all = (levels: readonly ("read" | "write" | "admin")[]): Permission[] =>
  packageKeys.flatMap((p) => levels.map((l) => `${p}.${l}` as Permission));

/** What each role may do. Procedures check these on the server; the client only mirrors them. */
export const rolePermissions: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set(all(["read", "write", "admin"])),
  admin: new Set(all(["read", "write", "admin"])),
  member: new Set([...all(["read"]), "projects.write", "assets.write"]),
  viewer: new Set(all(["read"])),
};

export function roleAllows(role: Role, permission: Permission): boolean {
  return rolePermissions[role].has(permission);
}
