/**
 * Malformed requests for every REST operation, generated with fast-check from the served OpenAPI document,
 * and the oracle that proves each one malformed: the input the REST layer would build from it (the same
 * functions worker/rest uses) either is refused on the way in (JSON, content type, unknown parameters) or
 * fails the procedure's own zod input schema. So no generated request can legitimately write.
 */
import fc from "fast-check";
import type { RestRoute } from "../../worker/rest/routes";
import {
  coerce,
  inputFromQuery,
  type JsonSchema,
  pathParamSchema,
  schemasOf,
  typesOf,
} from "../../worker/rest/schemas";

type Json = unknown;
type Path = (string | number)[];

/** One operation of the document, with the route that serves it. */
export interface FuzzOperation {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  template: string;
  route: RestRoute;
  /** The input schema (as JSON Schema, refs resolved on use) and the document's components. */
  input: JsonSchema | null;
  components: Record<string, JsonSchema>;
}

export interface FuzzRequest {
  method: string;
  /** Path and query, as sent (after /api/v1). */
  url: string;
  headers: Record<string, string>;
  body?: Uint8Array;
  /** What was broken, e.g. `body.title: too long`, for reports. */
  broken: string;
}

/** Values the generated requests use where a field names an object: real ids of the fuzzed organization. */
export interface FuzzIds {
  ids: string[];
}

const LONE_SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff"];
/** C0, DEL and C1 controls, the line breaks and tab among them. */
const CONTROLS = [
  "\u0000",
  "\u0001",
  "\u0007",
  "\b",
  "\t",
  "\n",
  "\u000b",
  "\f",
  "\r",
  "\u001b",
  "\u007f",
  "\u0085",
  "\u009f",
];
/** Examples tried, in order, for a string whose schema has a pattern (slugs, keys, colours, times). */
const PATTERN_EXAMPLES = [
  "Wi-Fi drops in the library",
  "FUZZ",
  "fuzz-district",
  "#1a73e8",
  "08:00",
  "17:00",
  "2026-09-01",
  "2026-09-01T08:00:00.000Z",
  "asset_tag",
  "America/Chicago",
  "123456",
  "fuzz@example.org",
  "district.k12.mo.us",
  "https://example.org/logo.png",
  "x",
];

// ——— JSON Schema helpers ——————————————————————————————————————————————————————————————————————

function resolve(schema: JsonSchema | undefined, components: Record<string, JsonSchema>): JsonSchema {
  let s = schema ?? {};
  for (let depth = 0; typeof s.$ref === "string" && depth < 10; depth++) {
    s = components[(s.$ref as string).split("/").pop()!] ?? {};
  }
  return s;
}

const branchesOf = (s: JsonSchema): JsonSchema[] =>
  [...((s.anyOf as JsonSchema[]) ?? []), ...((s.oneOf as JsonSchema[]) ?? [])].filter(Boolean);

/** The object branch of a schema that describes `value` (a discriminated union's matching branch). */
function objectSchemaFor(
  schema: JsonSchema,
  value: Record<string, Json>,
  components: Record<string, JsonSchema>,
): JsonSchema | null {
  const s = resolve(schema, components);
  if (s.type === "object" || s.properties) return s;
  for (const branch of branchesOf(s).map((b) => resolve(b, components))) {
    const props = (branch.properties ?? {}) as Record<string, JsonSchema>;
    const matches = Object.entries(props).every(([key, p]) => {
      const ps = resolve(p, components);
      return !("const" in ps) || value[key] === ps.const;
    });
    if ((branch.type === "object" || branch.properties) && matches) return branch;
  }
  return null;
}

// ——— Plausible values (the base a breaker then breaks) ————————————————————————————————————————

