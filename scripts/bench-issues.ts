/**
 * `npx tsx scripts/bench-issues.ts`: the issue list at district-help-desk scale. Seeds one tenant database
 * with 100 000 issues (multi-row INSERTs in batch(), with their search documents), then measures p50/p95
 * over ≥ 200 runs each of the reads the Projects package serves — through the same service functions the
 * procedures call — and prints their query plans. Target: p95 < 25 ms locally, every read on an index.
 * Runs its own sqld in a temporary directory, removed at the end; gives up after BENCH_ISSUES_DEADLINE_S.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { controlDatabase, openClient, tenantDatabase } from "../db/client";
import { sharedProjects } from "../db/control/schema";
import { controlMigrations } from "../db/migrations/control/bundle";
import { tenantMigrations } from "../db/migrations/tenant/bundle";
import { migrate } from "../db/migrator";
import { LocalProvisioner } from "../db/provisioning/local";
import { projects } from "../db/tenant/schema";
import { newId } from "../shared/ids";
import type { IssueType, Priority } from "../shared/schemas/issue-model";
import type { ListIssuesInput } from "../shared/schemas/issues";
import { slaDueDates, workflows } from "../shared/schemas/workflows";
import { insertIssueRows, issueRow } from "../worker/packages/projects/issues/bulk-load";
import { explainIssueList, listIssues } from "../worker/packages/projects/issues/list";
import type { IssueRow } from "../worker/packages/projects/issues/rows";
import { searchDocuments } from "../worker/search/search";
import { type RunningSqld, startSqld } from "./lib/sqld";

const ISSUES = Number(process.env.BENCH_ISSUES ?? 100_000);
const RUNS = Math.max(200, Number(process.env.BENCH_ISSUES_RUNS ?? 300));
const DEADLINE_S = Number(process.env.BENCH_ISSUES_DEADLINE_S ?? 600);
const TARGET_P95_MS = 25;

// ——— A deterministic, realistic data set ———————————————————————————————————————————————————————

let seed = 42;
const random = () => {
  // mulberry32
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
function weighted<T>(entries: readonly (readonly [T, number])[]): T {
  let r = random() * entries.reduce((s, [, w]) => s + w, 0);
  for (const [value, w] of entries) {
    r -= w;
    if (r <= 0) return value;
  }
  return entries[entries.length - 1]![0];
}

const devices = [
  "Chromebook",
  "projector",
  "printer",
  "iPad",
  "document camera",
  "smartboard",
  "laptop",
  "phone",
  "badge reader",
  "access point",
  "copier",
  "desktop",
  "monitor",
  "speaker",
  "HVAC unit",
];
const problems = [
  "not charging",
  "shows no signal",
  "jams on cardstock",
  "cracked screen",
  "will not power on",
  "keeps disconnecting",
  "running slow",
  "needs replacing",
  "missing from the cart",
  "makes a grinding noise",
  "will not print duplex",
  "lost calibration",
  "overheating",
  "stuck updating",
];
const places = [
  "room 204",
  "the library",
  "the gym",
  "the front office",
  "lab 3",
  "the cafeteria",
  "room 118",
  "the band room",
  "the nurse's office",
  "hallway B",
  "the MDF",
  "the board room",
];
const schools = [
  "Riverton High",
  "Bluff View Elementary",
  "Cedar Ridge Elementary",
  "Mill Creek Elementary",
  "Lincoln Elementary",
  "Riverton Middle",
];
const tagPool = [
  "chromebook",
  "projector",
  "printing",
  "network",
  "wifi",
  "accounts",
  "classroom-av",
  "hvac",
  "phones",
  "security",
  "onboarding",
  "software",
];

const typeWeights = [
  ["service_request", 45],
  ["incident", 25],
  ["repair", 15],
  ["change", 5],
  ["known_problem", 5],
  ["post_incident_analysis", 5],
] as const satisfies readonly (readonly [IssueType, number])[];
const priorityWeights = [
  ["critical", 3],
  ["high", 17],
  ["medium", 50],
  ["low", 30],
] as const satisfies readonly (readonly [Priority, number])[];

function generate(count: number, projectIds: string[], people: string[], groups: string[]): IssueRow[] {
  const now = Date.now();
  const span = 3 * 365 * 86_400_000;
  const rows: IssueRow[] = [];
  for (let i = 0; i < count; i++) {
    // Filed in order over three years: numbers follow filing time.
    const createdAt = new Date(now - span + Math.floor((i / count) * span));
    const type = weighted(typeWeights);
    const wf = workflows[type];
    const recent = now - createdAt.getTime() < 30 * 86_400_000;
    // Old work is finished; recent work is spread over the workflow.
    const status = recent || random() < 0.03 ? pick(wf.statuses).key : wf.close;
    const category = wf.statuses.find((s) => s.key === status)!.category;
    const priority = weighted(priorityWeights);
    const updatedAt = new Date(Math.min(now, createdAt.getTime() + Math.floor(random() * 20 * 86_400_000)));
    const device = pick(devices);
    const place = pick(places);
    const problem = pick(problems);
    rows.push(
      issueRow({
        number: i + 1,
        projectScope: i % 3 === 0 ? "shared" : "tenant",
        projectId: i % 3 === 0 ? projectIds[1 + (i % 2)]! : projectIds[0]!,
        type,
        title: `${device[0]!.toUpperCase()}${device.slice(1)} ${problem} in ${place}`,
        description: `At ${pick(schools)}: the ${device} in ${place} ${problem}. Reported by staff during ${pick(["first period", "lunch", "testing", "the staff meeting", "after school"])}.`,
        status,
        priority,
        impact: type === "incident" ? pick(["high", "medium", "low"] as const) : null,
        urgency: type === "incident" ? pick(["high", "medium", "low"] as const) : null,
        requesterId: pick(people),
        assigneeUserId: random() < 0.85 ? pick(people.slice(0, 40)) : null,
        assigneeGroupId: random() < 0.7 ? pick(groups) : null,
        tags: random() < 0.6 ? [pick(tagPool)] : [],
        details: type === "repair" ? { fault: problem, assetId: `A-${10_000 + i}` } : {},
        ...slaDueDates(priority, createdAt),
        respondedAt: status === wf.initial ? null : new Date(createdAt.getTime() + 3_600_000),
        resolvedAt: category === "open" ? null : updatedAt,
        closedAt: category === "closed" ? updatedAt : null,
        createdAt,
        updatedAt,
      }),
    );
  }
  return rows;
}

// ——— Measuring ——————————————————————————————————————————————————————————————————————————————

interface Figures {
  name: string;
  p50: number;
  p95: number;
  rows: number;
}

async function measure(
  name: string,
  run: (i: number) => Promise<number>,
  deadline: number,
): Promise<Figures> {
  for (let i = 0; i < 20; i++) await run(i); // warm up
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < RUNS; i++) {
    if (Date.now() > deadline) throw new Error(`out of time while measuring "${name}"`);
    const started = performance.now();
    rows = await run(i);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { name, p50: at(0.5), p95: at(0.95), rows };
}

async function main() {
  const deadline = Date.now() + DEADLINE_S * 1000;
  const dataDir = mkdtempSync(join(tmpdir(), "nexus-bench-issues-"));
  let sqld: RunningSqld | undefined;
  try {
    console.log(`Starting sqld in ${dataDir}…`);
    sqld = await startSqld({ dataDir });
    const provisioner = new LocalProvisioner(sqld.adminUrl, fetch, sqld.url);
    await provisioner.createDatabase("control");
    await provisioner.createDatabase("bench-tenant");
    const controlClient = openClient({ url: sqld.url, namespace: "control" });
    const tenantClient = openClient({ url: sqld.url, namespace: "bench-tenant" });
    await migrate(controlClient, controlMigrations);
    await migrate(tenantClient, tenantMigrations);
    const control = controlDatabase(controlClient);
    const db = tenantDatabase(tenantClient);

    const now = new Date();
    const help = { id: newId(), key: "HELP", name: "Help Desk", createdAt: now, updatedAt: now };
    const shared = [
      { id: newId(), key: "TECH", name: "Technology Service", createdAt: now, updatedAt: now },
      { id: newId(), key: "MAINT", name: "Maintenance Service", createdAt: now, updatedAt: now },
    ];
    await db.insert(projects).values(help);
    await control.insert(sharedProjects).values(shared);
    const people = Array.from({ length: 2000 }, () => newId());
    const groups = Array.from({ length: 8 }, () => newId());

    console.log(
      `Generating and loading ${ISSUES.toLocaleString("en-US")} issues with their search documents…`,
    );
    const rows = generate(ISSUES, [help.id, shared[0]!.id, shared[1]!.id], people, groups);
    const loadStarted = performance.now();
    await insertIssueRows(
      db,
      rows,
      new Map([[help.id, "HELP"], ...shared.map((p) => [p.id, p.key] as [string, string])]),
    );
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    console.log(
      `Loaded in ${loadSeconds.toFixed(1)} s (${Math.round(ISSUES / loadSeconds).toLocaleString("en-US")} issues/s).`,
    );

    const ctx = { db, control };
    const filtered: ListIssuesInput = {
      filters: { status: ["new", "triaged", "in_progress"], priority: ["critical", "high"] },
      limit: 50,
    };
    const firstPage = await listIssues(ctx, { limit: 50 }, now);
    const pageTwo: ListIssuesInput = { limit: 50, cursor: firstPage.nextCursor! };
    const searchTerms = [
      "projector",
      "printer jam",
      "chromebook charging",
      "badge reader",
      "cracked screen",
      "wifi",
    ];
    const extra: Record<string, ListIssuesInput> = {
      "list: broad filter (status closed)": { filters: { status: ["closed"] }, limit: 50 },
      "list: one assignee's open work": {
        filters: { assigneeUserId: people[3]!, status: ["new", "in_progress"] },
        limit: 50,
      },
      "list: a project, by priority": {
        filters: { projectScope: "tenant", projectId: help.id },
        sort: { field: "priority" },
        limit: 50,
      },
      "list: breached, soonest due first": {
        filters: { breached: true },
        sort: { field: "resolutionDueAt", direction: "asc" },
        limit: 50,
      },
      "list: full-text filter + sort": { filters: { search: "projector" }, limit: 50 },
    };

    console.log(`Measuring (${RUNS} runs each)…`);
    const figures: Figures[] = [];
    const targets = new Set<string>();
    const target = (f: Figures) => {
      targets.add(f.name);
      figures.push(f);
    };
    target(
      await measure(
        "list: status + priority",
        async () => (await listIssues(ctx, filtered, now)).items.length,
        deadline,
      ),
    );
    target(
      await measure(
        "list: updatedAt desc, page 2 (cursor)",
        async () => (await listIssues(ctx, pageTwo, now)).items.length,
        deadline,
      ),
    );
    target(
      await measure(
        "full-text search (global)",
        async (i) => (await searchDocuments(db, searchTerms[i % searchTerms.length]!, { limit: 20 })).length,
        deadline,
      ),
    );
    for (const [name, input] of Object.entries(extra)) {
      figures.push(
        await measure(name, async () => (await listIssues(ctx, input, now)).items.length, deadline),
      );
    }

    const mark = (f: Figures) =>
      !targets.has(f.name) ? "" : f.p95 < TARGET_P95_MS ? "meets target" : "MISSES target";
    console.log(
      [
        "",
        `Issues benchmark — ${ISSUES.toLocaleString("en-US")} issues in one tenant database`,
        "─────────────────────────────────────────────────────────────────────────────",
        ...figures.map(
          (f) =>
            `${f.name.padEnd(40)} p50 ${f.p50.toFixed(2).padStart(6)} ms   p95 ${f.p95.toFixed(2).padStart(6)} ms   ${String(f.rows).padStart(3)} rows   ${mark(f)}`,
        ),
        `(target: p95 < ${TARGET_P95_MS} ms for the first three)`,
        "",
        "Query plans",
        "───────────",
      ].join("\n"),
    );
    const plans: [string, ListIssuesInput][] = [
      ["list: status + priority", filtered],
      ["list: updatedAt desc, page 2 (cursor)", pageTwo],
      ...Object.entries(extra),
    ];
    for (const [name, input] of plans) {
      console.log(name);
      for (const { mode, plan } of await explainIssueList(db, input, now))
        console.log(`  [${mode}] ${plan.join(" → ")}`);
    }
    const ftsPlan = await tenantClient.execute({
      sql: `EXPLAIN QUERY PLAN SELECT search_keys.object_type, search_keys.object_id
            FROM search_documents JOIN search_keys ON search_keys.id = search_documents.rowid
            WHERE search_documents MATCH ? ORDER BY bm25(search_documents, 10.0, 1.0) LIMIT 20`,
      args: ['"projector"'],
    });
    console.log(`full-text search (global)\n  ${ftsPlan.rows.map((r) => String(r.detail)).join(" → ")}\n`);
    controlClient.close();
    tenantClient.close();
  } finally {
    await sqld?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`Issue benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
