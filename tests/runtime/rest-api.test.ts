import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { TENANT_HEADER } from "../../shared/transport";
import { expectDocumented, personalAccessToken, rest, servedDocument } from "./rest-support";
import { member, ORIGIN } from "./support";

const ALL_SCOPES = [
  "projects.read",
  "projects.write",
  "projects.admin",
  "system.read",
  "system.admin",
  "education.read",
];

let owner: Awaited<ReturnType<typeof member>>;
let pat: string;
let projectId: string;

const as = () => ({ token: pat, tenant: owner.tenant.slug });

function incident(title: string) {
  return { projectScope: "tenant", projectId, type: "incident", title, impact: "medium", urgency: "high" };
}

async function fileIssue(title: string) {
  const created = await rest("POST", "/projects/issues", { ...as(), body: incident(title) });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

beforeAll(async () => {
  owner = await member("owner");
  pat = await personalAccessToken(owner.token, owner.tenant.slug, ALL_SCOPES);
  const project = await rest("POST", "/projects/projects", {
    ...as(),
    body: { key: "REST", name: "REST desk" },
  });
  expect(project.status, JSON.stringify(project.body)).toBe(201);
  projectId = project.body.id;
});

describe("the REST layer's document", () => {
  it("is served to anyone at /api/v1/openapi.json as OpenAPI 3.1", async () => {
    const doc = await servedDocument();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers).toEqual([{ url: "/api/v1" }]);
    expect(Object.keys(doc.paths)).toContain("/projects/issues/{id}/transition");
  });

  it("is strict enough to refuse an answer that is not as documented", async () => {
    await expect(expectDocumented("GET", "/projects/issues/{id}", 200, { id: 42 })).rejects.toThrow();
    await expect(expectDocumented("GET", "/projects/issues/{id}", 404, { error: {} })).rejects.toThrow();
  });
});

