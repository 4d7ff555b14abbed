import { describe, expect, it } from "vitest";
import { trpcMutation } from "./credentials-support";
import { rest } from "./rest-support";
import { member, trpcQuery } from "./support";

async function newSchool(owner: Awaited<ReturnType<typeof member>>, code: string) {
  const opened = await trpcMutation(
    "education.schools.open",
    { code, name: `Lakeside ${code}`, level: "high", lowGrade: 9, highGrade: 12, on: "2020-08-17" },
    { token: owner.token, tenant: owner.tenant.slug },
  );
  expect(opened.status, JSON.stringify(opened.body)).toBe(200);
  return opened.body.result.data as { id: string; status: string };
}

describe("the schools' lifecycle procedures", () => {
  it("let administrators open, close and reopen a school, over tRPC and REST alike", async () => {
    const owner = await member("owner");
    const school = await newSchool(owner, "4101");
    const closed = await rest("POST", "/education/schools/{id}/close", {
      token: owner.token,
      tenant: owner.tenant.slug,
      params: { id: school.id },
      body: { on: "2025-06-01", reason: "Building sold" },
    });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ id: school.id, status: "closed", closedOn: "2025-06-01" });
    const listed = await trpcQuery(
      "education.schools.list",
      { status: "closed", search: "4101" },
      { token: owner.token, tenant: owner.tenant.slug },
    );
    expect(listed.body.result.data.items.map((s: { id: string }) => s.id)).toEqual([school.id]);
    const reopened = await trpcMutation(
      "education.schools.reopen",
      { id: school.id, on: "2025-08-18", reason: "Bought back" },
      { token: owner.token, tenant: owner.tenant.slug },
    );
    expect(reopened.body.result.data).toMatchObject({ status: "open", closedOn: null });
  });

  it("refuse members of the organization, who may only read its schools", async () => {
    const staff = await member("member");
    for (const [path, input] of [
      ["education.schools.close", { id: "any-school", on: "2025-06-01", reason: "No" }],
      ["education.schools.reopen", { id: "any-school", on: "2025-06-01", reason: "No" }],
      [
        "education.schools.open",
        { code: "4202", name: "Nope", level: "high", lowGrade: 9, highGrade: 12, on: "2020-08-17" },
      ],
    ] as const) {
      const refused = await trpcMutation(path, input, { token: staff.token, tenant: staff.tenant.slug });
      expect(refused.status, path).toBe(403);
    }
    const read = await trpcQuery(
      "education.schools.list",
      {},
      { token: staff.token, tenant: staff.tenant.slug },
    );
    expect(read.status).toBe(200);
  });
});