/** A value that mostly satisfies `schema`: the oracle, not this, decides what is valid. */
export function plausible(
  schema: JsonSchema | undefined,
  components: Record<string, JsonSchema>,
  ids: FuzzIds,
  name = "",
  depth = 0,
): fc.Arbitrary<Json> {
  const s = resolve(schema, components);
  if ("const" in s) return fc.constant(s.const);
  if (Array.isArray(s.enum) && s.enum.length > 0) return fc.constantFrom(...(s.enum as Json[]));
  const branches = branchesOf(s);
  if (branches.length > 0)
    return fc.oneof(...branches.map((b) => plausible(b, components, ids, name, depth + 1)));
  const types = typesOf(s);
  const type = typeof s.type === "string" ? s.type : [...types].find((t) => t !== "null");
  switch (type) {
    case "boolean":
      return fc.boolean();
    case "integer":
    case "number": {
      const min = typeof s.minimum === "number" ? s.minimum : 1;
      const max = typeof s.maximum === "number" ? s.maximum : Math.max(min, 100);
      return fc.integer({ min: Math.ceil(min), max: Math.floor(Math.min(max, min + 1000)) });
    }
    case "array": {
      if (depth > 4) return fc.constant([]);
      const minLength = typeof s.minItems === "number" ? s.minItems : 0;
      const maxLength = Math.max(minLength, Math.min(typeof s.maxItems === "number" ? s.maxItems : 3, 3));
      return fc.array(plausible(s.items as JsonSchema, components, ids, name, depth + 1), {
        minLength,
        maxLength,
      });
    }
    case "object": {
      if (depth > 4) return fc.constant({});
      const props = (s.properties ?? {}) as Record<string, JsonSchema>;
      const required = new Set((s.required as string[]) ?? []);
      const entries = Object.entries(props).map(([key, p]) => {
        const value = plausible(p, components, ids, key, depth + 1);
        return [key, required.has(key) ? value : fc.option(value, { nil: undefined, freq: 2 })] as const;
      });
      return fc
        .record(Object.fromEntries(entries))
        .map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));
    }
    case "string":
      return plausibleString(s, ids, name);
    default:
      return fc.constant(null);
  }
}

function plausibleString(s: JsonSchema, ids: FuzzIds, name: string): fc.Arbitrary<string> {
  if (s.format === "date-time") return fc.constant("2026-09-01T08:00:00.000Z");
  if (s.format === "date") return fc.constant("2026-09-01");
  if (s.format === "email") return fc.constant("fuzz@example.org");
  const max = typeof s.maxLength === "number" ? s.maxLength : 200;
  if (typeof s.pattern === "string" && !(s.pattern as string).includes("\\u0000")) {
    const pattern = new RegExp(s.pattern as string, "u");
    const example = PATTERN_EXAMPLES.find((e) => pattern.test(e) && e.length <= max);
    return fc.constant(example ?? "x");
  }
  if (/id$|Id$|ids$|Ids$/.test(name) && ids.ids.length > 0) return fc.constantFrom(...ids.ids);
  const minLength = Math.min(typeof s.minLength === "number" ? s.minLength : 0, max);
  return fc.string({
    minLength: Math.max(minLength, 1),
    maxLength: Math.min(max, 24),
    unit: "grapheme-ascii",
  });
}

// ——— What can be broken, and how ——————————————————————————————————————————————————————————————

/** A place in a value: a property (present or not) with its schema, or an object that takes no extras. */
interface Slot {
  path: Path;
  schema: JsonSchema;
  required: boolean;
  /** The object at `path` allows no properties but its own. */
  closedObject?: boolean;
}

/** Every property of `value` (and of the objects and arrays in it) that its schema describes. */
function slotsOf(
  value: Json,
  schema: JsonSchema,
  components: Record<string, JsonSchema>,
  path: Path = [],
): Slot[] {
  if (path.length > 4 || !value || typeof value !== "object") return [];
  if (Array.isArray(value)) {
    const items = resolve(schema, components).items as JsonSchema | undefined;
    return value.length > 0 && items ? slotsOf(value[0], items, components, [...path, 0]) : [];
  }
  const object = objectSchemaFor(schema, value as Record<string, Json>, components);
  if (!object) return [];
  const slots: Slot[] = [];
  if (object.additionalProperties === false)
    slots.push({ path, schema: object, required: false, closedObject: true });
  const required = new Set((object.required as string[]) ?? []);
  for (const [key, p] of Object.entries((object.properties ?? {}) as Record<string, JsonSchema>)) {
    const inner = resolve(p, components);
    slots.push({ path: [...path, key], schema: inner, required: required.has(key) });
    const child = (value as Record<string, Json>)[key];
    if (child && typeof child === "object") slots.push(...slotsOf(child, inner, components, [...path, key]));
  }
  return slots;
}

