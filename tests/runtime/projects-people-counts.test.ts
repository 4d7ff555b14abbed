import { beforeAll, describe, expect, it } from "vitest";
import { personalAccessToken, rest } from "./rest-support";
import { member } from "./support";

let owner: Awaited<ReturnType<typeof member>>;
let pat: string;

const as = () => ({ token: pat, tenant: owner.tenant.slug });

beforeAll(async () => {
  owner = await member("owner");
  pat = await personalAccessToken(owner.token, owner.tenant.slug, [
    "projects.read",
    "projects.write",
    "projects.admin",
  ]);
});

describe("the people picker and the issue counts over REST", () => {
  it("finds the organization's members at GET /projects/people, and refuses a long query with 400", async () => {
    const found = await rest("GET", "/projects/people", {
      ...as(),
      query: `q=${encodeURIComponent(owner.user.email)}`,
    });
    expect(found.status, JSON.stringify(found.body)).toBe(200);
    expect(found.body.users.map((u: { id: string }) => u.id)).toEqual([owner.user.id]);
    expect(found.body.groups).toEqual([]);

    const long = await rest("GET", "/projects/people", { ...as(), query: `q=${"x".repeat(101)}` });
    expect(long.status).toBe(400);
    expect(long.body.error.fieldErrors).toHaveProperty("q");
    const many = await rest("GET", "/projects/people", { ...as(), query: "limit=26" });
    expect(many.status).toBe(400);
    expect(many.body.error.fieldErrors).toHaveProperty("limit");
  });

  it("counts the organization's issues at GET /projects/issues/counts", async () => {
    const project = await rest("POST", "/projects/projects", {
      ...as(),
      body: { key: "CNT", name: "Counted" },
    });
    expect(project.status, JSON.stringify(project.body)).toBe(201);
    const filed = await rest("POST", "/projects/issues", {
      ...as(),
      body: {
        projectScope: "tenant",
        projectId: project.body.id,
        type: "service_request",
        title: "Count me",
        priority: "high",
      },
    });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    expect(filed.body.names.requester).toEqual({ id: owner.user.id, name: expect.any(String) });

    const counts = await rest("GET", "/projects/issues/counts", {
      ...as(),
      query: `projectScope=tenant&projectId=${project.body.id}`,
    });
    expect(counts.status, JSON.stringify(counts.body)).toBe(200);
    expect(counts.body).toMatchObject({
      byStatusCategory: { open: 1, resolved: 0, closed: 0 },
      byPriority: { critical: 0, high: 1, medium: 0, low: 0 },
      total: 1,
    });
    expect(counts.body.byType.service_request).toBe(1);

    const unscoped = await rest("GET", "/projects/issues/counts", {
      ...as(),
      query: `projectId=${project.body.id}`,
    });
    expect(unscoped.status).toBe(400);
    expect(unscoped.body.error.fieldErrors).toHaveProperty("projectScope");
  });
});
