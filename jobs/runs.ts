import { eq } from "drizzle-orm";
import type { ControlDb, TenantDb } from "../db/client";
import { jobRuns as controlJobRuns } from "../db/control/schema";
import { jobRuns as tenantJobRuns } from "../db/tenant/schema";
import { newId } from "../shared/ids";

type RunTable = typeof controlJobRuns | typeof tenantJobRuns;
type AnyDb = ControlDb | TenantDb;

export interface RunStart {
  kind: string;
  trigger: "cron" | "queue" | "cli" | "user";
  actor: string | null;
  messageId: string | null;
  attempt: number;
  tenantId?: string | null;
}

/** Records a job run as it starts and as it ends, in the control or a tenant database. */
export class RunRecorder {
  private constructor(
    private readonly db: AnyDb,
    private readonly table: RunTable,
    readonly id: string,
  ) {}

  static async start(
    target: { control: ControlDb } | { tenant: TenantDb },
    run: RunStart,
  ): Promise<RunRecorder> {
    const [db, table] =
      "control" in target ? [target.control, controlJobRuns] : [target.tenant, tenantJobRuns];
    const id = newId();
    await (db as ControlDb)
      .insert(table as typeof controlJobRuns)
      .values({ id, ...run, tenantId: run.tenantId ?? null, status: "running", startedAt: new Date() });
    return new RunRecorder(db, table, id);
  }

  async succeed(counts: Record<string, number>): Promise<void> {
    await this.finish({ status: "succeeded", counts });
  }

  async fail(error: unknown, counts: Record<string, number> = {}): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    await this.finish({ status: "failed", counts, error: message.slice(0, 2000) });
  }

  private async finish(values: {
    status: "succeeded" | "failed";
    counts: Record<string, number>;
    error?: string;
  }) {
    const table = this.table as typeof controlJobRuns;
    await (this.db as ControlDb)
      .update(table)
      .set({ ...values, finishedAt: new Date() })
      .where(eq(table.id, this.id));
  }
}
