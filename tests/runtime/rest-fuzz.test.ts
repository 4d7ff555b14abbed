import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { Validator } from "@cfworker/json-schema";
import type { Client } from "@libsql/client/web";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { openClient, tenantDatabase } from "../../db/client";
import { memberships } from "../../db/control/schema";
import { schools } from "../../db/tenant/schema";
import { type appErrorCodes, httpStatusOf } from "../../shared/errors";
import { newId } from "../../shared/ids";
import { defaultServiceLevels } from "../../shared/schemas/service-levels";
import worker from "../../worker/index";
import { restRoutes } from "../../worker/rest/routes";
import { jsonSchemaOf } from "../../worker/rest/schemas";
import { createUser } from "../support/fixtures";
import { markReauthenticated } from "./credentials-support";
import { type FuzzOperation, type FuzzRequest, malformedRequests, whyMalformed } from "./rest-fuzz-support";
import { rest, servedDocument } from "./rest-support";
import { control, member, ORIGIN, plane } from "./support";

/**
 * Every REST operation of the served OpenAPI document, fed malformed requests generated with fast-check,
 * as a member (the owner) of an organization with the data of a demo district: nothing answers 5xx, no
 * answer carries a stack trace, every error has the one error shape, and nothing is written.
 */

/** Fixed, so a failure can be reproduced; the failure report prints it. */
const SEED = 20261203;
const TOTAL_REQUESTS = 10_000;
/** Requests in flight at once (the Worker and sqld share two cores with everything else). */
const CONCURRENCY = 4;

type Member = Awaited<ReturnType<typeof member>>;
let owner: Member;
const ids: string[] = [];
/** A real value for each path parameter name, by operation template. */
const realPaths = new Map<string, Record<string, string>>();

const as = () => ({ token: owner.token, tenant: owner.tenant.slug });

async function created(method: string, template: string, body: unknown, params?: Record<string, string>) {
  const response = await rest(method, template, { ...as(), body, ...(params ? { params } : {}) });
  expect(response.status, `${method} ${template}: ${JSON.stringify(response.body)}`).toBeLessThan(300);
  if (typeof response.body?.id === "string") ids.push(response.body.id);
  return response.body;
}