/** A text that breaks a string rule: a lone surrogate or a control character somewhere in it. */
const badText = fc
  .tuple(
    fc.constantFrom("Printer jam", "", "Room 12", "x"),
    fc.constantFrom(...LONE_SURROGATES, ...CONTROLS),
    fc.boolean(),
  )
  .map(([text, bad, atEnd]) => (atEnd ? `${text}${bad}` : `${bad}${text}`));

/** Values that do not belong to `schema` (or may not: the oracle decides), each with what it breaks. */
function violations(
  slot: Slot,
  components: Record<string, JsonSchema>,
  inQuery: boolean,
): fc.Arbitrary<[string, Json | typeof REMOVE]>[] {
  const s = resolve(slot.schema, components);
  const out: fc.Arbitrary<[string, Json | typeof REMOVE]>[] = [];
  if (slot.closedObject) {
    out.push(
      fc.constantFrom("unexpected", "__proto__x", "constructor").map((k) => [`extra field ${k}`, EXTRA(k)]),
    );
    return out;
  }
  if (slot.required) out.push(fc.constant(["missing", REMOVE] as [string, typeof REMOVE]));
  const types = typesOf(s);
  const wrong: [string, Json][] = [
    ["a number", 42],
    ["a string", "42"],
    ["a boolean", true],
    ["null", null],
    ["an array", ["x"]],
    ["an object", { x: 1 }],
  ];
  const jsonType = (v: Json) =>
    v === null ? "null" : Array.isArray(v) ? "array" : typeof v === "object" ? "object" : typeof v;
  const wrongTypes = wrong.filter(([, v]) => {
    const t = jsonType(v);
    return types.size > 0 && !types.has(t) && !(t === "number" && types.has("integer"));
  });
  if (wrongTypes.length > 0)
    out.push(fc.constantFrom(...wrongTypes).map(([label, v]) => [`wrong type (${label})`, v]));
  if (types.has("string") || types.size === 0) {
    out.push(badText.map((t) => ["broken text", t]));
    out.push(fc.constantFrom(...LONE_SURROGATES).map((t) => ["lone surrogate", `Name ${t}`]));
    const max = typeof s.maxLength === "number" ? s.maxLength : 20_000;
    // Now and then a huge value, in bodies only (a URL keeps to a few characters over the limit).
    const extras =
      inQuery || max > 100_000
        ? fc.integer({ min: 1, max: 5 })
        : fc.oneof(
            { arbitrary: fc.integer({ min: 1, max: 5 }), weight: 12 },
            { arbitrary: fc.constant(100_000), weight: 1 },
          );
    if (!Array.isArray(s.enum) && (typeof s.maxLength === "number" || !inQuery))
      out.push(extras.map((extra) => [`too long (${max + extra})`, "é".repeat(max + extra)]));
    if (typeof s.minLength === "number" && s.minLength > 0)
      out.push(fc.constantFrom("", "   ", "\n\t").map((v) => ["too short", v]));
    if (Array.isArray(s.enum))
      out.push(fc.constantFrom("not-a-choice", "NEW", "").map((v) => ["not a choice", v]));
    if (s.format === "date-time" || s.format === "date")
      out.push(
        fc.constantFrom("yesterday", "2026-13-45", "2026-09-01T25:00:00Z").map((v) => ["bad date", v]),
      );
  }
  if (types.has("integer") || types.has("number")) {
    const min = typeof s.minimum === "number" ? s.minimum : null;
    const max = typeof s.maximum === "number" ? s.maximum : null;
    const numbers: Json[] = [1e308, -1e308];
    if (min !== null) numbers.push(min - 1);
    if (max !== null) numbers.push(max + 1);
    if (types.has("integer") && !types.has("number")) numbers.push(1.5);
    out.push(fc.constantFrom(...numbers).map((v) => ["number out of range", v]));
  }
  if (types.has("array")) {
    const maxItems = typeof s.maxItems === "number" ? s.maxItems : null;
    if (maxItems !== null && maxItems < 500)
      out.push(
        fc.constant([
          `too many items (${maxItems + 1})`,
          Array.from({ length: maxItems + 1 }, (_, i) => `item-${i}`),
        ]),
      );
    if (typeof s.minItems === "number" && s.minItems > 0) out.push(fc.constant(["no items", []]));
    out.push(fc.constant(["wrong item type", [{ nested: ["\ud800"] }, 7, null]]));
  }
  return out;
}

