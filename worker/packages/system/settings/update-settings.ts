import type { ControlContext } from "../../../../db/context";
import {
  type OrganizationSettings,
  type UpdateOrganizationSettingsInput,
  updateOrganizationSettingsInput,
} from "../../../../shared/schemas/organizations";
import { applySettings } from "./apply-settings";
import { toSettings } from "./get-settings";

/** Name, logo, brand colour and default role; only the fields given change. Audited with before/after. */
export async function updateSettings(
  ctx: ControlContext,
  raw: UpdateOrganizationSettingsInput,
): Promise<OrganizationSettings> {
  const input = updateOrganizationSettingsInput.parse(raw);
  const { tenant } = await applySettings(ctx, "tenant.settings_updated", input);
  return toSettings(tenant);
}