/** An organization shaped like a demo district: schools, a help desk, groups, a catalog, issues of every kind with comments, links and watchers, service levels, a saved filter, an invitation. */
async function seedDistrict() {
  owner = await member("owner");
  const colleague = await createUser(control());
  await control().insert(memberships).values({
    id: newId(),
    userId: colleague.id,
    tenantId: owner.tenant.id,
    role: "member",
    createdAt: new Date(),
  });
  ids.push(owner.user.id, colleague.id);

  const db = tenantDatabase(openClient(plane().tenant(owner.tenant)));
  const now = new Date();
  const schoolRows = [
    { code: "2010", name: "Bluff View Elementary", level: "elementary" as const, lowGrade: 0, highGrade: 5 },
    { code: "3010", name: "Riverton Middle School", level: "middle" as const, lowGrade: 6, highGrade: 8 },
    { code: "4010", name: "Riverton High School", level: "high" as const, lowGrade: 9, highGrade: 12 },
  ].map((s) => ({ id: newId(), ...s, city: "Riverton", createdAt: now, updatedAt: now }));
  await db.insert(schools).values(schoolRows);
  ids.push(...schoolRows.map((s) => s.id));
  db.$client.close();

  const project = await created("POST", "/projects/projects", { key: "FUZZ", name: "Help desk" });
  const group = await created("POST", "/system/groups", {
    name: "Help Desk Technicians",
    description: "Field and bench technicians.\nThey take requests and incidents.",
  });
  await created(
    "POST",
    "/system/groups/{groupId}/members",
    { userIds: [colleague.id] },
    { groupId: group.id },
  );
  const category = await created("POST", "/projects/catalog/categories", {
    name: "Devices",
    description: "Chromebooks, laptops, projectors and printers.",
  });
  const requestType = await created("POST", "/projects/catalog/request-types", {
    categoryId: category.id,
    name: "Broken Chromebook",
    issueType: "repair",
    defaultProject: { scope: "tenant", id: project.id },
    defaultAssigneeGroupId: group.id,
    fields: [
      { key: "asset_tag", label: "Asset tag", kind: "text", required: true },
      { key: "damage", label: "Damage", kind: "select", options: ["Screen", "Keyboard", "Will not turn on"] },
    ],
  });
  const common = { projectScope: "tenant", projectId: project.id };
  const incident = await created("POST", "/projects/issues", {
    ...common,
    type: "incident",
    title: "Wi-Fi drops in the library",
    impact: "high",
    urgency: "medium",
    schoolId: schoolRows[0]!.id,
    tags: ["network"],
  });
  const repair = await created("POST", "/projects/issues", {
    ...common,
    type: "repair",
    title: "Chromebook screen cracked",
    requestTypeId: requestType.id,
    answers: { asset_tag: "RV-10442", damage: "Screen" },
    assigneeUserId: colleague.id,
  });
  const change = await created("POST", "/projects/issues", {
    ...common,
    type: "change",
    title: "Replace the core switch",
    details: { risk: "high", plannedStart: "2026-12-20T06:00:00Z", plannedEnd: "2026-12-20T09:00:00Z" },
  });
  const problem = await created("POST", "/projects/issues", {
    ...common,
    type: "known_problem",
    title: "Projectors lose signal over HDMI",
    details: { symptom: "The picture drops every few minutes.", workaround: "Use the VGA cable." },
  });
  await created("POST", "/projects/issues", {
    ...common,
    type: "service_request",
    title: "New staff account for a substitute",
    description: "Starts Monday.\nNeeds the gradebook.",
  });
  await created(
    "POST",
    "/projects/issues/{id}/transition",
    { version: incident.version, to: "triaged" },
    { id: incident.id },
  );
  const comment = await created(
    "POST",
    "/projects/issues/{issueId}/comments",
    { body: "Rebooted the access point; watching it." },
    { issueId: incident.id },
  );
  const link = await created("POST", "/projects/links", {
    fromIssueId: problem.id,
    toIssueId: incident.id,
    kind: "caused_by",
  });
  await created(
    "POST",
    "/projects/issues/{issueId}/watchers",
    { userIds: [colleague.id] },
    { issueId: repair.id },
  );
  const filter = await created("POST", "/projects/saved-filters", {
    name: "Open incidents",
    filters: { type: ["incident"] },
  });
  await created("PATCH", "/projects/service-levels", defaultServiceLevels);
  const invitation = await created("POST", "/system/invitations", {
    email: "new.teacher@example.org",
    role: "member",
  });
  ids.push(invitation.invitation.id);

  const byName: Record<string, string> = {
    issueId: incident.id,
    groupId: group.id,
    userId: colleague.id,
    scope: "tenant",
  };
  const idFor: Record<string, string> = {
    "/projects/attachments": incident.id,
    "/projects/catalog/categories": category.id,
    "/projects/catalog/request-types": requestType.id,
    "/projects/comments": comment.id,
    "/projects/issues": change.id,
    "/projects/links": link.id,
    "/projects/projects": project.id,
    "/projects/saved-filters": filter.id,
    "/system/groups": group.id,
    "/system/invitations": invitation.invitation.id,
  };
  for (const route of restRoutes()) {
    const values: Record<string, string> = {};
    for (const name of route.pathParams) {
      const prefix = route.path.slice(0, route.path.indexOf(`{${name}}`) - 1);
      values[name] = byName[name] ?? idFor[prefix] ?? incident.id;
    }
    realPaths.set(`${route.method} ${route.path}`, values);
  }
  // Procedures that need a recent password entry (removing members, say) get as far as their input.
  await markReauthenticated(owner.token);
}

// ——— Everything the run could have written ——————————————————————————————————————————————————

/** Columns that change on reads by design: a session's last use and sliding expiry (written at most every few minutes). */
const BOOKKEEPING: Record<string, string[]> = { sessions: ["last_used_at", "expires_at"] };

