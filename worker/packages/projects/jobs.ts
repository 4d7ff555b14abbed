import { z } from "zod";
import { listLiveTenants } from "../../../db/tenants";
import { assembleJobs, defineJob } from "../../kit/jobs";
import { reindexDesk } from "./desk/reindex";

/**
 * Rebuilds one organization's rows of the root desk's index from its own database (ADR 0011): asked for
 * when a write could not update the index, and daily by `projects.desk.reindex-all`.
 */
export const deskReindex = defineJob({
  kind: "projects.desk.reindex",
  scope: "tenant",
  input: z.object({}),
  async run(ctx) {
    return { ...(await reindexDesk(ctx.control, ctx.db, ctx.tenant.id)) };
  },
});

/**
 * Enqueues one projects.desk.reindex per active organization (ready, not deleted), so the root desk's
 * index heals daily even when no write asked for a repair.
 */
export const deskReindexAll = defineJob({
  kind: "projects.desk.reindex-all",
  scope: "platform",
  input: z.object({}),
  async run(ctx) {
    const active = (await listLiveTenants(ctx.control)).filter((t) => t.status === "ready" && !t.deletedAt);
    await ctx.enqueueMany(active.map((t) => ({ kind: deskReindex.kind, tenantId: t.id })));
    return { tenants: active.length, enqueued: active.length };
  },
});

/** Projects' jobs. */
export const projectsJobs = assembleJobs([deskReindex, deskReindexAll]);
