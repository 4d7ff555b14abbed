import type { ControlDb } from "../../../../db/client";
import {
  type OrganizationSettings,
  type UpdateOrganizationSettingsInput,
  updateOrganizationSettingsInput,
} from "../../../../shared/schemas/organizations";
import type { AdminActor } from "../users/actor";
import { applySettings } from "./apply-settings";
import { toSettings } from "./get-settings";

/** Name, logo, brand colour and default role; only the fields given change. Audited with before/after. */
export async function updateSettings(
  control: ControlDb,
  actor: AdminActor,
  raw: UpdateOrganizationSettingsInput,
): Promise<OrganizationSettings> {
  const input = updateOrganizationSettingsInput.parse(raw);
  const { tenant } = await applySettings(control, actor, "tenant.settings_updated", input);
  return toSettings(tenant);
}