async function sha256(text: string): Promise<string> {
  const bytes = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A digest of every row of every table, by table (row order does not matter). */
async function digestOf(client: Client): Promise<Record<string, string>> {
  const tables = await client.execute(
    "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name",
  );
  const digests: Record<string, string> = {};
  for (const { name } of tables.rows) {
    const table = String(name);
    const result = await client.execute(`select * from "${table.replaceAll('"', '""')}"`);
    const columns = result.columns.filter((c) => !(BOOKKEEPING[table] ?? []).includes(c));
    const rows = result.rows
      .map((row) =>
        JSON.stringify(
          columns.map((c) => {
            const value = row[c];
            return value instanceof ArrayBuffer ? [...new Uint8Array(value)].join(",") : value;
          }),
        ),
      )
      .sort();
    digests[table] = `${rows.length}:${await sha256(rows.join("\n"))}`;
  }
  return digests;
}

async function snapshot() {
  const tenant = openClient(plane().tenant(owner.tenant));
  const controlClient = openClient(plane().control);
  try {
    return { tenant: await digestOf(tenant), control: await digestOf(controlClient) };
  } finally {
    tenant.close();
    controlClient.close();
  }
}

/** The state once the jobs the setup queued (notification email, indexes) have finished: two equal snapshots a second apart. */
async function settledSnapshot() {
  let previous = await snapshot();
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    const next = await snapshot();
    if (JSON.stringify(next) === JSON.stringify(previous)) return next;
    previous = next;
  }
  throw new Error("the databases did not settle after the setup");
}

// ——— The run ——————————————————————————————————————————————————————————————————————————————————

interface Outcome {
  request: FuzzRequest;
  operation: string;
  status: number;
  text: string;
  requestId: string | null;
}

