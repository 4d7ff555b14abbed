import { sha256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";
import { and, eq, ne } from "drizzle-orm";
import { auditBy, auditIfChanged } from "../../../../db/audit";
import type { ControlContext } from "../../../../db/context";
import { tenants } from "../../../../db/control/schema";
import { base64DecodedLength } from "../../../../shared/schemas/organizations";
import { loadTenant, type TenantRow } from "./get-settings";

type SettingKey =
  | "name"
  | "logoUrl"
  | "brandColor"
  | "defaultRole"
  | "allowedDomains"
  | "ssoOnly"
  | "twoFactorRequired"
  | "sessionLifetimeMinutes"
  | "patMaxLifetimeDays"
  | "patAllowNoExpiry";

/** What the audit log keeps of a value: a data-URL logo is summarised (size and digest), not copied. */
function auditValue(key: SettingKey, value: unknown): unknown {
  if (key === "logoUrl" && typeof value === "string" && value.startsWith("data:")) {
    const [head, payload = ""] = value.split(",", 2);
    const digest = encodeHexLowerCase(sha256(new TextEncoder().encode(value))).slice(0, 16);
    return `${head},… (${base64DecodedLength(payload)} bytes, sha256 ${digest}…)`;
  }
  return value;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Writes the given settings that differ from the stored ones, with one audit entry holding each changed
 * setting's value before and after, in one batch. Returns the tenant as it is now and whether anything
 * changed.
 */
export async function applySettings(
  ctx: ControlContext,
  action: string,
  wanted: Partial<Pick<TenantRow, SettingKey>>,
): Promise<{ tenant: TenantRow; changed: boolean }> {
  const { control } = ctx;
  const tenantId = ctx.tenant.id;
  const current = await loadTenant(control, tenantId);
  const set: Partial<Pick<TenantRow, SettingKey>> = {};
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(wanted) as [SettingKey, unknown][]) {
    if (value === undefined || same(current[key], value)) continue;
    (set as Record<string, unknown>)[key] = value;
    before[key] = auditValue(key, current[key]);
    after[key] = auditValue(key, value);
  }
  if (Object.keys(set).length === 0) return { tenant: current, changed: false };
  const now = new Date();
  const [updated] = await control.batch([
    control
      .update(tenants)
      .set({ ...set, updatedAt: now })
      .where(and(eq(tenants.id, tenantId), ne(tenants.status, "deleted"))),
    auditIfChanged(control, auditBy(ctx, "tenant", tenantId, { action, before, after }), now),
  ]);
  if (updated.rowsAffected === 0) return { tenant: await loadTenant(control, tenantId), changed: false };
  return { tenant: { ...current, ...set, updatedAt: now }, changed: true };
}
