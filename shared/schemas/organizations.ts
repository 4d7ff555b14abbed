import { z } from "zod";
import { roles } from "../permissions";
import { newPassword, PERSONAL_ACCESS_TOKEN_MAX_DAYS } from "./credentials";
import { identifier, opaqueText, searchText, singleLineText } from "./text";

/*
 * Organizations and the people in them: registration, organization and security settings, members
 * (list, roles, lifecycle, bulk actions, export) and the audit log. Inputs and outputs of the
 * `system.settings.*`, `system.users.*` and `system.audit.*` procedures and of `POST /auth/register`.
 * Dates travel as ISO 8601 strings.
 */

export const role = z.enum(roles);
export type RoleName = z.infer<typeof role>;

/** Roles that may be given by an organization's default (joining by SSO): anything but owner. */
export const joinableRole = z.enum(["admin", "member", "viewer"]);

/** An organization member's status in that organization (removed members are not listed at all). */
export const membershipStatus = z.enum(["active", "deactivated"]);

const isoDate = z.iso.datetime({ offset: true });
const id = identifier();

/* ------------------------------------------------------------------------------------------------ */
/* Registration: POST /auth/register                                                                */
/* ------------------------------------------------------------------------------------------------ */

/**
 * Short names that would collide with the application's own top-level paths (the organization is the
 * first URL segment).
 */
export const reservedSlugs = [
  "admin",
  "api",
  "app",
  "assets",
  "auth",
  "global",
  "healthz",
  "invitations",
  "login",
  "me",
  "readyz",
  "register",
  "root",
  "settings",
  "sign-in",
  "sign-out",
  "sign-up",
  "static",
  "system",
  "trpc",
  "www",
] as const;

/** The organization's short name (its URL segment and database name); same rules as `tenantSlug`. */
export const organizationSlug = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[a-z][a-z0-9-]{1,38}[a-z0-9]$/,
    "Use 3–40 lower-case letters, digits and dashes, starting with a letter",
  )
  .refine((slug) => !(reservedSlugs as readonly string[]).includes(slug), "That short name is reserved");

export const registerOrganizationInput = z.object({
  organizationName: singleLineText({ min: 2, max: 120 }),
  slug: organizationSlug,
  /** The first owner's name. */
  name: singleLineText({ min: 1, max: 120 }),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email("Use an email address like name@district.org").max(254)),
  /** At least 12 characters; the server also refuses very common passwords. */
  password: newPassword,
});
export type RegisterOrganizationInput = z.input<typeof registerOrganizationInput>;

export const registerOrganizationOutput = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string() }),
  tenant: z.object({ slug: z.string(), name: z.string() }),
});
export type RegisterOrganizationOutput = z.infer<typeof registerOrganizationOutput>;

/* ------------------------------------------------------------------------------------------------ */
/* Organization and security settings: system.settings.*                                           */
/* ------------------------------------------------------------------------------------------------ */

/** Largest logo accepted as a data URL, decoded. */
export const LOGO_MAX_BYTES = 100 * 1024;
const LOGO_DATA_URL = /^data:image\/(png|svg\+xml);base64,([A-Za-z0-9+/]+={0,2})$/;

/** Bytes a base64 payload decodes to. */
export function base64DecodedLength(payload: string): number {
  const padding = payload.endsWith("==") ? 2 : payload.endsWith("=") ? 1 : 0;
  return Math.floor((payload.length * 3) / 4) - padding;
}

/** A logo: an https URL, or a PNG or SVG data URL (base64) of at most 100 KB. */
export const logoUrl = singleLineText({
  max: Math.ceil((LOGO_MAX_BYTES * 4) / 3) + 40,
  maxMessage: "The logo is larger than 100 KB",
}).superRefine((value, ctx) => {
  if (value.startsWith("data:")) {
    const match = LOGO_DATA_URL.exec(value);
    if (!match || match[2]!.length % 4 !== 0) {
      ctx.addIssue({ code: "custom", message: "Use a PNG or SVG image encoded as a base64 data URL" });
    } else if (base64DecodedLength(match[2]!) > LOGO_MAX_BYTES) {
      ctx.addIssue({ code: "custom", message: "The logo is larger than 100 KB" });
    }
    return;
  }
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    // reported below
  }
  if (url?.protocol !== "https:" || !url.hostname || value.length > 2048) {
    ctx.addIssue({ code: "custom", message: "Use an https:// address or a PNG/SVG data URL" });
  }
});

