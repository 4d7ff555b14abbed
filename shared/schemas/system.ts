import { z } from "zod";
import { roles } from "../permissions";
import { currentPassword } from "./credentials";

export const databaseReadiness = z.object({
  ok: z.boolean(),
  reachable: z.boolean(),
  pendingMigrations: z.number().int().nullable(),
  latencyMs: z.number(),
  error: z.string().optional(),
});
export type DatabaseReadiness = z.infer<typeof databaseReadiness>;

export const tenantStatus = z.enum(["provisioning", "ready", "failed", "deleted"]);

export const tenantReadiness = databaseReadiness.extend({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  status: tenantStatus,
});
export type TenantReadiness = z.infer<typeof tenantReadiness>;

/** A check of the Worker's own settings: fine, or what is wrong (for operators). */
export const settingReadiness = z.object({ ok: z.boolean(), error: z.string().optional() });

export const readiness = z.object({
  ready: z.boolean(),
  checkedAt: z.string(),
  control: databaseReadiness,
  tenants: z.array(tenantReadiness),
  /** PUBLIC_URL, which OAuth redirect URIs and links in email are built on; required in production. */
  publicUrl: settingReadiness,
});
export type Readiness = z.infer<typeof readiness>;

/**
 * Readiness as anyone may see it (`GET /readyz`, the status page of a non-operator): ready or not and counts
 * only — never which organizations exist or how their databases answer.
 */
export const readinessSummary = z.object({
  ready: z.boolean(),
  checkedAt: z.string(),
  control: z.object({ ok: z.boolean() }),
  tenants: z.object({
    total: z.number().int(),
    ready: z.number().int(),
    failing: z.number().int(),
  }),
});
export type ReadinessSummary = z.infer<typeof readinessSummary>;

export const tenantSummary = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  kind: z.enum(["district", "root"]),
  status: tenantStatus,
});

export const meOutput = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string() }),
  memberships: z.array(
    z.object({
      tenant: tenantSummary,
      role: z.enum(roles),
      /** True when the access comes from administering the root organization, not from a membership. */
      viaRoot: z.boolean(),
    }),
  ),
});
export type Me = z.infer<typeof meOutput>;

export const jobRunOutput = z.object({
  id: z.string(),
  kind: z.string(),
  trigger: z.string(),
  status: z.enum(["running", "succeeded", "failed"]),
  counts: z.record(z.string(), z.number()).nullable(),
  error: z.string().nullable(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
});

export const signInInput = z.object({
  email: z.email().max(254),
  password: currentPassword,
});