const REMOVE = Symbol("remove");
const EXTRA_KEY = Symbol("extra");
const EXTRA = (key: string) => ({ [EXTRA_KEY]: key });

function applyAt(base: Json, path: Path, value: Json | typeof REMOVE): Json {
  const root = structuredClone(base) as Record<string | number, Json>;
  if (value && typeof value === "object" && EXTRA_KEY in value) {
    let node = root as Record<string | number, Json>;
    for (const key of path) node = node[key] as Record<string | number, Json>;
    node[(value as Record<symbol, string>)[EXTRA_KEY]!] = "unexpected value";
    return root;
  }
  if (path.length === 0) return value === REMOVE ? {} : value;
  let node = root;
  for (const key of path.slice(0, -1)) {
    if (!node[key] || typeof node[key] !== "object") node[key] = {};
    node = node[key] as Record<string | number, Json>;
  }
  const last = path[path.length - 1]!;
  if (value === REMOVE) delete node[last];
  else node[last] = value;
  return root;
}

// ——— Requests ——————————————————————————————————————————————————————————————————————————————————

const encoder = new TextEncoder();

/** The input as a query string: nested objects flattened with dots, arrays repeated (as worker/rest reads it). */
function toQuery(input: Json, prefix = ""): [string, string][] {
  if (!input || typeof input !== "object" || Array.isArray(input)) return [];
  const pairs: [string, string][] = [];
  for (const [key, value] of Object.entries(input)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(value)) for (const v of value) pairs.push([name, stringify(v)]);
    else if (value && typeof value === "object") pairs.push(...toQuery(value, name));
    else pairs.push([name, stringify(value)]);
  }
  return pairs;
}
const stringify = (v: Json) => (v === null ? "" : typeof v === "string" ? v : JSON.stringify(v));

/** Percent-encodes, sending a lone surrogate as the bytes of U+FFFD (what a URL can carry). */
function encode(value: string): string {
  return encodeURIComponent(
    value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\ufffd"),
  );
}

function urlOf(op: FuzzOperation, pathValues: Record<string, string>, query: [string, string][]): string {
  const path = op.template.replace(/\{([^}]+)\}/g, (_, name: string) => encode(pathValues[name] ?? ""));
  const search = query.map(([k, v]) => `${encode(k)}=${encode(v)}`).join("&");
  return `${path}${search ? `?${search}` : ""}`;
}

const jsonBody = (value: Json) => encoder.encode(JSON.stringify(value));

/** Transport-level breaks of a write: bodies that are not a JSON object sent as JSON. */
const brokenBodies: fc.Arbitrary<{ broken: string; headers: Record<string, string>; body?: Uint8Array }> =
  fc.oneof(
    fc
      .constantFrom(
        "{",
        '{"name":',
        '{"name": "x",}',
        "{'name': 'x'}",
        "[1, 2",
        "nul",
        '{"a":1}}',
        '{"a":"\\ud800',
        "\u0000",
      )
      .map((text) => ({
        broken: `malformed JSON ${JSON.stringify(text)}`,
        headers: { "content-type": "application/json" },
        body: encoder.encode(text),
      })),
    fc
      .constantFrom(
        "[]",
        '[{"name":"x"}]',
        "42",
        '"text"',
        "null",
        "true",
        `${"[".repeat(5000)}${"]".repeat(5000)}`,
      )
      .map((text) => ({
        broken: `JSON that is not an object (${text.slice(0, 12)})`,
        headers: { "content-type": "application/json" },
        body: encoder.encode(text),
      })),
    fc.constant({
      broken: "unclosed nesting 100k deep",
      headers: { "content-type": "application/json" },
      body: encoder.encode("[".repeat(100_000)),
    }),
    fc.constant({
      broken: "empty JSON body",
      headers: { "content-type": "application/json" },
      body: new Uint8Array(),
    }),
    fc
      .constantFrom(
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
        "APPLICATION/JSON",
      )
      .map((type) => ({
        broken: `content type ${type}`,
        headers: { "content-type": type },
        body: encoder.encode('{"name":"x"}'),
      })),
    fc.constant({ broken: "a body with no content type", headers: {}, body: encoder.encode('{"name":"x"}') }),
  );

