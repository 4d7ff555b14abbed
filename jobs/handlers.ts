import { eq } from "drizzle-orm";
import { type ControlDb, openClient, tenantDatabase } from "../db/client";
import { tenants } from "../db/control/schema";
import type { DataPlane } from "../db/data-plane";
import { listLiveTenants, migrateTenantDatabase, provisionTenant, type TenantRecord } from "../db/tenants";
import { deleteExpiredCredentials } from "../worker/auth/cleanup";
import { deleteExpiredSessions } from "../worker/auth/session";
import type { Logger } from "../worker/log";
import { reindexDesk } from "../worker/packages/projects/desk/reindex";
import { expireInvitations } from "../worker/packages/system/invitations/expire";
import type { Job, JobKind, JobMessage } from "./messages";
import { RunRecorder } from "./runs";

export interface JobDeps {
  plane: DataPlane;
  control: ControlDb;
  /** Enqueues follow-up jobs (at most 100 per call). */
  enqueue(messages: JobMessage[]): Promise<void>;
  log: Logger;
}

export interface JobHandler<K extends JobKind> {
  run(job: Extract<Job, { kind: K }>, deps: JobDeps, message: JobMessage): Promise<Record<string, number>>;
}

export type JobHandlers = { [K in JobKind]: JobHandler<K> };

/** Enqueues `toJob(tenant)` for each tenant, at most 100 messages per call. */
async function fanOut(
  tenantList: readonly TenantRecord[],
  enqueue: JobDeps["enqueue"],
  message: JobMessage,
  toJob: (tenant: TenantRecord) => Job,
): Promise<number> {
  for (let i = 0; i < tenantList.length; i += 100) {
    await enqueue(
      tenantList.slice(i, i + 100).map((t) => ({ ...toJob(t), trigger: "queue", actor: message.actor })),
    );
  }
  return tenantList.length;
}

export const handlers: JobHandlers = {
  /** Deletes sessions past either lifetime and expired tokens, expires overdue invitations, prunes counters. */
  "sessions.cleanup": {
    async run(_job, { control }) {
      const now = new Date();
      const deleted = await deleteExpiredSessions(control, now);
      const credentials = await deleteExpiredCredentials(control, now);
      const invitationsExpired = await expireInvitations(control, now);
      return { deleted, ...credentials, invitationsExpired };
    },
  },

  /** Enqueues one tenant.migrate per live tenant; the queue's batch size and concurrency bound the fan-out. */
  "migrations.fan-out": {
    async run(_job, { control, enqueue }, message) {
      const live = (await listLiveTenants(control)).filter((t) => t.status !== "deleted");
      const enqueued = await fanOut(live, enqueue, message, (t) => ({
        kind: "tenant.migrate",
        tenantId: t.id,
      }));
      return { tenants: live.length, enqueued };
    },
  },

  /**
   * Enqueues one projects.desk.reindex per active organization (ready, not deleted), so the root desk's
   * index heals daily even when no write asked for a repair.
   */
  "projects.desk.reindex-all": {
    async run(_job, { control, enqueue }, message) {
      const active = (await listLiveTenants(control)).filter((t) => t.status === "ready" && !t.deletedAt);
      const enqueued = await fanOut(active, enqueue, message, (t) => ({
        kind: "projects.desk.reindex",
        tenantId: t.id,
      }));
      return { tenants: active.length, enqueued };
    },
  },

  /**
   * Rebuilds one organization's rows of the root desk's index from its own database (ADR 0011): asked for
   * when a write could not update the index, and daily by the fan-out. Organizations that are not active
   * are skipped (the desk does not show deleted ones).
   */
  "projects.desk.reindex": {
    async run(job, { control, plane }): Promise<Record<string, number>> {
      const tenant = await control.query.tenants.findFirst({ where: eq(tenants.id, job.tenantId) });
      if (tenant?.status !== "ready" || tenant.deletedAt) return { skipped: 1 };
      const db = tenantDatabase(openClient(plane.tenant(tenant)));
      try {
        return { ...(await reindexDesk(control, db, tenant.id)) };
      } finally {
        db.$client.close();
      }
    },
  },

  /**
   * Brings one tenant's database up to date. A tenant whose provisioning failed or was interrupted is
   * provisioned again from the start (every step is idempotent), which is how failed tenants recover.
   */
  "tenant.migrate": {
    async run(job, { control, plane }, message): Promise<Record<string, number>> {
      const tenant = await control.query.tenants.findFirst({ where: eq(tenants.id, job.tenantId) });
      if (!tenant || tenant.status === "deleted") return { skipped: 1 };
      let counts: Record<string, number>;
      let current = tenant;
      if (tenant.status === "ready") {
        counts = { applied: (await migrateTenantDatabase(plane, tenant)).length };
      } else {
        current = await provisionTenant(
          control,
          plane,
          { slug: tenant.slug, name: tenant.name, kind: tenant.kind },
          {
            actorKind: message.actor ? "user" : "system",
            actorId: message.actor,
          },
        );
        counts = { reprovisioned: 1 };
      }
      // The district sees its own database's maintenance in its job history too.
      const db = tenantDatabase(openClient(plane.tenant(current)));
      const run = await RunRecorder.start(
        { tenant: db },
        { kind: message.kind, trigger: message.trigger, actor: message.actor, messageId: null, attempt: 1 },
      );
      await run.succeed(counts);
      return counts;
    },
  },
};
