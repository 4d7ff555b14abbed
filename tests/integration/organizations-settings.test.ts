import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import type { ControlDb } from "../../db/client";
import type { UserActor } from "../../db/context";
import { auditLog, tenants } from "../../db/control/schema";
import type { AppError } from "../../shared/errors";
import { newId } from "../../shared/ids";
import type { Role } from "../../shared/permissions";
import { accessCache } from "../../worker/auth/access-cache";
import type { ResolvedAccess } from "../../worker/auth/session";
import { deleteOrganization } from "../../worker/packages/system/settings/delete-organization";
import { getSettings } from "../../worker/packages/system/settings/get-settings";
import { updateSecurity } from "../../worker/packages/system/settings/update-security";
import { updateSettings } from "../../worker/packages/system/settings/update-settings";
import { controlContext, userActor } from "../support/actors";
import { freshControl } from "../support/databases";

async function organization(control: ControlDb, kind: "district" | "root" = "district") {
  const slug = `org-${crypto.randomUUID().slice(0, 8)}`;
  const now = new Date("2026-09-01T00:00:00Z");
  const tenant = {
    id: newId(),
    slug,
    name: "Cedar Valley R-II",
    kind,
    status: "ready" as const,
    databaseName: `tenant-${slug}`,
    createdAt: now,
    updatedAt: now,
  };
  await control.insert(tenants).values(tenant);
  return tenant;
}

/** An administrator's context in `tenant` (with their user id at hand, for assertions on the audit). */
function actor(
  control: ControlDb,
  tenant: { id: string; slug: string; name: string },
  role: Role = "owner",
  more: Partial<UserActor> = {},
) {
  const who = userActor(newId(), { ip: "198.51.100.4", requestId: "req-settings", ...more });
  return { ...controlContext(control, tenant, role, who), userId: who.userId };
}

async function failure(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: unknown) => e,
  );
}

const entries = (control: ControlDb, tenantId: string) =>
  control.select().from(auditLog).where(eq(auditLog.targetId, tenantId));

/** 1×1 transparent PNG. */
const PNG =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

