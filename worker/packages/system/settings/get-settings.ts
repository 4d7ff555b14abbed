import { eq } from "drizzle-orm";
import type { ControlDb } from "../../../../db/client";
import { tenants } from "../../../../db/control/schema";
import { AppError } from "../../../../shared/errors";
import type { OrganizationSettings } from "../../../../shared/schemas/organizations";

export type TenantRow = typeof tenants.$inferSelect;

export async function loadTenant(control: ControlDb, tenantId: string): Promise<TenantRow> {
  const row = await control.query.tenants.findFirst({ where: eq(tenants.id, tenantId) });
  if (!row || row.status === "deleted") {
    throw new AppError("NOT_FOUND", "That organization does not exist or you are not a member of it.");
  }
  return row;
}

export function toSettings(row: TenantRow): OrganizationSettings {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    kind: row.kind,
    logoUrl: row.logoUrl,
    brandColor: row.brandColor,
    defaultRole: row.defaultRole,
    security: {
      allowedDomains: row.allowedDomains,
      ssoOnly: row.ssoOnly,
      twoFactorRequired: row.twoFactorRequired,
      sessionLifetimeMinutes: row.sessionLifetimeMinutes,
      patMaxLifetimeDays: row.patMaxLifetimeDays,
      patAllowNoExpiry: row.patAllowNoExpiry,
    },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The organization's settings and security settings. */
export async function getSettings(control: ControlDb, tenantId: string): Promise<OrganizationSettings> {
  return toSettings(await loadTenant(control, tenantId));
}
