import { and, eq, ne } from "drizzle-orm";
import { auditBy, auditIfChanged } from "../../../../db/audit";
import type { ControlContext } from "../../../../db/context";
import { tenants } from "../../../../db/control/schema";
import { AppError } from "../../../../shared/errors";
import { accessCache } from "../../../auth/access-cache";
import { loadTenant } from "./get-settings";

/**
 * Soft-deletes the organization: owners only, confirmed by typing its short name. Its registry entry is
 * marked deleted, which blocks every request to it at once (NOT_FOUND, like an organization that does not
 * exist); its database, members and audit history are kept.
 */
export async function deleteOrganization(
  ctx: ControlContext,
  confirmSlug: string,
  now = new Date(),
): Promise<{ deleted: true; deletedAt: string }> {
  const { control } = ctx;
  if (ctx.tenant.role !== "owner") {
    throw new AppError("FORBIDDEN", "Only an owner of the organization can delete it.");
  }
  const tenant = await loadTenant(control, ctx.tenant.id);
  if (tenant.kind === "root") {
    throw new AppError("FORBIDDEN", "The Global organization cannot be deleted.");
  }
  if (confirmSlug.trim().toLowerCase() !== tenant.slug) {
    throw new AppError("BAD_REQUEST", "Type the organization's short name exactly to confirm.", {
      fieldErrors: { confirmSlug: [`Type ${tenant.slug} to confirm`] },
    });
  }
  const [updated] = await control.batch([
    control
      .update(tenants)
      .set({ status: "deleted", deletedAt: now, updatedAt: now })
      .where(and(eq(tenants.id, tenant.id), ne(tenants.status, "deleted"))),
    auditIfChanged(
      control,
      auditBy(ctx, "tenant", tenant.id, {
        action: "tenant.deleted",
        before: { status: tenant.status, slug: tenant.slug, name: tenant.name },
        after: { status: "deleted", deletedAt: now.toISOString() },
      }),
      now,
    ),
  ]);
  if (updated.rowsAffected === 0) {
    throw new AppError("NOT_FOUND", "That organization does not exist or you are not a member of it.");
  }
  accessCache.clear();
  return { deleted: true, deletedAt: now.toISOString() };
}