/** #rrggbb, stored lower-case. */
export const brandColor = z
  .string()
  .trim()
  .regex(/^#[0-9a-fA-F]{6}$/, "Use a colour like #1a73e8")
  .transform((v) => v.toLowerCase());

/** A DNS host name, lower-cased: two or more labels of letters, digits and dashes; an alphabetic top label. */
export const emailDomain = z
  .string()
  .trim()
  .toLowerCase()
  .max(253, "A domain has at most 253 characters")
  .regex(
    /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/,
    "Use a domain like district.k12.mo.us",
  );

export const MAX_ALLOWED_DOMAINS = 50;
export const SESSION_LIFETIME_MINUTES = { min: 15, max: 10080 } as const;

export const securitySettings = z.object({
  /** Users of these email domains may join by SSO with the default role. */
  allowedDomains: z.array(z.string()),
  /** Members must sign in with Google or Microsoft. */
  ssoOnly: z.boolean(),
  /** Members must have two-factor authentication to use the organization. */
  twoFactorRequired: z.boolean(),
  /** Members' sessions end after this many minutes without use in this organization. */
  sessionLifetimeMinutes: z.number().int(),
  /** Longest lifetime, in days, of a personal access token for this organization (1–365). */
  patMaxLifetimeDays: z.number().int(),
  /** Whether a personal access token for this organization may be made to never expire. */
  patAllowNoExpiry: z.boolean(),
});

export const organizationSettings = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  kind: z.enum(["district", "root"]),
  logoUrl: z.string().nullable(),
  brandColor: z.string().nullable(),
  defaultRole: role,
  security: securitySettings,
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type OrganizationSettings = z.infer<typeof organizationSettings>;

/** Only the fields given change; `null` clears the logo or brand colour. */
export const updateOrganizationSettingsInput = z
  .object({
    name: singleLineText({ min: 2, max: 120 }).optional(),
    logoUrl: logoUrl.nullable().optional(),
    brandColor: brandColor.nullable().optional(),
    defaultRole: joinableRole.optional(),
  })
  .strict();
export type UpdateOrganizationSettingsInput = z.input<typeof updateOrganizationSettingsInput>;

/** Only the fields given change. `allowedDomains` replaces the whole list (duplicates are dropped). */
export const updateSecuritySettingsInput = z
  .object({
    allowedDomains: z
      .array(emailDomain)
      .max(MAX_ALLOWED_DOMAINS, `At most ${MAX_ALLOWED_DOMAINS} domains`)
      .transform((domains) => [...new Set(domains)])
      .optional(),
    ssoOnly: z.boolean().optional(),
    twoFactorRequired: z.boolean().optional(),
    sessionLifetimeMinutes: z
      .number()
      .int()
      .min(SESSION_LIFETIME_MINUTES.min, "At least 15 minutes")
      .max(SESSION_LIFETIME_MINUTES.max, "At most 7 days (10080 minutes)")
      .optional(),
    patMaxLifetimeDays: z
      .number()
      .int()
      .min(1, "At least 1 day")
      .max(PERSONAL_ACCESS_TOKEN_MAX_DAYS, `At most ${PERSONAL_ACCESS_TOKEN_MAX_DAYS} days (1 year)`)
      .optional(),
    patAllowNoExpiry: z.boolean().optional(),
  })
  .strict();
export type UpdateSecuritySettingsInput = z.input<typeof updateSecuritySettingsInput>;

/** Typing the organization's short name confirms the deletion. */
export const deleteOrganizationInput = z.object({ confirmSlug: singleLineText({ min: 1, max: 100 }) });
export const deleteOrganizationOutput = z.object({ deleted: z.literal(true), deletedAt: isoDate });

/* ------------------------------------------------------------------------------------------------ */
/* Members: system.users.*                                                                          */
/* ------------------------------------------------------------------------------------------------ */

export const userSort = z.enum(["name", "email", "role", "createdAt"]);
export const sortDirection = z.enum(["asc", "desc"]);

/** Keyset pagination: pass back `nextCursor` with the same search, filters and sort. */
export const listUsersInput = z.object({
  /** Matches name or email (substring, case-insensitive). */
  search: searchText({ max: 100 }).optional(),
  role: role.optional(),
  status: membershipStatus.optional(),
  /** `role` sorts by rank: owner, admin, member, viewer. */
  sort: userSort.default("name"),
  direction: sortDirection.default("asc"),
  limit: z.number().int().min(1).max(100).default(50),
  cursor: opaqueText(1000).optional(),
});
export type ListUsersInput = z.input<typeof listUsersInput>;

export const organizationUser = z.object({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  role,
  status: membershipStatus,
  twoFactorEnabled: z.boolean(),
  /** When they joined the organization (the membership's creation). */
  createdAt: isoDate,
});
export type OrganizationUser = z.infer<typeof organizationUser>;

export const listUsersOutput = z.object({
  items: z.array(organizationUser),
  nextCursor: z.string().nullable(),
});

export const userIdInput = z.object({ userId: id });
export const changeRoleInput = z.object({ userId: id, role });

export const MAX_BULK_USERS = 200;
const bulkUserIds = z
  .array(id)
  .min(1, "Choose at least one user")
  .max(MAX_BULK_USERS, `At most ${MAX_BULK_USERS} users at a time`);
export const bulkChangeRoleInput = z.object({ userIds: bulkUserIds, role });
export const bulkDeactivateInput = z.object({ userIds: bulkUserIds });

/** Why one user of a bulk action was not changed. */
export const membershipErrorCode = z.enum(["NOT_FOUND", "FORBIDDEN", "CONFLICT"]);

/**
 * `results[i]` answers `userIds[i]` (ids are not echoed). `ok` with `changed: false`: already so (or a
 * repeat of an earlier id). `changed` counts the users changed; `failed` the positions not applied.
 */
export const bulkResultOutput = z.object({
  results: z.array(
    z.union([
      z.object({ index: z.number().int(), ok: z.literal(true), changed: z.boolean() }),
      z.object({
        index: z.number().int(),
        ok: z.literal(false),
        code: membershipErrorCode,
        error: z.string(),
      }),
    ]),
  ),
  changed: z.number().int(),
  failed: z.number().int(),
});
export type BulkResult = z.infer<typeof bulkResultOutput>;

export const exportInput = z.object({
  format: z.enum(["csv", "json"]),
  what: z.enum(["users", "invitations"]),
});
export const exportOutput = z.object({
  filename: z.string(),
  contentType: z.string(),
  /** The file's text: CSV (header row, formula-looking cells prefixed with ') or a JSON array. */
  content: z.string(),
  rows: z.number().int(),
});
export type ExportOutput = z.infer<typeof exportOutput>;

/* ------------------------------------------------------------------------------------------------ */
/* Audit log: system.audit.list                                                                     */
/* ------------------------------------------------------------------------------------------------ */

export const listAuditInput = z
  .object({
    /** Entries whose action starts with this, e.g. "membership." or "auth.sign_in". */
    action: singleLineText({ min: 1, max: 100 }).optional(),
    actorId: id.optional(),
    targetType: singleLineText({ min: 1, max: 60 }).optional(),
    /** Inclusive bounds on when it happened. */
    from: isoDate.optional(),
    to: isoDate.optional(),
    /** Substring of the action. */
    search: searchText({ min: 1, max: 100 }).optional(),
    limit: z.number().int().min(1).max(100).default(50),
    cursor: opaqueText(1000).optional(),
  })
  .refine((v) => !v.from || !v.to || Date.parse(v.from) <= Date.parse(v.to), {
    message: "The start is after the end",
    path: ["to"],
  });
export type ListAuditInput = z.input<typeof listAuditInput>;

const person = z.object({ id: z.string(), name: z.string(), email: z.string() });

export const auditEntry = z.object({
  id: z.string(),
  at: isoDate,
  action: z.string(),
  actorKind: z.enum(["user", "system", "token"]),
  actorId: z.string().nullable(),
  /** The acting user, when the actor is a user Nexus knows. */
  actor: person.nullable(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  /** The target user, when the target is a user Nexus knows. */
  targetUser: person.nullable(),
  before: z.unknown(),
  after: z.unknown(),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntry>;

export const listAuditOutput = z.object({
  items: z.array(auditEntry),
  nextCursor: z.string().nullable(),
});