describe("organization settings", () => {
  it("reads the defaults of a new organization", async () => {
    const { db } = await freshControl();
    const org = await organization(db);
    expect(await getSettings(db, org.id)).toEqual({
      id: org.id,
      name: "Cedar Valley R-II",
      slug: org.slug,
      kind: "district",
      logoUrl: null,
      brandColor: null,
      defaultRole: "member",
      security: {
        allowedDomains: [],
        ssoOnly: false,
        twoFactorRequired: false,
        sessionLifetimeMinutes: 480,
        patMaxLifetimeDays: 365,
        patAllowNoExpiry: false,
      },
      createdAt: "2026-09-01T00:00:00.000Z",
      updatedAt: "2026-09-01T00:00:00.000Z",
    });
  });

  it("changes only the fields given and audits each one's before and after", async () => {
    const { db } = await freshControl();
    const org = await organization(db);
    const who = actor(db, org, "admin");
    const after = await updateSettings(who, {
      name: "  Cedar Valley R-II School District ",
      brandColor: "#1A73E8",
      defaultRole: "viewer",
    });
    expect(after).toMatchObject({
      name: "Cedar Valley R-II School District",
      brandColor: "#1a73e8",
      defaultRole: "viewer",
      logoUrl: null,
    });
    expect(await getSettings(db, org.id)).toMatchObject({ brandColor: "#1a73e8", defaultRole: "viewer" });
    const [entry] = await entries(db, org.id);
    expect(entry).toMatchObject({
      action: "tenant.settings_updated",
      tenantId: org.id,
      actorId: who.userId,
      targetType: "tenant",
      before: { name: "Cedar Valley R-II", brandColor: null, defaultRole: "member" },
      after: { name: "Cedar Valley R-II School District", brandColor: "#1a73e8", defaultRole: "viewer" },
      ip: "198.51.100.4",
      requestId: "req-settings",
    });
  });

  it("writes nothing when nothing changes", async () => {
    const { db } = await freshControl();
    const org = await organization(db);
    await updateSettings(actor(db, org), { name: "Cedar Valley R-II", defaultRole: "member" });
    await updateSettings(actor(db, org), {});
    expect(await entries(db, org.id)).toHaveLength(0);
  });

  it("accepts an https logo or a small PNG data URL, and keeps only a summary of a data URL in the audit log", async () => {
    const { db } = await freshControl();
    const org = await organization(db);
    await updateSettings(actor(db, org), { logoUrl: "https://cdn.example.org/logo.svg" });
    await updateSettings(actor(db, org), { logoUrl: PNG });
    expect((await getSettings(db, org.id)).logoUrl).toBe(PNG);
    const logged = (await entries(db, org.id)).map((e) => e.after as { logoUrl: string });
    const summary = logged.find((a) => a.logoUrl.startsWith("data:"))?.logoUrl;
    expect(summary).toMatch(/^data:image\/png;base64,… \(\d+ bytes, sha256 [0-9a-f]{16}…\)$/);
    await updateSettings(actor(db, org), { logoUrl: null });
    expect((await getSettings(db, org.id)).logoUrl).toBeNull();
  });

  it("refuses bad colours, logos and roles, naming each field, and changes nothing", async () => {
    const { db } = await freshControl();
    const org = await organization(db);
    const bigSvg = `data:image/svg+xml;base64,${btoa("<svg>".padEnd(110 * 1024, " "))}`;
    for (const [input, field] of [
      [{ brandColor: "red" }, "brandColor"],
      [{ brandColor: "#12345" }, "brandColor"],
      [{ logoUrl: "http://insecure.example.org/logo.png" }, "logoUrl"],
      [{ logoUrl: "javascript:alert(1)" }, "logoUrl"],
      [{ logoUrl: "data:image/gif;base64,R0lGODlhAQABAAAAACw=" }, "logoUrl"],
      [{ logoUrl: "data:text/html;base64,PHNjcmlwdD4=" }, "logoUrl"],
      [{ logoUrl: bigSvg }, "logoUrl"],
      [{ defaultRole: "owner" }, "defaultRole"],
      [{ name: "x" }, "name"],
      [{ slug: "renamed" }, ""],
    ] as const) {
      const error = await failure(updateSettings(actor(db, org), input as never));
      expect(error, JSON.stringify(input)).toBeInstanceOf(ZodError);
      expect((error as ZodError).issues[0]?.path.join(".")).toBe(field);
    }
    expect((await getSettings(db, org.id)).updatedAt).toBe("2026-09-01T00:00:00.000Z");
    expect(await entries(db, org.id)).toHaveLength(0);
  });
});

