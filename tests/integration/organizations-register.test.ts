import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import type { ControlDb } from "../../db/client";
import { systemActor } from "../../db/context";
import { auditLog, memberships, tenants, users } from "../../db/control/schema";
import type { DataPlane } from "../../db/data-plane";
import { LocalProvisioner } from "../../db/provisioning/local";
import { provisionTenant, tenantSlug } from "../../db/tenants";
import { AppError } from "../../shared/errors";
import { newId } from "../../shared/ids";
import { organizationSlug } from "../../shared/schemas/organizations";
import { verifyPassword } from "../../worker/auth/password";
import { registerOrganization } from "../../worker/auth/register-routes";
import { resolveAccess } from "../../worker/auth/session";
import { freshControl, planeWithControl, uniqueName } from "../support/databases";
import { createUser } from "../support/fixtures";

const meta = { ip: "192.0.2.10", userAgent: "Firefox", requestId: "req-register" };
const PASSWORD = "correct horse battery staple";

function details(slug = uniqueName("reg"), email = `${crypto.randomUUID().slice(0, 8)}@cedar.k12.mo.us`) {
  return { organizationName: "Cedar Valley R-II", slug, name: "Casey Owner", email, password: PASSWORD };
}

/** A data plane whose admin API is a closed port: creating a database fails. */
function brokenPlane(plane: DataPlane): DataPlane {
  return { ...plane, provisioner: new LocalProvisioner("http://127.0.0.1:9") };
}

async function failure(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: unknown) => e,
  );
}

async function counts(control: ControlDb, slug: string, email: string) {
  const tenant = await control.query.tenants.findFirst({ where: eq(tenants.slug, slug) });
  const user = await control.query.users.findFirst({ where: eq(users.email, email) });
  const members = tenant
    ? await control.select().from(memberships).where(eq(memberships.tenantId, tenant.id))
    : [];
  return { tenant, user, members: members.length };
}

describe("the short name rules", () => {
  it("accept only what tenant provisioning accepts, after trimming and lower-casing, minus reserved names", () => {
    const samples = [
      "cedar-valley",
      "  Cedar-Valley ",
      "ab",
      "abc",
      "a".repeat(40),
      "a".repeat(41),
      "1abc",
      "abc-",
      "ab_c",
      "r4-district",
      "api",
      "sign-in",
      "global",
      "x--y",
    ];
    for (const sample of samples) {
      const ours = organizationSlug.safeParse(sample);
      if (ours.success) expect(tenantSlug.safeParse(ours.data).success, sample).toBe(true);
    }
    expect(organizationSlug.safeParse("  Cedar-Valley ").data).toBe("cedar-valley");
    expect(organizationSlug.safeParse("api").success).toBe(false);
    expect(tenantSlug.safeParse("abc-").success).toBe(false);
  });
});