describe("issues over REST with a personal access token", () => {
  it("creates an issue with 201 and reads it back", async () => {
    const issue = await fileIssue("Projector in room 12 shows no picture");
    expect(issue).toMatchObject({ type: "incident", status: "new", priority: "high", version: 1 });
    const read = await rest("GET", "/projects/issues/{id}", { ...as(), params: { id: issue.id } });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(issue);
  });

  it("lists issues with filters as query parameters, arrays as repeated parameters", async () => {
    const issue = await fileIssue("Wi-Fi drops in the library");
    const base = `filters.projectScope=tenant&filters.projectId=${projectId}`;
    const matching = await rest("GET", "/projects/issues", {
      ...as(),
      query: `${base}&filters.type=incident&filters.type=change&filters.priority=high&sort.field=number&sort.direction=asc&limit=100`,
    });
    expect(matching.status).toBe(200);
    expect(matching.body.items.map((i: { id: string }) => i.id)).toContain(issue.id);
    const numbers = matching.body.items.map((i: { number: number }) => i.number);
    expect(numbers).toEqual([...numbers].sort((x, y) => x - y));

    const none = await rest("GET", "/projects/issues", { ...as(), query: `${base}&filters.priority=low` });
    expect(none.status).toBe(200);
    expect(none.body.items).toEqual([]);

    const page = await rest("GET", "/projects/issues", { ...as(), query: `${base}&limit=1` });
    expect(page.body.items).toHaveLength(1);
    expect(page.body.nextCursor).toEqual(expect.any(String));
    const next = await rest("GET", "/projects/issues", {
      ...as(),
      query: `${base}&limit=1&cursor=${encodeURIComponent(page.body.nextCursor)}`,
    });
    expect(next.status).toBe(200);
    expect(next.body.items[0].id).not.toBe(page.body.items[0].id);
  });

  it("refuses malformed filters and unknown parameters with 400 and field errors", async () => {
    const bad = await rest("GET", "/projects/issues", { ...as(), query: "filters.priority=urgentish" });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fieldErrors)).toEqual(["filters.priority.0"]);
    const unknown = await rest("GET", "/projects/issues", { ...as(), query: "colour=red" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fieldErrors).toHaveProperty("colour");
  });

  it("updates with the version read (200) and answers a stale version with 409", async () => {
    const issue = await fileIssue("Bell schedule is off by a minute");
    const updated = await rest("PATCH", "/projects/issues/{id}", {
      ...as(),
      params: { id: issue.id },
      body: { version: issue.version, title: "Bell schedule is off by two minutes", tags: ["bells"] },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ title: "Bell schedule is off by two minutes", version: 2 });
    const stale = await rest("PATCH", "/projects/issues/{id}", {
      ...as(),
      params: { id: issue.id },
      body: { version: issue.version, title: "Lost update" },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: "CONFLICT", reason: "stale_version" });
  });

  it("moves an issue along its workflow (200) and refuses a transition the workflow lacks (400)", async () => {
    const issue = await fileIssue("Door badge reader is dead");
    const moved = await rest("POST", "/projects/issues/{id}/transition", {
      ...as(),
      params: { id: issue.id },
      body: { version: issue.version, to: "triaged" },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.status).toBe("triaged");
    const invalid = await rest("POST", "/projects/issues/{id}/transition", {
      ...as(),
      params: { id: issue.id },
      body: { version: moved.body.version, to: "closed" },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toMatchObject({ code: "BAD_REQUEST", reason: "invalid_transition" });
  });

  it("archives and restores an issue with POST actions and no body", async () => {
    const issue = await fileIssue("Old ticket");
    const archived = await rest("POST", "/projects/issues/{id}/archive", {
      ...as(),
      params: { id: issue.id },
    });
    expect(archived.status).toBe(200);
    expect(archived.body.archived).toBe(true);
    const restored = await rest("POST", "/projects/issues/{id}/restore", {
      ...as(),
      params: { id: issue.id },
    });
    expect(restored.status).toBe(200);
    expect(restored.body.archived).toBe(false);
  });

  it("links two issues and removes the link with DELETE", async () => {
    const from = await fileIssue("Printer jams");
    const to = await fileIssue("Printer jams again");
    const link = await rest("POST", "/projects/links", {
      ...as(),
      body: { fromIssueId: from.id, toIssueId: to.id, kind: "duplicates" },
    });
    expect(link.status).toBe(201);
    const listed = await rest("GET", "/projects/issues/{issueId}/links", {
      ...as(),
      params: { issueId: from.id },
    });
    expect(listed.body.items.map((l: { id: string }) => l.id)).toEqual([link.body.id]);
    const removed = await rest("DELETE", "/projects/links/{id}", { ...as(), params: { id: link.body.id } });
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ id: link.body.id, deleted: true });
    const after = await rest("GET", "/projects/issues/{issueId}/links", {
      ...as(),
      params: { issueId: from.id },
    });
    expect(after.body.items).toEqual([]);
  });

  it("comments, watches and lists the activity of an issue under its path", async () => {
    const issue = await fileIssue("Smartboard pen missing");
    const comment = await rest("POST", "/projects/issues/{issueId}/comments", {
      ...as(),
      params: { issueId: issue.id },
      body: { body: "Checked the cupboard.", visibility: "public" },
    });
    expect(comment.status).toBe(201);
    expect(comment.body.issueId).toBe(issue.id);
    const watch = await rest("POST", "/projects/issues/{issueId}/watch", {
      ...as(),
      params: { issueId: issue.id },
    });
    expect(watch.body).toEqual({ watching: true });
    const activity = await rest("GET", "/projects/issues/{issueId}/activity", {
      ...as(),
      params: { issueId: issue.id },
      query: "order=desc&limit=10",
    });
    expect(activity.status).toBe(200);
    expect(activity.body.items.some((i: { kind: string }) => i.kind === "comment")).toBe(true);
  });

  it("serves the System and Education reads programmatic clients need", async () => {
    const me = await rest("GET", "/system/me", { token: pat });
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(owner.user.id);
    const users = await rest("GET", "/system/users", { ...as() });
    expect(users.status).toBe(200);
    const user = await rest("GET", "/system/users/{userId}", { ...as(), params: { userId: owner.user.id } });
    expect(user.status).toBe(200);
    const schools = await rest("GET", "/education/schools", { ...as(), query: "limit=5" });
    expect(schools.status).toBe(200);
    const audit = await rest("GET", "/system/audit", { ...as() });
    expect(audit.status).toBe(200);
  });
});

