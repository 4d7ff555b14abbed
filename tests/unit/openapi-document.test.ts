import { readFileSync } from "node:fs";
import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "../../worker/rest/openapi";
import { restRoutes } from "../../worker/rest/routes";
import { inputFromQuery, queryFieldsOf, schemasOf } from "../../worker/rest/schemas";
import type { ProcedureMeta } from "../../worker/trpc/init";
import { appRouter } from "../../worker/trpc/router";

const document = buildOpenApiDocument();
type Operation = {
  operationId: string;
  tags: string[];
  parameters?: { $ref?: string; name?: string; in?: string }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { $ref?: string; content?: Record<string, { schema: unknown }> }>;
};
const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods as Record<string, Operation>).map(([method, operation]) => ({
    path,
    method,
    operation,
  })),
);

const procedures = Object.entries(
  (appRouter as unknown as { _def: { procedures: Record<string, { _def: { meta?: ProcedureMeta } }> } })._def
    .procedures,
);

describe("the OpenAPI document of the REST layer", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const result = await new Validator().validate(structuredClone(document) as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe("3.1.0");
  });

  it("has a valid JSON Schema 2020-12 for every body, parameter and response", () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addSchema({ $id: "urn:nexus:openapi", components: document.components } as never);
    const refToUrn = (schema: unknown) =>
      JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"urn:nexus:openapi#/components/'));
    let compiled = 0;
    for (const { operation } of operations) {
      const schemas = [
        ...Object.values(operation.requestBody?.content ?? {}).map((c) => c.schema),
        ...(operation.parameters ?? []).flatMap((p) => ("schema" in p ? [p.schema] : [])),
        ...Object.values(operation.responses).flatMap((r) =>
          Object.values(r.content ?? {}).map((c) => c.schema),
        ),
      ];
      for (const schema of schemas) {
        ajv.compile(refToUrn(schema));
        compiled++;
      }
    }
    expect(compiled).toBeGreaterThan(operations.length * 2);
    // Compiling every schema (each text field's pattern included) takes seconds on a busy machine.
  }, 60_000);

  it("has an operation for every procedure that declares a REST route, and nothing else", () => {
    const declared = procedures.filter(([, p]) => p._def.meta?.rest).map(([path]) => path);
    expect(operations.map((o) => o.operation.operationId).sort()).toEqual(declared.sort());
    expect(operations.length).toBe(restRoutes().length);
    for (const { path, method, operation } of operations) {
      const meta = procedures.find(([p]) => p === operation.operationId)![1]._def.meta!.rest!;
      expect(`${meta.method} ${meta.path}`).toBe(`${method.toUpperCase()} ${path}`);
    }
  });

  it("exposes the Projects package, Education schools and the System procedures clients need, never tokens", () => {
    const ids = new Set(operations.map((o) => o.operation.operationId));
    const projects = procedures.map(([path]) => path).filter((path) => path.startsWith("projects."));
    expect(projects.filter((path) => !ids.has(path))).toEqual([]);
    for (const id of [
      "education.schools.list",
      "system.me",
      "system.users.list",
      "system.users.get",
      "system.groups.list",
      "system.groups.get",
      "system.audit.list",
    ]) {
      expect(ids).toContain(id);
    }
    expect([...ids].filter((id) => id.startsWith("system.tokens."))).toEqual([]);
  });

  it("tags every operation `<Package>: <Object>`, the package being the procedure's", () => {
    for (const { operation } of operations) {
      expect(operation.tags).toHaveLength(1);
      const [pkg] = operation.operationId.split(".");
      const expected = `${pkg![0]!.toUpperCase()}${pkg!.slice(1)}`;
      expect(operation.tags[0]).toMatch(new RegExp(`^${expected}: [A-Z][A-Za-z ]+$`));
    }
    expect(document.tags.map((t) => t.name)).toContain("Projects: Issues");
  });

  it("uses consistent verbs: GET reads, POST creates and acts, PATCH updates, DELETE removes", () => {
    for (const { method, operation } of operations) {
      const name = operation.operationId.split(".").pop()!;
      if (/^(list|get|me|unreadCount|listDefaults|search|counts)$/.test(name)) expect(method).toBe("get");
      else if (name === "update") expect(method).toBe("patch");
      else if (name === "delete" || name === "remove") expect(method).toBe("delete");
      else expect(method).toBe("post");
      const success = Object.keys(operation.responses).filter((s) => s.startsWith("2"));
      expect(success).toEqual([name === "create" ? "201" : "200"]);
      for (const status of ["400", "401", "403", "404", "409", "429"]) {
        expect(operation.responses[status]?.$ref).toMatch(/^#\/components\/responses\//);
      }
    }
  });

  it("names the organization header on tenant routes only", () => {
    for (const { operation } of operations) {
      const route = restRoutes().find((r) => r.procedure === operation.operationId)!;
      const tenant = (operation.parameters ?? []).some((p) => p.$ref === "#/components/parameters/Tenant");
      expect(tenant).toBe(route.access === "tenant");
    }
  });

  it("matches the committed copy in docs/api/openapi.json (run `npm run openapi` after changing routes)", () => {
    const committed = JSON.parse(readFileSync("docs/api/openapi.json", "utf8"));
    expect(committed).toEqual(JSON.parse(JSON.stringify(document)));
  });
});

describe("query parameters of GET routes", () => {
  const list = restRoutes().find((r) => r.procedure === "projects.issues.list")!;
  const fields = schemasOf(list).query;
  const url = (query: string) => new URL(`http://nexus.test/api/v1/projects/issues?${query}`);

  it("flattens nested input objects with dots and repeats parameters for arrays", () => {
    expect(fields.map((f) => f.name)).toContain("filters.status");
    expect(fields.map((f) => f.name)).toContain("sort.field");
    expect(
      inputFromQuery(fields, url("filters.status=new&filters.status=triaged&limit=5&filters.breached=false")),
    ).toEqual({ filters: { status: ["new", "triaged"], breached: false }, limit: 5 });
  });

  it("reads an empty value as null where the input allows null", () => {
    expect(inputFromQuery(fields, url("filters.assigneeUserId="))).toEqual({
      filters: { assigneeUserId: null },
    });
  });

  it("refuses parameters the route does not have", () => {
    expect(() => inputFromQuery(fields, url("filter.status=new"))).toThrow(/not known/);
  });

  it("leaves path parameters out of the query", () => {
    const activity = restRoutes().find((r) => r.procedure === "projects.activity.list")!;
    expect(queryFieldsOf(schemasOf(activity).input, activity.pathParams).map((f) => f.name)).not.toContain(
      "issueId",
    );
  });
});
