/**
 * The object registry: one description of every package and object in Nexus. Navigation, routes,
 * collection views and permissions are derived from it, so a new object is declared once, here.
 */
export const packageKeys = [
  "system",
  "projects",
  "education",
  "census",
  "assets",
  "configurations",
  "locations",
] as const;
export type PackageKey = (typeof packageKeys)[number];

export type IconName =
  | "settings"
  | "folder-kanban"
  | "graduation-cap"
  | "users"
  | "laptop"
  | "network"
  | "map-pin"
  | "activity";

export interface PackageDef {
  key: PackageKey;
  label: string;
  description: string;
  icon: IconName;
}

/** available: the object has a working view; planned: declared so navigation shows where it will live. */
export type ObjectAvailability = "available" | "planned";

/** `<package>.read|write|admin`, as `shared/permissions.ts` defines them. */
export type ObjectPermission = `${PackageKey}.${"read" | "write" | "admin"}`;

/**
 * A change people make to a record's state: the package's procedure of the same name makes it (e.g.
 * `education.schools.close`), and the collection page offers it as a button or menu item on records in
 * one of the `from` states.
 */
export interface LifecycleTransition {
  name: string;
  /** The button's words ("Archive"). */
  label: string;
  from: readonly string[];
  to: string;
  /** Takes something away: asks first, in red. */
  danger?: boolean;
}

/** The states a record moves through (the first is the live one, where it can be edited) and the changes. */
export interface Lifecycle {
  states: readonly [string, ...string[]];
  transitions: readonly LifecycleTransition[];
}

/** Records that are archived rather than deleted (groups, projects, the catalog's categories and request types). */
export const archivable: Lifecycle = {
  states: ["active", "archived"],
  transitions: [
    { name: "archive", label: "Archive", from: ["active"], to: "archived", danger: true },
    { name: "restore", label: "Restore", from: ["archived"], to: "active" },
  ],
};

export interface ObjectDef {
  key: string;
  package: PackageKey;
  label: string;
  pluralLabel: string;
  /** URL segment under the package, e.g. "schools" → /education/schools */
  segment: string;
  lifecycle?: Lifecycle;
  availability: ObjectAvailability;
  /**
   * The permission navigation needs to show the object (the server checks it on every procedure regardless).
   * Left out: anyone who can read the package.
   */
  requires?: ObjectPermission;
  /** The object type the global search answers for it (`system.search.query` groups by it). */
  searchType?: string;
  /** Offered only in the Global (root) organization, e.g. the shared service desk. */
  rootOnly?: boolean;
  /** One line on what it is for, shown where packages list their objects. */
  summary?: string;
}

export const packages: readonly PackageDef[] = [
  {
    key: "system",
    label: "System",
    description: "Users, organizations, access and health",
    icon: "settings",
  },
  {
    key: "projects",
    label: "Projects",
    description: "Service requests, incidents and changes",
    icon: "folder-kanban",
  },
  {
    key: "education",
    label: "Education",
    description: "Schools, calendars and enrollments",
    icon: "graduation-cap",
  },
  { key: "census", label: "Census", description: "Students, staff, guardians and contacts", icon: "users" },
  { key: "assets", label: "Assets", description: "Devices, models, circulation and repairs", icon: "laptop" },
  {
    key: "configurations",
    label: "Configurations",
    description: "Configuration items and dependencies",
    icon: "network",
  },
  { key: "locations", label: "Locations", description: "Sites, buildings and rooms", icon: "map-pin" },
];

