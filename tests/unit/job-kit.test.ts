import { describe, expect, it } from "vitest";
import { z } from "zod";
import { jobMessage, jobs } from "../../jobs/registry";
import { schedule } from "../../jobs/schedule";
import { assembleJobs, defineJob, jobMessageSchema } from "../../worker/kit/jobs";

const noop = async () => ({});

const tenantProbe = defineJob({
  kind: "probe.tenant",
  scope: "tenant",
  input: z
    .object({ from: z.number().int(), to: z.number().int() })
    .refine((r) => r.from <= r.to, { message: "from comes before to", path: ["to"] }),
  run: noop,
});
const platformProbe = defineJob({
  kind: "probe.platform",
  scope: "platform",
  input: z.object({ tenantId: z.string().optional() }),
  run: noop,
});
const probes = jobMessageSchema([tenantProbe, platformProbe]);

const reasonOf = (body: unknown) => {
  const parsed = probes.safeParse(body);
  return parsed.success ? null : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("a job's message schema", () => {
  it("reads a tenant job's organization and the job's own input, defaulting the actor", () => {
    expect(
      probes.parse({ kind: "probe.tenant", tenantId: "t1", trigger: "queue", from: 1, to: 2, extra: true }),
    ).toEqual({ kind: "probe.tenant", tenantId: "t1", trigger: "queue", actor: null, from: 1, to: 2 });
  });

  it("asks a tenant job's message for its organization, and a platform job's not", () => {
    expect(reasonOf({ kind: "probe.tenant", trigger: "cron", from: 1, to: 2 })).toEqual([
      "tenantId: Invalid input: expected string, received undefined",
    ]);
    expect(probes.parse({ kind: "probe.platform", trigger: "cron" })).toEqual({
      kind: "probe.platform",
      trigger: "cron",
      actor: null,
    });
  });

  it("checks the job's own input schema, refinements included, and names every wrong field at once", () => {
    expect(reasonOf({ kind: "probe.tenant", tenantId: "t1", trigger: "cron", from: 3, to: 2 })).toEqual([
      "to: from comes before to",
    ]);
    expect(reasonOf({ kind: "probe.tenant", trigger: "sometime", from: "one", to: 2 })).toEqual([
      'trigger: Invalid option: expected one of "cron"|"queue"|"cli"|"user"',
      "tenantId: Invalid input: expected string, received undefined",
      "from: Invalid input: expected number, received string",
    ]);
  });

  it("refuses a kind no job declares", () => {
    expect(reasonOf({ kind: "drop.everything", trigger: "cron" })).toHaveLength(1);
    expect(reasonOf({ kind: "drop.everything", trigger: "cron" })?.[0]).toMatch(/^kind: /);
    expect(reasonOf("probe.platform")).not.toBeNull();
  });
});

describe("assembling a list of jobs", () => {
  it("refuses a kind declared twice", () => {
    expect(() => assembleJobs([platformProbe, { ...platformProbe }])).toThrow(
      "Job probe.platform is declared twice",
    );
  });

  it("refuses an input that declares a field of the message envelope", () => {
    const claimsTrigger = defineJob({
      kind: "probe.trigger",
      scope: "platform",
      input: z.object({ trigger: z.string() }),
      run: noop,
    });
    const claimsTenant = defineJob({
      kind: "probe.claims-tenant",
      scope: "tenant",
      input: z.object({ tenantId: z.string() }),
      run: noop,
    });
    expect(() => assembleJobs([claimsTrigger])).toThrow(/declares "trigger" in its input/);
    expect(() => assembleJobs([claimsTenant])).toThrow(/declares "tenantId" in its input/);
    // A platform job may name the organization it concerns.
    expect(assembleJobs([platformProbe])).toEqual([platformProbe]);
  });
});

describe("the registry", () => {
  it("holds each package's jobs with its scope", () => {
    expect(Object.fromEntries(jobs.map((j) => [j.kind, j.scope]))).toEqual({
      "migrations.fan-out": "platform",
      "tenant.migrate": "platform",
      "sessions.cleanup": "platform",
      "projects.desk.reindex": "tenant",
      "projects.desk.reindex-all": "platform",
    });
  });

  it("schedules only jobs it knows, each a valid message as the cron trigger sends it", () => {
    for (const [cron, scheduled] of Object.entries(schedule))
      for (const job of scheduled)
        expect(
          jobMessage.safeParse({ ...job, trigger: "cron", actor: null }).success,
          `${cron} ${job.kind}`,
        ).toBe(true);
  });
});
