import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { jobRuns } from "../../db/control/schema";
import { JOBS_QUEUE } from "../../jobs/messages";
import worker from "../../worker/index";
import { control, member, testEnv, trpcQuery } from "./support";

async function consume(body: unknown) {
  const batch = createMessageBatch(JOBS_QUEUE, [
    { id: `msg-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch, testEnv, ctx);
  return { id: batch.messages[0]!.id, result: await getQueueResult(batch, ctx) };
}

const overviewOf = async (m: Awaited<ReturnType<typeof member>>) => {
  const answer = await trpcQuery("system.organization.overview", undefined, {
    token: m.token,
    tenant: m.tenant.slug,
  });
  expect(answer.status).toBe(200);
  return answer.body.result.data as {
    recentJobRuns: { kind: string; trigger: string; status: string; counts: unknown; error: unknown }[];
  };
};

describe("an organization's job runs", () => {
  it("show on its home page as the queue ran them, and on no other organization's", async () => {
    const a = await member();
    const b = await member();
    const { id, result } = await consume({
      kind: "projects.desk.reindex",
      tenantId: a.tenant.id,
      trigger: "cli",
    });
    expect(result.explicitAcks).toEqual([id]);
    const shown = (await overviewOf(a)).recentJobRuns;
    expect(shown).toEqual([
      expect.objectContaining({
        kind: "projects.desk.reindex",
        trigger: "cli",
        status: "succeeded",
        counts: { issues: 0, inserted: 0, updated: 0, unchanged: 0, removed: 0, kept: 0 },
        error: null,
      }),
    ]);
    expect((await overviewOf(b)).recentJobRuns.map((r) => r.kind)).not.toContain("projects.desk.reindex");
    // The platform's record of runs does not hold the organization's own.
    expect(await control().select().from(jobRuns).where(eq(jobRuns.messageId, id))).toEqual([]);
  });
});
