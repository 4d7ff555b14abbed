import { SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { systemActor } from "../../db/context";
import { memberships, tenants } from "../../db/control/schema";
import { provisionTenant } from "../../db/tenants";
import { newId } from "../../shared/ids";
import { TENANT_HEADER } from "../../shared/transport";
import { createSession } from "../../worker/auth/session";
import { dataPlaneOf, openControl } from "../../worker/data";
import type { Env } from "../../worker/env";
import { createUser, tenantWithMember } from "../support/fixtures";

export const testEnv = env as unknown as Env;
export const control = () => openControl(testEnv);
export const plane = () => dataPlaneOf(testEnv);
export const ORIGIN = "http://nexus.test";

export function member(role: Parameters<typeof tenantWithMember>[2] = "owner") {
  return tenantWithMember(control(), plane(), role);
}

/** A new administrator of the root ("Global") organization (made when missing), with a live session token. */
export async function globalAdmin() {
  let root = await control().query.tenants.findFirst({ where: eq(tenants.kind, "root") });
  root ??= await provisionTenant(
    control(),
    plane(),
    { slug: "global", name: "Global", kind: "root" },
    systemActor("test"),
  );
  const user = await createUser(control());
  await control()
    .insert(memberships)
    .values({ id: newId(), userId: user.id, tenantId: root.id, role: "admin", createdAt: new Date() });
  const { token } = await createSession(control(), user.id, { ip: null, userAgent: null });
  return { root, user, token };
}

/** A tRPC query through the Worker's real fetch handler. */
export async function trpcQuery(
  path: string,
  input: unknown,
  options: { token?: string; tenant?: string; headers?: Record<string, string> } = {},
) {
  const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.tenant) headers[TENANT_HEADER] = options.tenant;
  const response = await SELF.fetch(`${ORIGIN}/trpc/${path}${query}`, { headers });
  // biome-ignore lint/suspicious/noExplicitAny: assertions read whatever shape each procedure answers
  return { status: response.status, body: (await response.json()) as any, headers: response.headers };
}

/** Polls `probe` until it returns a value, for work a queue consumer finishes after the test's call returns. */
export async function eventually<T>(
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 100));
  }
}
