import type { z } from "zod";
import type { ProcedureMeta } from "../trpc/init";
import { appRouter } from "../trpc/router";

type RestMeta = NonNullable<ProcedureMeta["rest"]>;

/** One procedure exposed over REST: where it is, what it takes and answers. */
export interface RestRoute extends RestMeta {
  /** The procedure's path in the tRPC router, e.g. `projects.issues.get`; also the OpenAPI operationId. */
  procedure: string;
  access: NonNullable<ProcedureMeta["access"]>;
  /** The input schema; null when the procedure takes no input (`z.void()`). */
  input: z.ZodType | null;
  output: z.ZodType | null;
  /** The names of the path's `{parameters}`, in order. */
  pathParams: string[];
  /** 201 for creates, 200 otherwise. */
  successStatus: 200 | 201;
}

interface ProcedureDef {
  _def: { meta?: ProcedureMeta; inputs: z.ZodType[]; output?: z.ZodType };
}

const isVoid = (schema: z.ZodType | undefined) => !schema || schema._zod.def.type === "void";

/**
 * Orders routes so a literal segment is tried before a parameter at the same place
 * (`/projects/issues/defaults` before `/projects/issues/{id}`).
 */
function specificity(a: RestRoute, b: RestRoute): number {
  const x = a.path.split("/");
  const y = b.path.split("/");
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const px = x[i]!.startsWith("{");
    const py = y[i]!.startsWith("{");
    if (px !== py) return px ? 1 : -1;
    if (x[i] !== y[i]) return x[i]!.localeCompare(y[i]!);
  }
  return x.length - y.length || a.method.localeCompare(b.method);
}

/** Every procedure of the app router that declares `meta.rest`, read once from the router. */
export function collectRestRoutes(): RestRoute[] {
  const procedures = (appRouter as unknown as { _def: { procedures: Record<string, ProcedureDef> } })._def
    .procedures;
  const routes: RestRoute[] = [];
  for (const [procedure, { _def }] of Object.entries(procedures)) {
    const rest = _def.meta?.rest;
    if (!rest) continue;
    const input = _def.inputs[0];
    routes.push({
      ...rest,
      procedure,
      access: _def.meta?.access ?? "public",
      input: isVoid(input) ? null : (input as z.ZodType),
      output: _def.output ?? null,
      pathParams: [...rest.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!),
      successStatus: rest.method === "POST" && procedure.endsWith(".create") ? 201 : 200,
    });
  }
  return routes.sort(specificity);
}

let memo: RestRoute[] | undefined;
/** The REST routes, collected once per isolate. */
export function restRoutes(): RestRoute[] {
  memo ??= collectRestRoutes();
  return memo;
}