describe("security settings", () => {
  it("stores domains lower-cased without duplicates, with the session lifetime, and drops cached access", async () => {
    const { db } = await freshControl();
    const org = await organization(db);
    accessCache.set("some-session", org.slug, {
      user: { id: "u", email: "u@example.org", name: "U", twoFactorEnabled: false },
      session: { expiresAt: new Date(Date.now() + 60_000) },
    } as ResolvedAccess);
    const result = await updateSecurity(actor(db, org), {
      allowedDomains: ["Cedar.K12.MO.us", "cedar.k12.mo.us ", "staff.cedar.org"],
      sessionLifetimeMinutes: 60,
      ssoOnly: true,
    });
    expect(result.security).toEqual({
      allowedDomains: ["cedar.k12.mo.us", "staff.cedar.org"],
      ssoOnly: true,
      twoFactorRequired: false,
      sessionLifetimeMinutes: 60,
      patMaxLifetimeDays: 365,
      patAllowNoExpiry: false,
    });
    expect(accessCache.get("some-session", org.slug)).toBeUndefined();
    const [entry] = await entries(db, org.id);
    expect(entry).toMatchObject({
      action: "tenant.security_updated",
      before: { allowedDomains: [], sessionLifetimeMinutes: 480, ssoOnly: false },
      after: {
        allowedDomains: ["cedar.k12.mo.us", "staff.cedar.org"],
        sessionLifetimeMinutes: 60,
        ssoOnly: true,
      },
    });
  });

  it("refuses hosts that are not domains, more than 50 domains, and lifetimes outside 15 minutes to 7 days", async () => {
    const { db } = await freshControl();
    const org = await organization(db);
    const tooMany = Array.from({ length: 51 }, (_, i) => `d${i}.example.org`);
    for (const input of [
      { allowedDomains: ["localhost"] },
      { allowedDomains: ["bad_domain.org"] },
      { allowedDomains: ["-x.example.org"] },
      { allowedDomains: ["user@example.org"] },
      { allowedDomains: ["example.org/path"] },
      { allowedDomains: tooMany },
      { sessionLifetimeMinutes: 14 },
      { sessionLifetimeMinutes: 10081 },
      { sessionLifetimeMinutes: 30.5 },
      { ssoOnly: "yes" },
    ]) {
      expect(
        await failure(updateSecurity(actor(db, org), input as never)),
        JSON.stringify(input),
      ).toBeInstanceOf(ZodError);
    }
    expect((await getSettings(db, org.id)).security.allowedDomains).toEqual([]);
    expect(await entries(db, org.id)).toHaveLength(0);
  });

  it("sets the personal access token policy within 1 to 365 days and audits it", async () => {
    const { db } = await freshControl();
    const org = await organization(db);
    const result = await updateSecurity(actor(db, org), { patMaxLifetimeDays: 30, patAllowNoExpiry: true });
    expect(result.security).toMatchObject({ patMaxLifetimeDays: 30, patAllowNoExpiry: true });
    const [entry] = await entries(db, org.id);
    expect(entry).toMatchObject({
      action: "tenant.security_updated",
      before: { patMaxLifetimeDays: 365, patAllowNoExpiry: false },
      after: { patMaxLifetimeDays: 30, patAllowNoExpiry: true },
    });
    for (const input of [
      { patMaxLifetimeDays: 0 },
      { patMaxLifetimeDays: 366 },
      { patMaxLifetimeDays: 1.5 },
      { patAllowNoExpiry: "yes" },
    ]) {
      expect(
        await failure(updateSecurity(actor(db, org), input as never)),
        JSON.stringify(input),
      ).toBeInstanceOf(ZodError);
    }
    expect((await getSettings(db, org.id)).security).toMatchObject({
      patMaxLifetimeDays: 30,
      patAllowNoExpiry: true,
    });
  });

  it("requires administrators to have two-factor themselves before requiring it of everyone", async () => {
    const { db } = await freshControl();
    const org = await organization(db);
    const error = (await failure(updateSecurity(actor(db, org), { twoFactorRequired: true }))) as AppError;
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.details.fieldErrors?.twoFactorRequired).toBeDefined();
    const withTotp = await updateSecurity(actor(db, org, "owner", { twoFactorEnabled: true }), {
      twoFactorRequired: true,
    });
    expect(withTotp.security.twoFactorRequired).toBe(true);
  });
});

describe("deleting an organization", () => {
  it("lets only an owner delete, confirmed by the short name, and keeps the organization's record and history", async () => {
    const { db } = await freshControl();
    const org = await organization(db);
    const admin = (await failure(deleteOrganization(actor(db, org, "admin"), org.slug))) as AppError;
    expect(admin.code).toBe("FORBIDDEN");
    const wrong = (await failure(deleteOrganization(actor(db, org), "something-else"))) as AppError;
    expect(wrong.code).toBe("BAD_REQUEST");
    expect(wrong.details.fieldErrors?.confirmSlug).toBeDefined();
    expect((await db.query.tenants.findFirst({ where: eq(tenants.id, org.id) }))?.status).toBe("ready");

    const now = new Date("2026-10-01T10:00:00Z");
    const owner = actor(db, org);
    expect(await deleteOrganization(owner, org.slug.toUpperCase(), now)).toEqual({
      deleted: true,
      deletedAt: "2026-10-01T10:00:00.000Z",
    });
    const row = await db.query.tenants.findFirst({ where: eq(tenants.id, org.id) });
    expect(row).toMatchObject({ status: "deleted", deletedAt: now, name: "Cedar Valley R-II" });
    const [entry] = await entries(db, org.id);
    expect(entry).toMatchObject({
      action: "tenant.deleted",
      actorId: owner.userId,
      before: { status: "ready" },
      after: { status: "deleted" },
    });
    expect(((await failure(getSettings(db, org.id))) as AppError).code).toBe("NOT_FOUND");
    expect(((await failure(deleteOrganization(owner, org.slug))) as AppError).code).toBe("NOT_FOUND");
  });

  it("never deletes the Global organization", async () => {
    const { db } = await freshControl();
    const root = await organization(db, "root");
    expect(((await failure(deleteOrganization(actor(db, root), root.slug))) as AppError).code).toBe(
      "FORBIDDEN",
    );
  });
});
