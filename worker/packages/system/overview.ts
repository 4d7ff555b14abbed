import { desc } from "drizzle-orm";
import type { TenantDb } from "../../../db/client";
import { jobRuns } from "../../../db/tenant/schema";
import { packageHeadlines } from "../../home";

/** What the organization's home page shows: headline counts and the latest job runs. */
export async function loadOverview(db: TenantDb) {
  const [headlines, runs] = await Promise.all([
    packageHeadlines(db),
    db.select().from(jobRuns).orderBy(desc(jobRuns.startedAt)).limit(10),
  ]);
  return {
    ...headlines,
    recentJobRuns: runs.map((r) => ({
      id: r.id,
      kind: r.kind,
      trigger: r.trigger,
      status: r.status,
      counts: r.counts,
      error: r.error,
      startedAt: r.startedAt.toISOString(),
      finishedAt: r.finishedAt?.toISOString() ?? null,
    })),
  };
}
