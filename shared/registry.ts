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

export interface ObjectDef {
  key: string;
  package: PackageKey;
  label: string;
  pluralLabel: string;
  /** URL segment under the package, e.g. "schools" → /education/schools */
  segment: string;
  lifecycle?: readonly string[];
  actions?: readonly string[];
  availability: ObjectAvailability;
  /**
   * The permission navigation needs to show the object (the server checks it on every procedure regardless).
   * Left out: anyone who can read the package.
   */
  requires?: ObjectPermission;
  /** The object type the global search answers for it (`system.search.query` groups by it). */
  searchType?: string;
  /** Shown in an object workspace (list + detail at `/<package>/<segment>/<id>`, inspector sheet). */
  workspace?: boolean;
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
    lifecycle: ["active", "deactivated"],
    actions: ["changeRole", "deactivate", "reactivate", "remove", "export"],
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
    lifecycle: ["pending", "accepted", "revoked", "expired"],
    actions: ["create", "bulkCreate", "resend", "revoke", "export"],
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
    lifecycle: ["active", "archived"],
    actions: ["create", "update", "archive", "restore", "addMembers", "removeMember"],
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
    actions: ["update", "updateSecurity", "deleteOrganization"],
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
    actions: [
      "create",
      "update",
      "transition",
      "archive",
      "restore",
      "export",
      "bulkAssign",
      "bulkTransition",
      "bulkClose",
    ],
    availability: "available",
    searchType: "issue",
    workspace: true,
  },
  {
    key: "project",
    summary: "This organization's projects and the shared service desks",
    package: "projects",
    label: "Project",
    pluralLabel: "Projects",
    segment: "projects",
    lifecycle: ["active", "archived"],
    actions: ["create", "update", "archive", "restore"],
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
    lifecycle: ["active", "archived"],
    actions: ["create", "update", "archive", "restore"],
    availability: "available",
  },
  {
    key: "serviceLevels",
    summary: "Working hours, holidays and response and resolution targets",
    package: "projects",
    label: "Service levels",
    pluralLabel: "Service levels",
    segment: "service-levels",
    actions: ["update"],
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
    lifecycle: ["open", "closed"],
    actions: ["close", "reopen"],
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

/** The object the global search calls `type` (e.g. "issue"), if the registry declares one. */
export function objectOfSearchType(type: string): ObjectDef | undefined {
  return objects.find((o) => o.searchType === type);
}
