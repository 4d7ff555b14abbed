import { SELF } from "cloudflare:test";
import { Validator } from "@cfworker/json-schema";
import { expect } from "vitest";
import { TENANT_HEADER } from "../../shared/transport";
import type { OpenApiDocument } from "../../worker/rest/openapi";
import { markReauthenticated, trpcMutation } from "./credentials-support";
import { ORIGIN } from "./support";

// biome-ignore lint/suspicious/noExplicitAny: assertions read whatever shape each route answers
type Json = any;
type Schema = Record<string, unknown>;

let document: OpenApiDocument | undefined;

/** The OpenAPI document as the Worker serves it (public: no credentials). */
export async function servedDocument(): Promise<OpenApiDocument> {
  if (!document) {
    const response = await SELF.fetch(`${ORIGIN}/api/v1/openapi.json`);
    expect(response.status).toBe(200);
    document = (await response.json()) as OpenApiDocument;
  }
  return document;
}

/** The schema the document gives for `status` of `method template`, with its component refs made local. */
async function documentedSchema(method: string, template: string, status: number): Promise<Schema> {
  const doc = await servedDocument();
  const operation = (doc.paths as Record<string, Record<string, Json>>)[template]?.[method.toLowerCase()];
  expect(operation, `${method} ${template} is in the document`).toBeDefined();
  let response = operation.responses[String(status)];
  expect(response, `${method} ${template} documents status ${status}`).toBeDefined();
  if (response.$ref) response = (doc.components.responses as Json)[response.$ref.split("/").pop()];
  const schema = response.content["application/json"].schema;
  const withDefinitions = JSON.stringify({ ...schema, $defs: doc.components.schemas });
  return JSON.parse(withDefinitions.replaceAll('"#/components/schemas/', '"#/$defs/'));
}

/** Fails unless `body` is valid against the document's schema for that answer. */
export async function expectDocumented(method: string, template: string, status: number, body: unknown) {
  const result = new Validator(await documentedSchema(method, template, status), "2020-12", false).validate(
    body,
  );
  expect(
    result.errors.map((e) => `${e.instanceLocation} ${e.error}`),
    `${method} ${template} ${status} answers as documented`,
  ).toEqual([]);
}

export interface RestOptions {
  token?: string;
  tenant?: string;
  params?: Record<string, string>;
  query?: string;
  body?: unknown;
  /** Sent as is, e.g. malformed JSON. */
  rawBody?: string;
  headers?: Record<string, string>;
}

/**
 * A REST call through the Worker to `template` (an OpenAPI path, e.g. `/projects/issues/{id}`) with
 * `params` filled in. Every answer is checked against the document's schema for its status.
 */
export async function rest(method: string, template: string, options: RestOptions = {}) {
  const path = template.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeURIComponent(options.params?.[name] ?? ""),
  );
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.tenant) headers[TENANT_HEADER] = options.tenant;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers["content-type"] ??= "application/json";
  const response = await SELF.fetch(`${ORIGIN}/api/v1${path}${options.query ? `?${options.query}` : ""}`, {
    method,
    headers,
    body,
  });
  const json = (await response.json()) as Json;
  await expectDocumented(method, template, response.status, json);
  return { status: response.status, body: json, headers: response.headers };
}

/**
 * A personal access token of `token`'s user for `tenantSlug` with `scopes`, made as the token page makes
 * it: from a session that has just entered a credential.
 */
export async function personalAccessToken(token: string, tenantSlug: string, scopes: string[]) {
  await markReauthenticated(token);
  const created = await trpcMutation(
    "system.tokens.create",
    { name: `REST ${scopes.join(" ")}`, tenantSlug, scopes },
    { token },
  );
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  return created.body.result.data.token as string;
}
