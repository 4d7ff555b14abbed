import { eq } from "drizzle-orm";
import { z } from "zod";
import { openClient, tenantDatabase } from "../../db/client";
import { tenants } from "../../db/control/schema";
import { listLiveTenants, migrateTenantDatabase, provisionTenant } from "../../db/tenants";
import { assembleJobs, defineJob, tenantIdField } from "../../worker/kit/jobs";
import { RunRecorder } from "../runs";

/**
 * Brings one organization's database up to date. An organization whose provisioning failed or was
 * interrupted is provisioned again from the start (every step is idempotent), which is how failed ones
 * recover. A platform job: the organization's database may not exist yet. Its run is recorded in the
 * control database with the organization's id, and — once the database is there — in the organization's
 * own `job_runs` too, so the district sees its maintenance.
 */
export const tenantMigrate = defineJob({
  kind: "tenant.migrate",
  scope: "platform",
  input: z.object({ tenantId: tenantIdField }),
  async run({ control, plane, origin, actor }, { tenantId }) {
    const tenant = await control.query.tenants.findFirst({ where: eq(tenants.id, tenantId) });
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
        actor,
      );
      counts = { reprovisioned: 1 };
    }
    const db = tenantDatabase(openClient(plane.tenant(current)));
    try {
      const run = await RunRecorder.start(
        { tenant: db },
        {
          kind: "tenant.migrate",
          trigger: origin.trigger,
          actor: origin.requestedBy,
          messageId: null,
          attempt: 1,
        },
      );
      await run.succeed(counts);
    } finally {
      db.$client.close();
    }
    return counts;
  },
});

/** Enqueues one tenant.migrate per live organization; the queue's batch size and concurrency bound the fan-out. */
export const migrationsFanOut = defineJob({
  kind: "migrations.fan-out",
  scope: "platform",
  input: z.object({}),
  async run({ control, enqueueMany }) {
    const live = (await listLiveTenants(control)).filter((t) => t.status !== "deleted");
    await enqueueMany(live.map((t) => ({ kind: tenantMigrate.kind, tenantId: t.id })));
    return { tenants: live.length, enqueued: live.length };
  },
});

/** The platform's own jobs: the organizations' databases. */
export const platformJobs = assembleJobs([migrationsFanOut, tenantMigrate]);
