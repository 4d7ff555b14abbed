/**
 * The mixed workload of `npm run load` (and of the load smoke test): several technicians in both demo
 * districts listing issues with filters, opening issues, commenting, updating issues with their version and
 * searching, at a fixed arrival rate for a fixed time. Afterwards it checks that the Worker is alive and that
 * every write it was told succeeded reads back.
 *
 * Arrivals are scheduled on the clock (an open model), so a slow server meets the same rate instead of
 * being offered less work; requests wait for a free connection when all are busy, and that wait counts in
 * their latency.
 */
import { Agent, type Dispatcher, request } from "undici";

export interface LoadUser {
  email: string;
  /** Organization slug the user works in. */
  tenant: string;
}

export interface LoadOptions {
  url: string;
  password: string;
  users: LoadUser[];
  /** Requests per second, all users together. */
  rate: number;
  seconds: number;
  /** Open connections at most (default 64). */
  connections?: number;
  /** A request that has not answered by then counts as an error (default 30 s). */
  timeoutMs?: number;
  /** Called about once a second with the progress so far. */
  onProgress?: (progress: { elapsedSeconds: number; sent: number; done: number; errors: number }) => void;
}

export type Operation = "list" | "detail" | "comment" | "update" | "search";

export interface LoadReport {
  rate: number;
  seconds: number;
  sent: number;
  /** Requests per second that completed, over the whole run. */
  achievedRate: number;
  byOperation: Record<Operation, number>;
  /** Answers by HTTP status, plus transport failures by name. */
  statuses: Record<string, number>;
  errors: number;
  /** Examples of failed answers (status and the start of the body), at most ten. */
  errorSamples: string[];
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  healthz: number | string;
  writes: { made: number; readBack: number; missing: string[] };
}

/** The share of each operation in the mix; they add up to 1. */
export const MIX: Record<Operation, number> = {
  list: 0.45,
  detail: 0.2,
  comment: 0.15,
  update: 0.1,
  search: 0.1,
};

const LIST_FILTERS = [
  "limit=25",
  "limit=25&filters.status=new&filters.status=in_progress",
  "limit=25&filters.priority=high&filters.priority=critical",
  "limit=25&sort.field=priority&sort.direction=desc",
  "limit=10&filters.type=incident",
  "limit=25&filters.breached=true",
];
const SEARCH_WORDS = ["printer", "projector", "network", "chromebook", "wifi", "login", "leak", "door"];

interface Session {
  user: LoadUser;
  token: string;
  issueIds: string[];
}

interface IssueState {
  session: Session;
  id: string;
  version: number;
  /** An update of this issue is in flight: the next one waits its turn (no self-inflicted conflicts). */
  busy: boolean;
  /** The title of the last successful update, to read back. */
  lastTitle: string | null;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, index)]! * 10) / 10;
}

async function signIn(dispatcher: Dispatcher, url: string, user: LoadUser, password: string) {
  const response = await request(`${url}/auth/token`, {
    dispatcher,
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "password", username: user.email, password }).toString(),
  });
  const body = (await response.body.json()) as { access_token?: string; error_description?: string };
  if (response.statusCode !== 200 || !body.access_token) {
    throw new Error(
      `Could not sign in as ${user.email}: ${response.statusCode} ${body.error_description ?? ""}`,
    );
  }
  return body.access_token;
}

