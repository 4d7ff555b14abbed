import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@libsql/client/web";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openClient } from "../../db/client";
import { type RunningSqld, startSqld } from "../../scripts/lib/sqld";
import { type RunningStack, startStack } from "../../scripts/lib/stack";

/**
 * The whole local stack (sqld, the demo districts, the Worker under wrangler dev) while its database server
 * is killed and started again: requests fail cleanly and briefly, nothing is half-written, queued work
 * completes once the server is back, and nobody restarts the Worker.
 */

const password = `outage-${crypto.randomUUID()}`;
let dataDir: string;
let stack: RunningStack;
/** The sqld now serving (the stack's first, then the one started after the kill). */
let sqld: RunningSqld;
let token: string;
let issueId: string;
let riverton: { id: string; databaseName: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function database(namespace: string): Client {
  return openClient({ url: sqld.url, namespace });
}

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      "x-nexus-tenant": "riverton",
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  return { status: response.status, retryAfter: response.headers.get("retry-after"), text };
}

async function killSqld(): Promise<void> {
  const exited = new Promise<void>((r) => sqld.process.once("exit", () => r()));
  sqld.process.kill("SIGKILL");
  await exited;
}

async function restartSqld(): Promise<void> {
  const http = new URL(sqld.url);
  const admin = new URL(sqld.adminUrl);
  sqld = await startSqld({
    dataDir: join(dataDir, "sqld"),
    httpPort: Number(http.port),
    adminPort: Number(admin.port),
  });
}

