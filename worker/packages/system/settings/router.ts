import { z } from "zod";
import {
  deleteOrganizationInput,
  deleteOrganizationOutput,
  organizationSettings,
  updateOrganizationSettingsInput,
  updateSecuritySettingsInput,
} from "../../../../shared/schemas/organizations";
import { requirePermission, router } from "../../../trpc/init";
import { deleteOrganization } from "./delete-organization";
import { getSettings } from "./get-settings";
import { updateSecurity } from "./update-security";
import { updateSettings } from "./update-settings";

/** Organization and security settings; soft delete. */
export const settingsRouter = router({
  /** The organization's settings and security settings; any member may read them. */
  get: requirePermission("system.read")
    .input(z.void())
    .output(organizationSettings)
    .query(({ ctx }) => getSettings(ctx.control, ctx.tenant.id)),

  /** Name, logo, brand colour, default role (administrators). */
  update: requirePermission("system.admin")
    .input(updateOrganizationSettingsInput)
    .output(organizationSettings)
    .mutation(({ ctx, input }) => updateSettings(ctx, input)),

  /**
   * Allowed email domains, SSO-only, two-factor required, session lifetime, personal access token policy
   * (administrators).
   */
  updateSecurity: requirePermission("system.admin")
    .input(updateSecuritySettingsInput)
    .output(organizationSettings)
    .mutation(({ ctx, input }) => updateSecurity(ctx, input)),

  /** Soft-deletes the organization (owners only; confirmed by its short name). */
  deleteOrganization: requirePermission("system.admin")
    .input(deleteOrganizationInput)
    .output(deleteOrganizationOutput)
    .mutation(({ ctx, input }) => deleteOrganization(ctx, input.confirmSlug)),
});