/** Runs the workload and checks what it wrote; never throws for a failed request (it is counted). */
export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const connections = options.connections ?? 64;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const dispatcher = new Agent({
    connections,
    keepAliveTimeout: 4_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const base = options.url.replace(/\/$/, "");

  const call = async (
    session: Session,
    method: "GET" | "POST" | "PATCH",
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown; text: string }> => {
    const response = await request(`${base}${path}`, {
      dispatcher,
      method,
      headers: {
        authorization: `Bearer ${session.token}`,
        "x-nexus-tenant": session.user.tenant,
        // Some HTTP clients send a content type on every request, bodiless GETs included: so do we.
        "content-type": "application/json",
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.body.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {}
    return { status: response.statusCode, json, text };
  };

  // Sign in and learn a few issues of each user's organization (not counted in the run).
  const sessions: Session[] = [];
  for (const user of options.users) {
    const session: Session = {
      user,
      token: await signIn(dispatcher, base, user, options.password),
      issueIds: [],
    };
    const page = await call(session, "GET", "/api/v1/projects/issues?limit=40");
    if (page.status !== 200) throw new Error(`Listing issues as ${user.email} answered ${page.status}`);
    session.issueIds = (page.json as { items: { id: string }[] }).items.map((i) => i.id);
    if (session.issueIds.length === 0) throw new Error(`${user.email} sees no issues to work on.`);
    sessions.push(session);
  }
  // Each user updates issues of their own, so two users never race for one version.
  const updatable: IssueState[] = [];
  sessions.forEach((session, index) => {
    const mine = session.issueIds.filter((_, i) => i % sessions.length === index % sessions.length);
    for (const id of mine.slice(0, 8)) {
      updatable.push({ session, id, version: 0, busy: false, lastTitle: null });
    }
  });
  for (const issue of updatable) {
    const read = await call(issue.session, "GET", `/api/v1/projects/issues/${issue.id}`);
    issue.version = (read.json as { version: number }).version;
  }

  const statuses: Record<string, number> = {};
  const byOperation: Record<Operation, number> = { list: 0, detail: 0, comment: 0, update: 0, search: 0 };
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  const comments: { session: Session; issueId: string; id: string }[] = [];
  let sent = 0;
  let done = 0;
  let errors = 0;
  let seq = 0;

  const count = (key: string, ok: boolean, sample?: string) => {
    statuses[key] = (statuses[key] ?? 0) + 1;
    if (!ok) {
      errors++;
      if (sample && errorSamples.length < 10) errorSamples.push(sample);
    }
  };

  const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)]!;
  const chooseOperation = (): Operation => {
    let r = Math.random();
    for (const [op, share] of Object.entries(MIX) as [Operation, number][]) {
      if (r < share) return op;
      r -= share;
    }
    return "list";
  };

  const one = async (): Promise<void> => {
    let op = chooseOperation();
    const session = pick(sessions);
    let issue: IssueState | undefined;
    if (op === "update") {
      issue = updatable.find((i) => i.session === session && !i.busy) ?? updatable.find((i) => !i.busy);
      if (!issue) op = "detail";
    }
    byOperation[op]++;
    const started = performance.now();
    try {
      let result: { status: number; json: unknown; text: string };
      let expected = 200;
      switch (op) {
        case "list":
          result = await call(session, "GET", `/api/v1/projects/issues?${pick(LIST_FILTERS)}`);
          break;
        case "detail":
          result = await call(session, "GET", `/api/v1/projects/issues/${pick(session.issueIds)}`);
          break;
        case "search": {
          const input = encodeURIComponent(JSON.stringify({ q: pick(SEARCH_WORDS), limit: 10 }));
          result = await call(session, "GET", `/trpc/system.search.query?input=${input}`);
          break;
        }
        case "comment": {
          const issueId = pick(session.issueIds);
          const marker = `load-${process.pid}-${++seq}`;
          result = await call(session, "POST", `/api/v1/projects/issues/${issueId}/comments`, {
            body: `Checked on site (${marker}).`,
            visibility: "internal",
          });
          expected = 201;
          if (result.status === 201)
            comments.push({ session, issueId, id: (result.json as { id: string }).id });
          break;
        }
        case "update": {
          const target = issue!;
          target.busy = true;
          const title = `Load check ${++seq}: projector flickers in room ${seq % 300}`;
          try {
            result = await call(target.session, "PATCH", `/api/v1/projects/issues/${target.id}`, {
              version: target.version,
              title,
            });
            if (result.status === 200) {
              target.version = (result.json as { version: number }).version;
              target.lastTitle = title;
            }
          } finally {
            target.busy = false;
          }
          break;
        }
      }
      latencies.push(performance.now() - started);
      const ok = result.status === expected;
      count(
        String(result.status),
        ok,
        ok ? undefined : `${op} ${result.status} ${result.text.slice(0, 160)}`,
      );
    } catch (error) {
      latencies.push(performance.now() - started);
      const name = (error as { code?: string; name?: string }).code ?? (error as Error).name ?? "Error";
      count(name, false, `${op} ${name}: ${(error as Error).message}`);
    } finally {
      done++;
    }
  };

  const started = performance.now();
  const total = Math.round(options.rate * options.seconds);
  const inFlight = new Set<Promise<void>>();
  const progress = setInterval(() => {
    options.onProgress?.({
      elapsedSeconds: Math.round((performance.now() - started) / 1000),
      sent,
      done,
      errors,
    });
  }, 1000);
  try {
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / options.rate;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      sent++;
      const p = one().finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
  } finally {
    clearInterval(progress);
  }
  const elapsed = (performance.now() - started) / 1000;

  // The Worker is alive, and every write it acknowledged reads back.
  let healthz: number | string;
  try {
    healthz = (await request(`${base}/healthz`, { dispatcher, signal: AbortSignal.timeout(timeoutMs) }))
      .statusCode;
  } catch (error) {
    healthz = (error as Error).message;
  }
  const missing: string[] = [];
  const byIssue = new Map<string, { session: Session; ids: Set<string> }>();
  for (const c of comments) {
    const entry = byIssue.get(c.issueId) ?? { session: c.session, ids: new Set<string>() };
    entry.ids.add(c.id);
    byIssue.set(c.issueId, entry);
  }
  for (const [issueId, { session, ids }] of byIssue) {
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=100&cursor=${encodeURIComponent(cursor)}` : "?limit=100";
      const page = await call(session, "GET", `/api/v1/projects/issues/${issueId}/comments${query}`);
      if (page.status !== 200) {
        missing.push(`comments of ${issueId}: ${page.status}`);
        break;
      }
      const body = page.json as { items: { id: string }[]; nextCursor?: string | null };
      for (const item of body.items) seen.add(item.id);
      cursor = body.nextCursor ?? null;
    } while (cursor);
    for (const id of ids) if (!seen.has(id)) missing.push(`comment ${id} on issue ${issueId}`);
  }
  let updates = 0;
  for (const issue of updatable) {
    if (!issue.lastTitle) continue;
    updates++;
    const read = await call(issue.session, "GET", `/api/v1/projects/issues/${issue.id}`);
    const body = read.json as { title?: string; version?: number };
    if (read.status !== 200 || body.title !== issue.lastTitle || body.version !== issue.version) {
      missing.push(`update of issue ${issue.id} (version ${issue.version})`);
    }
  }
  await dispatcher.close();

  const sorted = latencies.sort((a, b) => a - b);
  const made = comments.length + updates;
  return {
    rate: options.rate,
    seconds: options.seconds,
    sent,
    achievedRate: Math.round((done / elapsed) * 10) / 10,
    byOperation,
    statuses,
    errors,
    errorSamples,
    latencyMs: {
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: percentile(sorted, 100),
    },
    healthz,
    writes: { made, readBack: made - missing.length, missing: missing.slice(0, 20) },
  };
}

/** True when the run had no failed request, the Worker answered afterwards and every write read back. */
export function loadPassed(report: LoadReport): boolean {
  return report.errors === 0 && report.healthz === 200 && report.writes.missing.length === 0;
}

export function formatReport(report: LoadReport): string {
  const statuses = Object.entries(report.statuses)
    .map(([k, v]) => `${k}: ${v}`)
    .join(", ");
  const ops = Object.entries(report.byOperation)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  return [
    `rate ${report.rate} req/s for ${report.seconds} s: ${report.sent} requests (${ops})`,
    `completed at ${report.achievedRate} req/s; answers ${statuses}`,
    `errors ${report.errors}; latency p50 ${report.latencyMs.p50} ms, p95 ${report.latencyMs.p95} ms, p99 ${report.latencyMs.p99} ms, max ${report.latencyMs.max} ms`,
    `/healthz afterwards: ${report.healthz}; writes read back ${report.writes.readBack} of ${report.writes.made}`,
    ...report.errorSamples.map((s) => `  error: ${s}`),
    ...report.writes.missing.map((m) => `  missing: ${m}`),
  ].join("\n");
}