const STACK_TRACE =
  /\n\s+at |\bat [\w$.<>]+ \(|\.(ts|js|mjs):\d+|node_modules|stack|sqlite|libsql|sqld|Failed query/i;

/** Why an answer is wrong, or null. */
function problemWith(outcome: Outcome, validateError: (body: unknown) => string[]): string | null {
  if (outcome.status >= 500) return `answered ${outcome.status}`;
  if (outcome.status < 400) return `answered ${outcome.status} to a malformed request`;
  if (STACK_TRACE.test(outcome.text))
    return "the body looks like it holds a stack trace or database internals";
  let body: { error?: { code?: string; requestId?: string } };
  try {
    body = JSON.parse(outcome.text);
  } catch {
    return "the body is not JSON";
  }
  const errors = validateError(body);
  if (errors.length > 0) return `the body is not the error shape: ${errors.join("; ")}`;
  if (httpStatusOf[body.error!.code as (typeof appErrorCodes)[number]] !== outcome.status)
    return `code ${body.error!.code} does not go with status ${outcome.status}`;
  if (body.error!.requestId !== outcome.requestId)
    return "the body's requestId is not the x-request-id header";
  return null;
}

function report(outcome: Outcome, problem: string): string {
  const { request } = outcome;
  const body = request.body ? new TextDecoder().decode(request.body) : "";
  return [
    `${outcome.operation} — ${problem}`,
    `  broken: ${request.broken}`,
    `  ${request.method} /api/v1${request.url.slice(0, 300)}`,
    `  headers: ${JSON.stringify(request.headers)}`,
    `  body (${body.length} chars): ${JSON.stringify(body.slice(0, 300))}`,
    `  answer ${outcome.status}: ${outcome.text.slice(0, 300)}`,
  ].join("\n");
}

/**
 * A request to the Worker's own fetch handler, in workerd, with the test's bindings (and its waitUntil work
 * awaited). Called directly rather than through SELF: vitest-pool-workers' SELF gets slower with every
 * request it has served (a /healthz takes ~4 ms at first and ~70 ms after 400), which 10,000 requests
 * cannot afford.
 */
async function send(request: FuzzRequest): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    new Request(`${ORIGIN}/api/v1${request.url}`, {
      method: request.method,
      headers: {
        authorization: `Bearer ${owner.token}`,
        "x-nexus-tenant": owner.tenant.slug,
        ...request.headers,
      },
      ...(request.body !== undefined ? { body: request.body as unknown as BodyInit } : {}),
    }) as never,
    env as never,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

let before: Awaited<ReturnType<typeof snapshot>>;

beforeAll(async () => {
  await seedDistrict();
  before = await settledSnapshot();
}, 120_000);

describe("every REST operation fed malformed requests", () => {
  it(`answers each of at least ${TOTAL_REQUESTS.toLocaleString("en-US")} with a 4xx in the one error shape, never a stack trace, and writes nothing`, async () => {
    const document = await servedDocument();
    const components = document.components.schemas as Record<string, Record<string, unknown>>;
    const validator = new Validator(
      { ...(components.Error as object), $defs: components } as never,
      "2020-12",
      false,
    );
    const validateError = (body: unknown) =>
      validator.validate(body).errors.map((e) => `${e.instanceLocation} ${e.error}`);

    const routes = new Map(restRoutes().map((r) => [r.procedure, r]));
    const operations: FuzzOperation[] = [];
    for (const [template, methods] of Object.entries(
      document.paths as Record<string, Record<string, { operationId: string }>>,
    )) {
      for (const [method, operation] of Object.entries(methods)) {
        const route = routes.get(operation.operationId)!;
        expect(route, operation.operationId).toBeDefined();
        operations.push({
          method: method.toUpperCase() as FuzzOperation["method"],
          template,
          route,
          input: route.input ? jsonSchemaOf(route.input, "input") : null,
          components,
        });
      }
    }
    expect(operations.length).toBe(restRoutes().length);

    const started = Date.now();
    const perOperation = Math.ceil(TOTAL_REQUESTS / operations.length);
    const failures: string[] = [];
    const statuses: Record<number, number> = {};
    let sent = 0;
    // The Worker logs a line per request; ten thousand of them would only slow the run down.
    const log = console.log;
    console.log = () => {};
    try {
      for (const [index, operation] of operations.entries()) {
        // Generated one operation at a time, so the huge bodies never pile up in memory.
        const realPath = realPaths.get(`${operation.method} ${operation.template}`) ?? {};
        const requests = fc.sample(malformedRequests(operation, { ids }, realPath, ORIGIN), {
          seed: SEED + index,
          numRuns: perOperation,
        });
        for (const request of requests) {
          // The generator's own promise, checked again: the request cannot succeed.
          expect(whyMalformed(operation, request, ORIGIN), request.broken).not.toBeNull();
        }
        let next = 0;
        await Promise.all(
          Array.from({ length: CONCURRENCY }, async () => {
            while (next < requests.length) {
              const request = requests[next++]!;
              const response = await send(request);
              const outcome: Outcome = {
                request,
                operation: `${operation.method} ${operation.template}`,
                status: response.status,
                text: await response.text(),
                requestId: response.headers.get("x-request-id"),
              };
              sent++;
              statuses[outcome.status] = (statuses[outcome.status] ?? 0) + 1;
              const problem = problemWith(outcome, validateError);
              if (problem) failures.push(report(outcome, problem));
            }
          }),
        );
      }
    } finally {
      console.log = log;
    }
    const seconds = Math.round((Date.now() - started) / 1000);

    expect(
      failures.slice(0, 10),
      `${failures.length} of ${sent} answers were wrong (seed ${SEED}; ${seconds} s; statuses ${JSON.stringify(statuses)})`,
    ).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(TOTAL_REQUESTS);
    // The requests got past authentication to the input checks, rather than being turned away at the door.
    expect(statuses[401] ?? 0).toBe(0);
    expect(statuses[400] ?? 0).toBeGreaterThan(sent * 0.8);

    const after = await snapshot();
    expect(after.tenant, `the organization's tables after the run (seed ${SEED})`).toEqual(before.tenant);
    expect(after.control, `the control database's tables after the run (seed ${SEED})`).toEqual(
      before.control,
    );
  }, 300_000);

  it("would notice a write: one valid request changes the digest and the audit log", async () => {
    const quiet = await snapshot();
    await created("POST", "/system/groups", { name: "Network Team" });
    const changed = await snapshot();
    expect(changed.tenant.groups).not.toBe(quiet.tenant.groups);
    expect(changed.tenant.audit_log).not.toBe(quiet.tenant.audit_log);
  });
});