describe("registering an organization", () => {
  it("provisions the tenant, creates its owner with a hashed password, signs them in, and audits it all", async () => {
    const control = await freshControl();
    const plane = planeWithControl(control.namespace);
    const input = details();
    const result = await registerOrganization(
      control.db,
      plane,
      { ...input, email: ` ${input.email.toUpperCase()} ` },
      meta,
    );

    expect(result.tenant).toEqual({ slug: input.slug, name: "Cedar Valley R-II" });
    expect(result.user).toMatchObject({ email: input.email, name: "Casey Owner" });
    const { tenant, user, members } = await counts(control.db, input.slug, input.email);
    expect(tenant?.status).toBe("ready");
    expect(members).toBe(1);
    expect(user?.passwordHash).toMatch(/^scrypt\$/);
    expect(await verifyPassword(user!.passwordHash!, PASSWORD)).toBe(true);
    expect(user?.defaultTenantId).toBe(tenant?.id);

    const access = await resolveAccess(control.db, result.token, input.slug);
    expect(access?.tenant?.role).toBe("owner");
    const actions = (await control.db.select().from(auditLog)).map((a) => a.action).sort();
    expect(actions).toEqual([
      "auth.signed_in",
      "membership.created",
      "tenant.created",
      "tenant.provisioned",
      "tenant.registered",
      "user.created",
    ]);
    const [registered] = await control.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "tenant.registered"));
    expect(registered).toMatchObject({
      actorId: user?.id,
      tenantId: tenant?.id,
      ip: "192.0.2.10",
      requestId: "req-register",
    });
  });

  it("refuses an address that already has an account with 409, creating nothing", async () => {
    const control = await freshControl();
    const plane = planeWithControl(control.namespace);
    const existing = await createUser(control.db);
    const input = details(uniqueName("dup"), existing.email);
    const error = (await failure(registerOrganization(control.db, plane, input, meta))) as AppError;
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe("CONFLICT");
    expect(error.userMessage).toMatch(/sign in instead/i);
    expect((await counts(control.db, input.slug, input.email)).tenant).toBeUndefined();
    expect(await control.db.select().from(users)).toHaveLength(1);
  });

  it("refuses short and very common passwords and malformed details, creating nothing", async () => {
    const control = await freshControl();
    const plane = planeWithControl(control.namespace);
    const common = (await failure(
      registerOrganization(control.db, plane, { ...details(), password: "password1234" }, meta),
    )) as AppError;
    expect(common.code).toBe("BAD_REQUEST");
    expect(common.details.fieldErrors?.password).toBeDefined();
    for (const bad of [
      { password: "short" },
      { slug: "Not A Slug!" },
      { slug: "api" },
      { email: "not-an-email" },
      { organizationName: "" },
    ]) {
      expect(
        await failure(registerOrganization(control.db, plane, { ...details(), ...bad }, meta)),
      ).toBeInstanceOf(ZodError);
    }
    expect(await control.db.select().from(tenants)).toHaveLength(0);
    expect(await control.db.select().from(users)).toHaveLength(0);
  });

  it("answers 503 when the database cannot be provisioned, leaves only a failed tenant, and succeeds on retry", async () => {
    const control = await freshControl();
    const plane = planeWithControl(control.namespace);
    const input = details();
    const error = (await failure(
      registerOrganization(control.db, brokenPlane(plane), input, meta),
    )) as AppError;
    expect(error.code).toBe("UNAVAILABLE");
    const afterFailure = await counts(control.db, input.slug, input.email);
    expect(afterFailure.tenant?.status).toBe("failed");
    expect(afterFailure.user).toBeUndefined();
    expect(afterFailure.members).toBe(0);

    const retried = await registerOrganization(
      control.db,
      plane,
      { ...input, organizationName: "Cedar Valley" },
      meta,
    );
    const afterRetry = await counts(control.db, input.slug, input.email);
    expect(afterRetry.tenant).toMatchObject({
      id: afterFailure.tenant?.id,
      status: "ready",
      name: "Cedar Valley",
    });
    expect(afterRetry.members).toBe(1);
    expect(retried.tenant.name).toBe("Cedar Valley");
  });

  it("refuses a short name in use, deleted, or belonging to a failed organization that has members", async () => {
    const control = await freshControl();
    const plane = planeWithControl(control.namespace);
    const ready = await provisionTenant(
      control.db,
      plane,
      { slug: uniqueName("used"), name: "Used" },
      systemActor("test"),
    );
    const now = new Date();
    const deletedSlug = uniqueName("gone");
    const failedSlug = uniqueName("broken");
    const failedId = newId();
    await control.db.insert(tenants).values([
      {
        id: newId(),
        slug: deletedSlug,
        name: "Gone",
        status: "deleted",
        databaseName: `tenant-${deletedSlug}`,
        createdAt: now,
        updatedAt: now,
      },
      {
        id: failedId,
        slug: failedSlug,
        name: "Broken",
        status: "failed",
        databaseName: `tenant-${failedSlug}`,
        createdAt: now,
        updatedAt: now,
      },
    ]);
    const someone = await createUser(control.db);
    await control.db
      .insert(memberships)
      .values({ id: newId(), userId: someone.id, tenantId: failedId, role: "owner", createdAt: now });

    for (const slug of [ready.slug, deletedSlug, failedSlug]) {
      const error = (await failure(registerOrganization(control.db, plane, details(slug), meta))) as AppError;
      expect(error.code, slug).toBe("CONFLICT");
      expect(error.details.fieldErrors?.slug).toBeDefined();
    }
    expect((await control.db.query.tenants.findFirst({ where: eq(tenants.id, failedId) }))?.status).toBe(
      "failed",
    );
    expect(await control.db.select().from(users)).toHaveLength(1);
  });

  it("gives a new short name to only one of two registrations racing for it", async () => {
    const control = await freshControl();
    const plane = planeWithControl(control.namespace);
    const slug = uniqueName("race");
    const settled = await Promise.allSettled([
      registerOrganization(control.db, plane, details(slug), meta),
      registerOrganization(control.db, plane, details(slug), meta),
      registerOrganization(control.db, plane, details(slug), meta),
    ]);
    expect(settled.filter((s) => s.status === "fulfilled")).toHaveLength(1);
    for (const s of settled.filter((s) => s.status === "rejected")) {
      expect(((s as PromiseRejectedResult).reason as AppError).code).toBe("CONFLICT");
    }
    const tenant = await control.db.query.tenants.findFirst({ where: eq(tenants.slug, slug) });
    // The losers must not have disturbed the winner's provisioning.
    expect(tenant?.status).toBe("ready");
    const owners = await control.db.select().from(memberships).where(eq(memberships.tenantId, tenant!.id));
    expect(owners).toHaveLength(1);
    expect(await control.db.select().from(users)).toHaveLength(1);
  });

  it("gives an address to only one of two registrations racing with it, leaving the other's name free again", async () => {
    const control = await freshControl();
    const plane = planeWithControl(control.namespace);
    const email = `racer-${crypto.randomUUID().slice(0, 8)}@example.org`;
    const [one, two] = [details(uniqueName("one"), email), details(uniqueName("two"), email)];
    const settled = await Promise.allSettled([
      registerOrganization(control.db, plane, one, meta),
      registerOrganization(control.db, plane, two, meta),
    ]);
    expect(settled.filter((s) => s.status === "fulfilled")).toHaveLength(1);
    const loser = settled.findIndex((s) => s.status === "rejected");
    expect(((settled[loser] as PromiseRejectedResult).reason as AppError).code).toBe("CONFLICT");
    const loserSlug = [one, two][loser]!.slug;
    const loserTenant = await control.db.query.tenants.findFirst({ where: eq(tenants.slug, loserSlug) });
    // Either the address check refused it before provisioning, or the batch did and the tenant was released.
    expect(loserTenant === undefined || loserTenant.status === "failed").toBe(true);
    const again = await registerOrganization(control.db, plane, details(loserSlug), meta);
    expect(again.tenant.slug).toBe(loserSlug);
  });
});