/** Path values that are not an id: too long, blank, control characters; a non-choice for enum parameters. */
const brokenPathValues = fc.oneof(
  fc.integer({ min: 65, max: 2000 }).map((n) => "x".repeat(n)),
  fc.constantFrom("   ", "\u0000", "a\nb", "\t", "\u007f", "\u0085", "id\u001b[31m"),
);

/** Headers some clients send on every request (the GETs of issue 8 carried a JSON content type). */
const noiseHeaders = fc.constantFrom<Record<string, string>>(
  {},
  { "content-type": "application/json" },
  { accept: "text/html" },
  { "accept-language": "es" },
);

/**
 * Malformed requests for one operation: a plausible input with one rule broken (a field missing, of the
 * wrong type, too long, holding a lone surrogate or a control character, an extra field), a broken path
 * parameter, an unknown query parameter, or a body that is not a JSON object; with noise headers on top.
 */
export function malformedRequests(
  op: FuzzOperation,
  ids: FuzzIds,
  realPath: Record<string, string>,
  origin: string,
): fc.Arbitrary<FuzzRequest> {
  const { route, input, components } = op;
  const isGet = op.method === "GET";
  const takesBody = op.method === "POST" || op.method === "PATCH";
  const base = input ? plausible(input, components, ids) : fc.constant({});
  const pathParams = route.pathParams;

  const request = (
    value: Json,
    pathValues: Record<string, string>,
    extra: {
      broken: string;
      headers?: Record<string, string>;
      body?: Uint8Array;
      query?: [string, string][];
    },
  ): FuzzRequest => {
    const body =
      value && typeof value === "object" && !Array.isArray(value) ? { ...(value as object) } : value;
    // Path parameters travel in the path; the body (or query) carries the rest.
    if (body && typeof body === "object")
      for (const name of pathParams) delete (body as Record<string, Json>)[name];
    const query = isGet ? toQuery(body) : [];
    return {
      method: op.method,
      url: urlOf(op, pathValues, [...query, ...(extra.query ?? [])]),
      headers: extra.headers ?? (takesBody ? { "content-type": "application/json" } : {}),
      body: "body" in extra ? extra.body : takesBody ? jsonBody(body) : undefined,
      broken: extra.broken,
    };
  };

  // A path parameter that cannot be an id (or a choice).
  const pathBreak = fc
    .tuple(base, fc.constantFrom(...(pathParams.length ? pathParams : [""])), brokenPathValues)
    .map(([value, name, bad]) => {
      const choices = pathParamSchema(schemasOf(route).input, name)?.enum;
      const broken = Array.isArray(choices) ? `${bad.slice(0, 20)}-not-a-choice` : bad;
      return request(
        value,
        { ...realPath, [name]: broken },
        {
          broken: `path {${name}}: ${JSON.stringify(broken.slice(0, 30))}`,
        },
      );
    });
  // A query parameter the route does not know.
  const queryBreak = fc
    .tuple(base, fc.constantFrom("unknown", "filters.nope", "limit.x", "__proto__", "q\u0000", "\u00e9"))
    .map(([value, name]) =>
      request(value, realPath, {
        broken: `unknown query parameter ${JSON.stringify(name)}`,
        query: [[name, "1"]],
      }),
    );
  // A body that is not a JSON object.
  const bodyBreak = fc
    .tuple(base, brokenBodies)
    .map(([value, broken]) =>
      request(value, realPath, { broken: broken.broken, headers: broken.headers, body: broken.body }),
    );
  const transportBreaks = [
    ...(pathParams.length > 0 ? [pathBreak] : []),
    ...(isGet ? [queryBreak] : []),
    ...(takesBody ? [bodyBreak] : []),
  ];
  // One rule of the input broken (a DELETE's input is its path only).
  const fieldBreak = base.chain((value) => {
    const slots = slotsOf(value, input ?? {}, components).filter(
      (slot) => !(slot.path.length === 1 && pathParams.includes(String(slot.path[0]))),
    );
    const choices = slots.flatMap((slot) =>
      violations(slot, components, isGet).map((v) => v.map(([what, bad]) => ({ slot, what, bad }))),
    );
    if (choices.length === 0) return fc.oneof(...transportBreaks);
    return fc.oneof(...choices).map(({ slot, what, bad }) =>
      request(applyAt(value, slot.path, bad), realPath, {
        broken: `${slot.path.join(".") || "(input)"}: ${what}`,
      }),
    );
  });
  const breakers = [
    ...(input && op.method !== "DELETE" ? [{ arbitrary: fieldBreak, weight: 3 }] : []),
    ...transportBreaks.map((arbitrary) => ({ arbitrary, weight: 1 })),
  ];

  return fc
    .tuple(fc.oneof(...breakers), noiseHeaders)
    .map(([req, noise]) => ({
      ...req,
      // Noise never replaces the content type a breaker chose for a body.
      headers: takesBody ? { ...noise, ...req.headers } : { ...req.headers, ...noise },
    }))
    .filter((req) => whyMalformed(op, req, origin) !== null);
}