/** Comments, their history rows and their audit entries on the issue: written together or not at all. */
async function commentTrail(db: Client) {
  const [comments, history, audit] = await Promise.all([
    db.execute({ sql: "select id from issue_comments where issue_id = ?", args: [issueId] }),
    db.execute({
      sql: "select count(*) as n from issue_history where issue_id = ? and field = 'comment'",
      args: [issueId],
    }),
    db.execute({
      sql: "select count(*) as n from audit_log where action = 'issue_comment.created' and json_extract(after, '$.issueId') = ?",
      args: [issueId],
    }),
  ]);
  return {
    ids: new Set(comments.rows.map((r) => String(r.id))),
    history: Number(history.rows[0]!.n),
    audit: Number(audit.rows[0]!.n),
  };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "nexus-outage-"));
  stack = await startStack({ dataDir, demoPassword: password });
  sqld = stack.sqld;
  const signedIn = await fetch(`${stack.url}/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "password",
      username: "director@riverton.example.org",
      password,
    }).toString(),
  });
  token = ((await signedIn.json()) as { access_token: string }).access_token;
  const list = await api("GET", "/api/v1/projects/issues?limit=1");
  issueId = (JSON.parse(list.text) as { items: { id: string }[] }).items[0]!.id;
  const control = database("control");
  const row = (
    await control.execute({
      sql: "select id, database_name from tenants where slug = 'riverton'",
      args: [],
    })
  ).rows[0]!;
  riverton = { id: String(row.id), databaseName: String(row.database_name) };
  control.close();
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  await sqld?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe("a database server that dies and comes back", () => {
  it("answers 503 with Retry-After while it is down, half-writes nothing, and serves again once it is back", async () => {
    const answers: { status: number; retryAfter: string | null; text: string; marker: string }[] = [];
    let sending = true;
    let seq = 0;
    // Two writers and a reader keep requests in flight across the kill.
    const traffic = [0, 1, 2].map(async (lane) => {
      while (sending) {
        const marker = `outage-${lane}-${++seq}`;
        const answer =
          lane === 2
            ? await api("GET", "/api/v1/projects/issues?limit=25")
            : await api("POST", `/api/v1/projects/issues/${issueId}/comments`, {
                body: `Power check ${marker}`,
                visibility: "internal",
              });
        answers.push({ ...answer, marker });
      }
    });
    await sleep(1_500);
    await killSqld();
    await sleep(2_500);

    // Down: the Worker itself is alive, not ready, and says so without naming any organization.
    expect((await fetch(`${stack.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${stack.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { ready: boolean }).ready).toBe(false);
    const whileDown = await api("GET", "/api/v1/projects/issues?limit=5");
    expect(whileDown.status).toBe(503);
    expect(Number(whileDown.retryAfter)).toBeGreaterThan(0);
    expect(whileDown.text).not.toMatch(/\bat \S+\.(ts|js):\d+|stack|sqld|namespace/i);

    await restartSqld();
    await sleep(1_500);
    sending = false;
    await Promise.all(traffic);

    // Every answer was a success or a clean 503 that says when to come back: never a 500.
    const statuses = new Set(answers.map((a) => a.status));
    expect([...statuses].filter((s) => ![200, 201, 503].includes(s))).toEqual([]);
    expect(answers.some((a) => a.status === 503)).toBe(true);
    for (const a of answers.filter((a) => a.status === 503)) expect(Number(a.retryAfter)).toBeGreaterThan(0);

    // Healed without a restart: reads and writes succeed again.
    const after = await api("POST", `/api/v1/projects/issues/${issueId}/comments`, {
      body: "Back on mains power.",
      visibility: "internal",
    });
    expect(after.status).toBe(201);
    expect((await fetch(`${stack.url}/readyz`)).status).toBe(200);

    // Nothing half-written: each comment has its history row and audit entry; each acknowledged one exists.
    const db = database(riverton.databaseName);
    const trail = await commentTrail(db);
    db.close();
    expect(trail.history).toBe(trail.ids.size);
    expect(trail.audit).toBe(trail.ids.size);
    for (const a of answers.filter((a) => a.status === 201)) {
      expect(trail.ids.has((JSON.parse(a.text) as { id: string }).id)).toBe(true);
    }
  }, 120_000);

  it("retries a job that failed during the outage and completes it once the server is back, once", async () => {
    const control = database("control");
    const deskRows = async () =>
      Number(
        (
          await control.execute({
            sql: "select count(*) as n from shared_issue_index where tenant_id = ?",
            args: [riverton.id],
          })
        ).rows[0]!.n,
      );
    const expected = await deskRows();
    expect(expected).toBeGreaterThan(0);
    // The desk index loses Riverton's rows; the daily repair job must bring them back.
    await control.execute({ sql: "delete from shared_issue_index where tenant_id = ?", args: [riverton.id] });
    control.close();

    await killSqld();
    // The repair is scheduled while the database is down: the job fails and is retried with backoff.
    const fired = await fetch(`${stack.url}/__scheduled?cron=${encodeURIComponent("30 7 * * *")}`);
    expect(fired.status).toBe(200);
    await sleep(3_000);
    await restartSqld();

    const back = database("control");
    let rows = 0;
    for (let i = 0; i < 90 && rows < expected; i++) {
      await sleep(1_000);
      rows = Number(
        (
          await back.execute({
            sql: "select count(*) as n from shared_issue_index where tenant_id = ?",
            args: [riverton.id],
          })
        ).rows[0]!.n,
      );
    }
    expect(rows).toBe(expected);

    // Run again (a redelivery or the next day's run): the same rows, not twice as many. Riverton's runs of
    // its own jobs are recorded in its own database.
    const rivertonDb = database(riverton.databaseName);
    const succeeded = async () =>
      Number(
        (
          await rivertonDb.execute({
            sql: "select count(*) as n from job_runs where kind = 'projects.desk.reindex' and tenant_id = ? and status = 'succeeded'",
            args: [riverton.id],
          })
        ).rows[0]!.n,
      );
    const runsBefore = await succeeded();
    expect(runsBefore).toBeGreaterThan(0);
    await fetch(`${stack.url}/__scheduled?cron=${encodeURIComponent("30 7 * * *")}`);
    for (let i = 0; i < 60 && (await succeeded()) === runsBefore; i++) await sleep(1_000);
    expect(await succeeded()).toBe(runsBefore + 1);
    const again = await back.execute({
      sql: "select count(*) as n, count(distinct issue_id) as d from shared_issue_index where tenant_id = ?",
      args: [riverton.id],
    });
    back.close();
    rivertonDb.close();
    expect(Number(again.rows[0]!.n)).toBe(expected);
    expect(Number(again.rows[0]!.d)).toBe(expected);
  }, 180_000);
});
