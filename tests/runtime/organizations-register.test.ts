import { SELF } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, emailOutbox, memberships, tenants, users } from "../../db/control/schema";
import { TENANT_HEADER } from "../../shared/transport";
import { control, ORIGIN } from "./support";

// biome-ignore lint/suspicious/noExplicitAny: assertions read whatever shape each route answers
type Json = any;

function randomIp(): string {
  const b = crypto.getRandomValues(new Uint8Array(6));
  return `2001:db8:${[...b].map((x) => x.toString(16)).join(":")}::2`;
}

function details(overrides: Record<string, unknown> = {}) {
  const id = crypto.randomUUID().slice(0, 8);
  return {
    organizationName: "Prairie Point R-I",
    slug: `reg-${id}`,
    name: "Robin Registrar",
    email: `robin-${id}@prairie.k12.mo.us`,
    password: "Quiet-Meadow-Lantern-81",
    ...overrides,
  };
}

async function register(body: unknown, options: { ip?: string; headers?: Record<string, string> } = {}) {
  const response = await SELF.fetch(`${ORIGIN}/auth/register`, {
    method: "POST",
    headers: {
      origin: ORIGIN,
      "content-type": "application/json",
      "cf-connecting-ip": options.ip ?? randomIp(),
      ...options.headers,
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Json, response };
}

function cookieOf(response: Response): string | null {
  return /nexus_session=([^;]*)/.exec(response.headers.get("set-cookie") ?? "")?.[1] ?? null;
}

async function tenantNamed(slug: string) {
  return control().query.tenants.findFirst({ where: eq(tenants.slug, slug) });
}

describe("registering an organization through the Worker", () => {
  it("creates the organization and its owner, sets the session cookie, and the owner can work in it at once", async () => {
    const input = details();
    const result = await register(input);
    expect(result.status).toBe(201);
    expect(result.body).toEqual({
      user: { id: expect.any(String), email: input.email, name: "Robin Registrar" },
      tenant: { slug: input.slug, name: "Prairie Point R-I" },
    });
    const setCookie = result.response.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/Secure/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(JSON.stringify(result.body)).not.toContain("password");
    const cookie = cookieOf(result.response)!;
    expect(cookie).toBeTruthy();

    const browser = { cookie: `nexus_session=${cookie}`, [TENANT_HEADER]: input.slug };
    const settings = await SELF.fetch(`${ORIGIN}/trpc/system.settings.get`, { headers: browser });
    expect(settings.status).toBe(200);
    expect(((await settings.json()) as Json).result.data).toMatchObject({
      slug: input.slug,
      kind: "district",
    });

    const update = await SELF.fetch(`${ORIGIN}/trpc/system.settings.update`, {
      method: "POST",
      headers: { ...browser, origin: ORIGIN, "content-type": "application/json" },
      body: JSON.stringify({ brandColor: "#0B6E4F" }),
    });
    expect(update.status).toBe(200);
    expect(((await update.json()) as Json).result.data.brandColor).toBe("#0b6e4f");

    const list = await SELF.fetch(
      `${ORIGIN}/trpc/system.users.list?input=${encodeURIComponent(JSON.stringify({}))}`,
      { headers: browser },
    );
    const people = ((await list.json()) as Json).result.data.items;
    expect(people).toEqual([
      expect.objectContaining({ email: input.email, role: "owner", status: "active" }),
    ]);

    // The owner's address is not confirmed yet: a verification link is on its way to it.
    const [owner] = await control().select().from(users).where(eq(users.email, input.email));
    expect(owner?.emailVerifiedAt).toBeNull();
    const mail = await control().select().from(emailOutbox).where(eq(emailOutbox.to, input.email));
    expect(mail.map((m) => m.kind)).toEqual(["email_verification"]);
  });

  it("answers an address that already has an account with 409, creating nothing", async () => {
    const first = details();
    expect((await register(first)).status).toBe(201);
    const second = details({ email: first.email.toUpperCase() });
    const result = await register(second);
    expect(result.status).toBe(409);
    expect(result.body.error.code).toBe("CONFLICT");
    expect(result.body.error.message).toMatch(/sign in instead/i);
    expect(cookieOf(result.response)).toBeNull();
    expect(await tenantNamed(second.slug)).toBeUndefined();
    expect(await control().select().from(users).where(eq(users.email, first.email))).toHaveLength(1);
  });

  it("answers malformed details and weak passwords with 400 and the fields at fault, without a stack trace", async () => {
    const result = await register(details({ slug: "No Spaces", email: "nobody", password: "short" }));
    expect(result.status).toBe(400);
    expect(Object.keys(result.body.error.fieldErrors).sort()).toEqual(["email", "password", "slug"]);
    expect(JSON.stringify(result.body)).not.toMatch(/stack|at .*\.ts/);
    const common = details({ password: "password1234" });
    const weak = await register(common);
    expect(weak.status).toBe(400);
    expect(weak.body.error.fieldErrors.password).toBeDefined();
    expect(await tenantNamed(common.slug)).toBeUndefined();
  });

  it("is rate limited per IP: well-formed attempts past the allowance get 429 with Retry-After and change nothing", async () => {
    const ip = randomIp();
    const taken = details();
    expect((await register(taken, { ip })).status).toBe(201);
    // Malformed attempts are not counted.
    for (let i = 0; i < 3; i++) expect((await register({ slug: "x" }, { ip })).status).toBe(400);
    for (let i = 0; i < 4; i++) {
      expect((await register(details({ email: taken.email }), { ip })).status).toBe(409);
    }
    const fresh = details();
    const limited = await register(fresh, { ip });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("TOO_MANY_REQUESTS");
    expect(Number(limited.response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await tenantNamed(fresh.slug)).toBeUndefined();
    expect((await register(details(), { ip: randomIp() })).status).toBe(201);
  });

  it("refuses a registration posted from another site", async () => {
    const input = details();
    const result = await register(input, { headers: { origin: "https://evil.example" } });
    expect(result.status).toBe(403);
    expect(await tenantNamed(input.slug)).toBeUndefined();
  });

  it("records who registered, from where, in the new organization's audit trail", async () => {
    const ip = randomIp();
    const input = details();
    const result = await register(input, { ip });
    const requestId = result.response.headers.get("x-request-id");
    const tenant = await tenantNamed(input.slug);
    const rows = await control().select().from(auditLog).where(eq(auditLog.tenantId, tenant!.id));
    expect(rows.map((r) => r.action).sort()).toEqual([
      "membership.created",
      "tenant.created",
      "tenant.provisioned",
      "tenant.registered",
      "user.created",
    ]);
    for (const row of rows) expect(row).toMatchObject({ ip, requestId });
    const [membership] = await control()
      .select()
      .from(memberships)
      .where(eq(memberships.tenantId, tenant!.id));
    expect(membership).toMatchObject({ userId: result.body.user.id, role: "owner", status: "active" });
  });
});
