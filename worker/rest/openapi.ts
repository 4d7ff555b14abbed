import { z } from "zod";
import { appErrorCodes } from "../../shared/errors";
import * as credentials from "../../shared/schemas/credentials";
import * as education from "../../shared/schemas/education";
import * as groups from "../../shared/schemas/groups";
import * as invitations from "../../shared/schemas/invitations";
import * as issueExtras from "../../shared/schemas/issue-extras";
import * as issues from "../../shared/schemas/issues";
import * as organizations from "../../shared/schemas/organizations";
import * as projects from "../../shared/schemas/projects";
import * as search from "../../shared/schemas/search";
import * as serviceLevels from "../../shared/schemas/service-levels";
import * as system from "../../shared/schemas/system";
import { TENANT_HEADER } from "../../shared/transport";
import { SESSION_COOKIE } from "../auth/cookies";
import { type RestRoute, restRoutes } from "./routes";
import { type JsonSchema, jsonSchemaOf, pathParamSchema, schemasOf } from "./schemas";

/** The body of every error answer (see ErrorBody in shared/errors.ts). */
export const errorBody = z.object({
  error: z.object({
    code: z.enum(appErrorCodes),
    message: z.string(),
    requestId: z.string(),
    fieldErrors: z.record(z.string(), z.array(z.string())).optional(),
    reason: z.string().optional(),
  }),
});

const errorResponses = {
  "400": ["BadRequest", "The input is not valid (`fieldErrors`), or the change is not allowed (`reason`)."],
  "401": ["Unauthorized", "No valid credential: sign in, or send a valid bearer token."],
  "403": ["Forbidden", "The role or the token's scopes do not allow this (`reason: insufficient_scope`)."],
  "404": ["NotFound", "No such object in this organization, or no such organization for the caller."],
  "409": ["Conflict", "The object changed since it was read (`reason: stale_version`), or already exists."],
  "429": ["TooManyRequests", "Too many requests: wait for the number of seconds in `Retry-After`."],
  "500": [
    "Internal",
    "Something failed in Nexus: quote the body's `requestId`, the reference of its log entry.",
  ],
  "503": [
    "Unavailable",
    "A database Nexus needs cannot be reached right now: try again after the seconds in `Retry-After`.",
  ],
} as const;

const PATH_PARAMETER_NOTE =
  "Path parameters are fields of the input; they win over the same fields in a body.";

type Components = Record<string, JsonSchema>;

/**
 * The shared schemas by their exported names (shared/schemas/*.ts): a procedure's input or output that is
 * one of them becomes a named component (`Issue`, `ListIssuesOutput`, `CreateIssueInput`), so each is
 * written once however many routes use it.
 */
const sharedSchemaNames = (() => {
  const names = new Map<unknown, string>();
  for (const module of [
    credentials,
    education,
    groups,
    invitations,
    issueExtras,
    issues,
    organizations,
    projects,
    search,
    serviceLevels,
    system,
  ]) {
    for (const [name, value] of Object.entries(module)) {
      if (value instanceof z.ZodType && !names.has(value))
        names.set(value, name[0]!.toUpperCase() + name.slice(1));
    }
  }
  return names;
})();

/** The schema of `zod` as `io`: a ref to its named component when it is a shared schema, else inline. */
function schemaFor(
  zod: z.ZodType,
  json: JsonSchema,
  io: "input" | "output",
  fallback: string,
  components: Components,
) {
  const shared = sharedSchemaNames.get(zod);
  if (!shared) return hoistDefinitions(json, fallback, components);
  const name = io === "input" && !shared.endsWith("Input") ? `${shared}Input` : shared;
  components[name] ??= hoistDefinitions(json, name, components);
  return { $ref: `#/components/schemas/${name}` };
}

/** Moves a schema's `$defs` (recursive types) into the document's components and points its refs there. */
function hoistDefinitions(schema: JsonSchema, prefix: string, components: Components): JsonSchema {
  const defs = schema.$defs as Record<string, JsonSchema> | undefined;
  if (!defs) return schema;
  const names = new Map(Object.keys(defs).map((name) => [name, `${prefix}.${name.replace(/^_+/, "")}`]));
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (!value || typeof value !== "object") return value;
    const out: JsonSchema = {};
    for (const [key, inner] of Object.entries(value)) {
      if (key === "$ref" && typeof inner === "string" && inner.startsWith("#/$defs/")) {
        out.$ref = `#/components/schemas/${names.get(inner.slice("#/$defs/".length))}`;
      } else out[key] = rewrite(inner);
    }
    return out;
  };
  for (const [name, def] of Object.entries(defs)) components[names.get(name)!] = rewrite(def) as JsonSchema;
  const { $defs: _, ...rest } = schema;
  return rewrite(rest) as JsonSchema;
}