export const objects: readonly ObjectDef[] = [
  {
    key: "status",
    summary: "Health of this organization's database and recent jobs",
    package: "system",
    label: "Status",
    pluralLabel: "Status",
    segment: "status",
    availability: "available",
  },
  {
    key: "user",
    summary: "Members, their roles and access",
    package: "system",
    label: "User",
    pluralLabel: "Users",
    segment: "users",
    lifecycle: {
      states: ["active", "deactivated"],
      transitions: [
        { name: "deactivate", label: "Deactivate", from: ["active"], to: "deactivated", danger: true },
        { name: "reactivate", label: "Reactivate", from: ["deactivated"], to: "active" },
      ],
    },
    availability: "available",
    requires: "system.admin",
  },
  {
    key: "invitation",
    summary: "Invitations sent, pending and accepted",
    package: "system",
    label: "Invitation",
    pluralLabel: "Invitations",
    segment: "invitations",
    lifecycle: {
      states: ["pending", "accepted", "revoked", "expired"],
      transitions: [
        { name: "resend", label: "Send again", from: ["pending", "expired"], to: "pending" },
        { name: "revoke", label: "Revoke", from: ["pending"], to: "revoked", danger: true },
      ],
    },
    availability: "available",
    requires: "system.admin",
  },
  {
    key: "group",
    summary: "Teams such as the help desk technicians or a school's office",
    package: "system",
    label: "Group",
    pluralLabel: "Groups",
    segment: "groups",
    lifecycle: archivable,
    availability: "available",
  },
  {
    key: "auditEntry",
    summary: "Who changed what, and when",
    package: "system",
    label: "Audit entry",
    pluralLabel: "Audit log",
    segment: "audit",
    availability: "available",
    requires: "system.admin",
  },
  {
    key: "organizationSettings",
    summary: "Name, branding, sign-in and security rules",
    package: "system",
    label: "Organization settings",
    pluralLabel: "Organization settings",
    segment: "settings",
    availability: "available",
    requires: "system.admin",
  },
  {
    key: "outboxMessage",
    summary: "Email this organization has sent",
    package: "system",
    label: "Outbox",
    pluralLabel: "Outbox",
    segment: "outbox",
    availability: "available",
    requires: "system.admin",
  },
  {
    key: "issue",
    summary: "Requests, incidents, problems, changes and repairs, with their targets",
    package: "projects",
    label: "Issue",
    pluralLabel: "Issues",
    segment: "issues",
    availability: "available",
    searchType: "issue",
  },
  {
    key: "project",
    summary: "This organization's projects and the shared service desks",
    package: "projects",
    label: "Project",
    pluralLabel: "Projects",
    segment: "projects",
    lifecycle: archivable,
    availability: "available",
  },
  {
    key: "deskIssue",
    summary: "Every district's issues in the shared projects",
    package: "projects",
    label: "Service desk issue",
    pluralLabel: "Service desk",
    segment: "desk",
    availability: "available",
    requires: "system.admin",
    rootOnly: true,
  },
  {
    key: "requestType",
    summary: "What people can ask for, and what the team needs to know",
    package: "projects",
    label: "Request type",
    pluralLabel: "Catalog",
    segment: "catalog",
    lifecycle: archivable,
    availability: "available",
  },
  {
    key: "serviceLevels",
    summary: "Working hours, holidays and response and resolution targets",
    package: "projects",
    label: "Service levels",
    pluralLabel: "Service levels",
    segment: "service-levels",
    availability: "available",
    // Offered to administrators, who set them; everyone who can read Projects may open the page read-only.
    requires: "projects.admin",
  },
  {
    key: "school",
    summary: "Schools and buildings, open and closed",
    package: "education",
    label: "School",
    pluralLabel: "Schools",
    segment: "schools",
    lifecycle: {
      states: ["open", "closed"],
      transitions: [
        { name: "close", label: "Close school", from: ["open"], to: "closed", danger: true },
        { name: "reopen", label: "Reopen school", from: ["closed"], to: "open" },
      ],
    },
    availability: "available",
  },
  {
    key: "calendar",
    package: "education",
    label: "Calendar",
    pluralLabel: "Calendars",
    segment: "calendars",
    availability: "planned",
  },
  {
    key: "enrollment",
    package: "education",
    label: "Enrollment",
    pluralLabel: "Enrollments",
    segment: "enrollments",
    availability: "planned",
  },
  {
    key: "employment",
    package: "education",
    label: "Employment",
    pluralLabel: "Employments",
    segment: "employments",
    availability: "planned",
  },
  {
    key: "person",
    package: "census",
    label: "Person",
    pluralLabel: "People",
    segment: "people",
    availability: "planned",
  },
  {
    key: "asset",
    package: "assets",
    label: "Asset",
    pluralLabel: "Assets",
    segment: "assets",
    availability: "planned",
  },
  {
    key: "assetModel",
    package: "assets",
    label: "Asset model",
    pluralLabel: "Models",
    segment: "models",
    availability: "planned",
  },
  {
    key: "configurationItem",
    package: "configurations",
    label: "Configuration item",
    pluralLabel: "Configuration items",
    segment: "items",
    availability: "planned",
  },
  {
    key: "site",
    package: "locations",
    label: "Site",
    pluralLabel: "Sites",
    segment: "sites",
    availability: "planned",
  },
];

export function objectPath(object: ObjectDef): string {
  return `/${object.package}/${object.segment}`;
}

export function objectsOf(pkg: PackageKey): ObjectDef[] {
  return objects.filter((o) => o.package === pkg);
}

/** The object with this key ("school"); a typo fails loudly where the module loads. */
export function objectByKey(key: string): ObjectDef {
  const found = objects.find((o) => o.key === key);
  if (!found) throw new Error(`No object "${key}" in the registry`);
  return found;
}

/** The changes a record in `state` can go through, in the registry's order. */
export function transitionsFrom(object: ObjectDef, state: string): LifecycleTransition[] {
  return object.lifecycle?.transitions.filter((t) => t.from.includes(state)) ?? [];
}

/** The object the global search calls `type` (e.g. "issue"), if the registry declares one. */
export function objectOfSearchType(type: string): ObjectDef | undefined {
  return objects.find((o) => o.searchType === type);
}