describe("REST refusals", () => {
  it("applies a token's scopes: a read-only token reads (200) and may not create (403)", async () => {
    const readOnly = await personalAccessToken(owner.token, owner.tenant.slug, ["projects.read"]);
    const who = { token: readOnly, tenant: owner.tenant.slug };
    expect((await rest("GET", "/projects/issues", who)).status).toBe(200);
    const refused = await rest("POST", "/projects/issues", { ...who, body: incident("Not allowed") });
    expect(refused.status).toBe(403);
    expect(refused.body.error.reason).toBe("insufficient_scope");
  });

  it("answers another organization's ids with 404", async () => {
    const issue = await fileIssue("Only ours");
    const other = await member("owner");
    const otherPat = await personalAccessToken(other.token, other.tenant.slug, ALL_SCOPES);
    const who = { token: otherPat, tenant: other.tenant.slug };
    const read = await rest("GET", "/projects/issues/{id}", { ...who, params: { id: issue.id } });
    expect(read.status).toBe(404);
    const changed = await rest("PATCH", "/projects/issues/{id}", {
      ...who,
      params: { id: issue.id },
      body: { version: 1, title: "Taken over" },
    });
    expect(changed.status).toBe(404);
    expect(JSON.stringify([read.body, changed.body])).not.toContain(issue.title);
    // Naming the first organization with the second's token: that token is for another organization.
    const crossed = await rest("GET", "/projects/issues/{id}", {
      token: otherPat,
      tenant: owner.tenant.slug,
      params: { id: issue.id },
    });
    expect(crossed.status).toBe(404);
  });

  it("answers a tenant route without the organization header with 400", async () => {
    const response = await rest("GET", "/projects/issues", { token: pat });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("BAD_REQUEST");
  });

  it("answers no credential with 401", async () => {
    const response = await rest("GET", "/projects/issues", { tenant: owner.tenant.slug });
    expect(response.status).toBe(401);
  });

  it("answers malformed JSON, a body that is not an object, and invalid input with 400, never 500", async () => {
    const malformed = await rest("POST", "/projects/issues", { ...as(), rawBody: '{"title": "oops' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(/not valid JSON/);
    const array = await rest("POST", "/projects/issues", { ...as(), body: [incident("In an array")] });
    expect(array.status).toBe(400);
    const text = await rest("POST", "/projects/issues", {
      ...as(),
      rawBody: "title=plain",
      headers: { "content-type": "text/plain" },
    });
    expect(text.status).toBe(400);
    const invalid = await rest("POST", "/projects/issues", {
      ...as(),
      body: { ...incident(""), impact: "enormous" },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.fieldErrors).toBeDefined();
  });

  it("refuses a cookie-carrying write without Nexus's Origin (403) and accepts it with it", async () => {
    const headers = { cookie: `nexus_session=${owner.token}` };
    const refused = await rest("POST", "/projects/issues", {
      tenant: owner.tenant.slug,
      headers,
      body: incident("From a cookie"),
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.reason).toBe("cross_site_request");
    const accepted = await rest("POST", "/projects/issues", {
      tenant: owner.tenant.slug,
      headers: { ...headers, origin: ORIGIN },
      body: incident("From a cookie"),
    });
    expect(accepted.status).toBe(201);
  });

  it("refuses a bearer write that carries another site's Origin (403), and takes it without one", async () => {
    const title = "Xylophone cart from another site";
    const found = async () => {
      const listed = await rest("GET", "/projects/issues", { ...as(), query: "filters.search=Xylophone" });
      expect(listed.status).toBe(200);
      return listed.body.items.map((issue: { title: string }) => issue.title);
    };
    const refused = await rest("POST", "/projects/issues", {
      ...as(),
      headers: { origin: "https://evil.example" },
      body: incident(title),
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.reason).toBe("cross_site_request");
    expect(await found()).toEqual([]);
    const accepted = await rest("POST", "/projects/issues", { ...as(), body: incident(title) });
    expect(accepted.status).toBe(201);
    expect(await found()).toEqual([title]);
  });

  it("answers an unknown REST route with the JSON 404", async () => {
    const response = await SELF.fetch(`${ORIGIN}/api/v1/projects/nothing-here`, {
      headers: { authorization: `Bearer ${pat}`, [TENANT_HEADER]: owner.tenant.slug },
    });
    expect(response.status).toBe(404);
    const body = await response.json();
    expect(body).toMatchObject({ error: { code: "NOT_FOUND" } });
    await expectDocumented("GET", "/projects/issues/{id}", 404, body);
  });
});
