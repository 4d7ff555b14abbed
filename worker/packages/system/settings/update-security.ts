import type { ControlContext, UserActor } from "../../../../db/context";
import { AppError } from "../../../../shared/errors";
import {
  type OrganizationSettings,
  type UpdateSecuritySettingsInput,
  updateSecuritySettingsInput,
} from "../../../../shared/schemas/organizations";
import { accessCache } from "../../../auth/access-cache";
import { applySettings } from "./apply-settings";
import { toSettings } from "./get-settings";

/**
 * Allowed email domains, SSO-only mode, required two-factor, session lifetime and the personal access
 * token policy (longest lifetime, whether tokens may never expire); only the fields given change. Audited
 * with before/after; cached access is dropped so the new rules apply to the next request.
 */
export async function updateSecurity(
  ctx: ControlContext<UserActor>,
  raw: UpdateSecuritySettingsInput,
): Promise<OrganizationSettings> {
  const input = updateSecuritySettingsInput.parse(raw);
  if (input.twoFactorRequired && !ctx.actor.twoFactorEnabled && !ctx.tenant.viaRoot) {
    // Requiring it would lock the administrator out of the organization on their next request.
    throw new AppError("BAD_REQUEST", "Turn on two-factor authentication for your own account first.", {
      fieldErrors: { twoFactorRequired: ["Set up two-factor authentication for yourself first"] },
    });
  }
  const { tenant, changed } = await applySettings(ctx, "tenant.security_updated", input);
  if (changed) accessCache.clear();
  return toSettings(tenant);
}
