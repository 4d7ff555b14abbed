import { z } from "zod";
import { AppError, type FieldErrors } from "../../shared/errors";
import type { RestRoute } from "./routes";

export type JsonSchema = { [key: string]: unknown };

/** A zod schema as JSON Schema 2020-12, as accepted (`input`) or as answered (`output`). */
export function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const json = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as JsonSchema;
  delete json.$schema;
  return json;
}

const asSchema = (value: unknown): JsonSchema | null =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as JsonSchema) : null;

/** The JSON types a schema admits (empty: anything), looking through anyOf/oneOf, enum and const. */
export function typesOf(schema: JsonSchema): Set<string> {
  const types = new Set<string>();
  const type = schema.type;
  if (typeof type === "string") types.add(type);
  if (Array.isArray(type)) for (const t of type) types.add(String(t));
  for (const key of ["anyOf", "oneOf"]) {
    const members = schema[key];
    if (Array.isArray(members))
      for (const m of members) for (const t of typesOf(asSchema(m) ?? {})) types.add(t);
  }
  const values = Array.isArray(schema.enum) ? schema.enum : "const" in schema ? [schema.const] : [];
  for (const v of values) types.add(v === null ? "null" : Number.isInteger(v) ? "integer" : typeof v);
  return types;
}

/** The schema of an array's items, where `schema` admits an array. */
function itemsOf(schema: JsonSchema): JsonSchema {
  if (asSchema(schema.items)) return schema.items as JsonSchema;
  for (const key of ["anyOf", "oneOf"]) {
    const members = schema[key];
    if (!Array.isArray(members)) continue;
    for (const m of members) if (asSchema(m)?.type === "array") return itemsOf(m as JsonSchema);
  }
  return {};
}

/** A field of a GET route's input, sent as a query parameter: nested objects are flattened with dots. */
export interface QueryField {
  name: string;
  path: string[];
  schema: JsonSchema;
  array: boolean;
  required: boolean;
}

/** The query parameters of a GET route: every leaf of its input schema but the path parameters. */
export function queryFieldsOf(input: JsonSchema | null, pathParams: string[]): QueryField[] {
  const fields: QueryField[] = [];
  const walk = (schema: JsonSchema, path: string[], required: boolean) => {
    const properties = asSchema(schema.properties);
    if (schema.type === "object" && properties) {
      const needed = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
      for (const [key, sub] of Object.entries(properties)) {
        if (path.length === 0 && pathParams.includes(key)) continue;
        walk(asSchema(sub) ?? {}, [...path, key], required && needed.has(key));
      }
      return;
    }
    if (path.length === 0) return;
    fields.push({ name: path.join("."), path, schema, array: typesOf(schema).has("array"), required });
  };
  if (input) walk(input, [], true);
  return fields;
}

/** A query (or path) value as the schema's type: numbers, booleans, and the empty value for null. */
export function coerce(value: string, schema: JsonSchema): unknown {
  const types = typesOf(schema);
  if (value === "" && types.has("null")) return null;
  if ((types.has("integer") || types.has("number")) && value.trim() !== "" && Number.isFinite(Number(value)))
    return Number(value);
  if (types.has("boolean") && (value === "true" || value === "false")) return value === "true";
  return value;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown) {
  let node = target;
  for (const key of path.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

/** A GET route's input from its query string: repeated parameters make arrays; unknown names are refused. */
export function inputFromQuery(fields: QueryField[], url: URL): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  // A Map, so a parameter named `__proto__` is an unknown name like any other, not the object's prototype.
  const unknown = new Map<string, string[]>();
  for (const name of new Set(url.searchParams.keys())) {
    const field = fields.find((f) => f.name === name);
    if (!field) {
      unknown.set(name, ["Not a parameter of this route."]);
      continue;
    }
    const values = url.searchParams.getAll(name);
    const value = field.array
      ? values.map((v) => coerce(v, itemsOf(field.schema)))
      : coerce(values[values.length - 1]!, field.schema);
    setPath(input, field.path, value);
  }
  if (unknown.size > 0) {
    throw new AppError("BAD_REQUEST", "Some query parameters are not known to this route.", {
      fieldErrors: Object.fromEntries(unknown) as FieldErrors,
    });
  }
  return input;
}

/** The schemas of one route, converted once. */
export interface RouteSchemas {
  input: JsonSchema | null;
  output: JsonSchema | null;
  query: QueryField[];
}

const cache = new Map<string, RouteSchemas>();
export function schemasOf(route: RestRoute): RouteSchemas {
  let schemas = cache.get(route.procedure);
  if (!schemas) {
    const input = route.input ? jsonSchemaOf(route.input, "input") : null;
    schemas = {
      input,
      output: route.output ? jsonSchemaOf(route.output, "output") : null,
      query: route.method === "GET" ? queryFieldsOf(input, route.pathParams) : [],
    };
    cache.set(route.procedure, schemas);
  }
  return schemas;
}

/** The property schema of a path parameter (a field of the input object). */
export function pathParamSchema(input: JsonSchema | null, name: string): JsonSchema | null {
  return asSchema(asSchema(input?.properties)?.[name]);
}