/** A write's body: the input schema without the fields the path carries. */
function bodySchemaOf(input: JsonSchema, pathParams: string[]): JsonSchema {
  if (pathParams.length === 0 || input.type !== "object") return input;
  const properties = { ...(input.properties as Record<string, JsonSchema>) };
  for (const name of pathParams) delete properties[name];
  const required = Array.isArray(input.required)
    ? input.required.filter((name) => !pathParams.includes(String(name)))
    : undefined;
  const body: JsonSchema = { ...input, properties };
  if (required?.length) body.required = required;
  else delete body.required;
  return body;
}

function operationOf(route: RestRoute, components: Components) {
  const schemas = schemasOf(route);
  const prefix = route.procedure;
  const parameters: unknown[] = [];
  if (route.access === "tenant") parameters.push({ $ref: "#/components/parameters/Tenant" });
  for (const name of route.pathParams) {
    const schema = pathParamSchema(schemas.input, name);
    if (!schema)
      throw new Error(`${route.procedure}: the path names {${name}}, which its input does not have`);
    parameters.push({ name, in: "path", required: true, schema });
  }
  for (const field of schemas.query) {
    const nullable = field.schema.anyOf !== undefined && JSON.stringify(field.schema).includes('"null"');
    parameters.push({
      name: field.name,
      in: "query",
      required: field.required,
      ...(field.array ? { style: "form", explode: true } : {}),
      ...(nullable ? { description: "Send the parameter with an empty value for null." } : {}),
      schema: hoistDefinitions(field.schema, prefix, components),
    });
  }
  const operation: JsonSchema = {
    operationId: route.procedure,
    tags: [route.tag],
    summary: route.summary ?? route.procedure,
    description:
      `The \`${route.procedure}\` procedure. ${route.pathParams.length ? PATH_PARAMETER_NOTE : ""}`.trim(),
    ...(parameters.length ? { parameters } : {}),
  };
  if (route.method !== "GET" && route.method !== "DELETE" && schemas.input) {
    const body = bodySchemaOf(schemas.input, route.pathParams);
    operation.requestBody = {
      required: Array.isArray(body.required) && body.required.length > 0,
      content: {
        "application/json": {
          schema:
            body === schemas.input
              ? schemaFor(route.input!, body, "input", `${prefix}.input`, components)
              : hoistDefinitions(body, `${prefix}.input`, components),
        },
      },
    };
  }
  const output =
    route.output && schemas.output
      ? schemaFor(route.output, schemas.output, "output", `${prefix}.output`, components)
      : {};
  const responses: Record<string, unknown> = {
    [String(route.successStatus)]: {
      description: route.successStatus === 201 ? "Created." : "OK.",
      content: { "application/json": { schema: output } },
    },
  };
  for (const [status, [name]] of Object.entries(errorResponses)) {
    responses[status] = { $ref: `#/components/responses/${name}` };
  }
  operation.responses = responses;
  if (route.access === "public") operation.security = [];
  return operation;
}

/** The OpenAPI 3.1 document of the REST layer, generated from the procedures' zod schemas. */
export function buildOpenApiDocument() {
  const components: Components = { Error: jsonSchemaOf(errorBody, "output") };
  const paths: Record<string, Record<string, unknown>> = {};
  const routes = restRoutes();
  for (const route of routes) {
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operationOf(route, components);
  }
  const responses = Object.fromEntries(
    Object.values(errorResponses).map(([name, description]) => [
      name,
      { description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
    ]),
  );
  return {
    openapi: "3.1.0",
    info: {
      title: "Nexus API",
      version: "1",
      description:
        "The procedures of Nexus over REST: the same inputs, outputs, permissions and errors as the web app. " +
        "Authenticate with a bearer token (a personal access token `nxp_…` or an OAuth access token `nxa_…`); " +
        `name the organization in the \`${TENANT_HEADER}\` header. See docs/api/README.md.`,
    },
    servers: [{ url: "/api/v1" }],
    tags: [...new Set(routes.map((r) => r.tag))].sort().map((name) => ({ name })),
    security: [{ bearer: [] }, { session: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description:
            "A personal access token (`nxp_…`, limited to one organization and its scopes) or an access token (`nxa_…`).",
        },
        session: {
          type: "apiKey",
          in: "cookie",
          name: SESSION_COOKIE,
          description: "The web app's session cookie; writes must carry Nexus's own Origin.",
        },
      },
      parameters: {
        Tenant: {
          name: TENANT_HEADER,
          in: "header",
          required: true,
          description: "The organization the request is for: its slug.",
          schema: { type: "string", minLength: 1 },
        },
      },
      schemas: components,
      responses,
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;

let memo: OpenApiDocument | undefined;
/** The document, built once per isolate. */
export function openApiDocument(): OpenApiDocument {
  memo ??= buildOpenApiDocument();
  return memo;
}
