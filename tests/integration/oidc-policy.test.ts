import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { memberships, tenants } from "../../db/control/schema";
import { passwordSignInAllowed } from "../../worker/auth/oidc/policy";
import { freshControl, planeWithControl } from "../support/databases";
import { createUser, tenantWithMember } from "../support/fixtures";

describe("password sign-in under SSO-only organizations", () => {
  it("allows a password for a user who belongs to no organization", async () => {
    const { db } = await freshControl();
    const user = await createUser(db);
    expect(await passwordSignInAllowed(db, user.id)).toBe(true);
  });

  it("allows a password for a member of organizations that do not require SSO", async () => {
    const control = await freshControl();
    const { user } = await tenantWithMember(control.db, planeWithControl(control.namespace), "member");
    expect(await passwordSignInAllowed(control.db, user.id)).toBe(true);
  });

  it("refuses a password for an active member of an SSO-only organization", async () => {
    const control = await freshControl();
    const { user, tenant } = await tenantWithMember(control.db, planeWithControl(control.namespace), "admin");
    await control.db.update(tenants).set({ ssoOnly: true }).where(eq(tenants.id, tenant.id));
    expect(await passwordSignInAllowed(control.db, user.id)).toBe(false);
  });

  it("no longer holds a user to an SSO-only organization that deactivated them or was deleted", async () => {
    const control = await freshControl();
    const plane = planeWithControl(control.namespace);
    const deactivated = await tenantWithMember(control.db, plane, "member");
    await control.db.update(tenants).set({ ssoOnly: true }).where(eq(tenants.id, deactivated.tenant.id));
    await control.db
      .update(memberships)
      .set({ status: "deactivated" })
      .where(eq(memberships.userId, deactivated.user.id));
    expect(await passwordSignInAllowed(control.db, deactivated.user.id)).toBe(true);

    const deleted = await tenantWithMember(control.db, plane, "member");
    await control.db
      .update(tenants)
      .set({ ssoOnly: true, deletedAt: new Date() })
      .where(eq(tenants.id, deleted.tenant.id));
    expect(await passwordSignInAllowed(control.db, deleted.user.id)).toBe(true);
  });
});