// ——— The oracle ——————————————————————————————————————————————————————————————————————————————————

/**
 * Why `request` cannot succeed, read the way worker/rest builds a procedure's input (path, query or JSON
 * body), or null when it is a valid request for the operation (the generator must not make those).
 */
export function whyMalformed(op: FuzzOperation, request: FuzzRequest, origin: string): string | null {
  const { route } = op;
  const url = new URL(`${origin}/api/v1${request.url}`);
  const schemas = schemasOf(route);
  if (!route.input) {
    return op.method === "GET" && [...url.searchParams.keys()].length > 0 ? "unknown query parameters" : null;
  }
  const segments = url.pathname.slice("/api/v1".length).split("/");
  const templateSegments = op.template.split("/");
  if (segments.length !== templateSegments.length) return "another route";
  const fromPath: Record<string, Json> = {};
  templateSegments.forEach((segment, i) => {
    const match = /^\{(.+)\}$/.exec(segment);
    if (match) {
      const name = match[1]!;
      fromPath[name] = coerce(decodeURIComponent(segments[i]!), pathParamSchema(schemas.input, name) ?? {});
    }
  });
  let input: Json;
  if (op.method === "GET") {
    try {
      input = { ...inputFromQuery(schemas.query, url), ...fromPath };
    } catch {
      return "unknown query parameters";
    }
  } else if (op.method === "DELETE") {
    input = fromPath;
  } else {
    const type = request.headers["content-type"];
    const length = request.body?.length ?? 0;
    if (!type && length === 0) input = fromPath;
    else if (!type?.includes("application/json")) return "not sent as JSON";
    else {
      let body: Json;
      try {
        body = JSON.parse(new TextDecoder().decode(request.body ?? new Uint8Array()));
      } catch {
        return "not valid JSON";
      }
      if (!body || typeof body !== "object" || Array.isArray(body)) return "not a JSON object";
      input = { ...(body as object), ...fromPath };
    }
  }
  // The contract for all text (docs/api/README.md), whatever a field's schema: well-formed Unicode.
  if (holdsLoneSurrogate(input)) return "text with a lone surrogate";
  const parsed = route.input.safeParse(input);
  return parsed.success
    ? null
    : `invalid input (${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message})`;
}

/** Whether any string in `value` (a key or a value, however deep) holds an unpaired surrogate. */
function holdsLoneSurrogate(value: Json): boolean {
  if (typeof value === "string") return LONE_SURROGATE.test(value);
  if (Array.isArray(value)) return value.some(holdsLoneSurrogate);
  if (value && typeof value === "object")
    return Object.entries(value).some(
      ([key, inner]) => LONE_SURROGATE.test(key) || holdsLoneSurrogate(inner),
    );
  return false;
}

/** Written out here rather than taken from shared/schemas/text.ts: the oracle must not share the code it checks. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
