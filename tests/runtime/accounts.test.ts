import { SELF } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { systemActor } from "../../db/context";
import { memberships, tenants, users } from "../../db/control/schema";
import { provisionTenant } from "../../db/tenants";
import { newId } from "../../shared/ids";
import { TENANT_HEADER } from "../../shared/transport";
import { createSession } from "../../worker/auth/session";
import { createUser } from "../support/fixtures";
import { account, signIn } from "./credentials-support";
import { control, member, ORIGIN, plane, trpcQuery } from "./support";

async function globalAdmin() {
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

async function mutate(path: string, input: unknown, token: string, tenant: string) {
  const response = await SELF.fetch(`${ORIGIN}/trpc/${path}?batch=1`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      [TENANT_HEADER]: tenant,
      "content-type": "application/json",
    },
    body: JSON.stringify({ 0: input }),
  });
  return response.status;
}

describe("platform account administration", () => {
  it("lets a Global administrator deactivate an account, which ends its sessions at once", async () => {
    const admin = await globalAdmin();
    const target = await account("owner");
    expect((await trpcQuery("system.me", undefined, { token: target.token })).status).toBe(200);
    expect(
      await mutate("system.accounts.deactivate", { userId: target.user.id }, admin.token, admin.root.slug),
    ).toBe(200);
    expect((await trpcQuery("system.me", undefined, { token: target.token })).status).toBe(401);
    const [row] = await control().select().from(users).where(eq(users.id, target.user.id));
    expect(row?.status).toBe("deactivated");
    const refused = await signIn(target.email, target.password, { ip: target.ip });
    expect(refused.status).toBe(401);
    expect(refused.token).toBeNull();
  });

  it("lets a Global administrator reactivate an account, which can then sign in to its organizations again", async () => {
    const admin = await globalAdmin();
    const target = await account("owner");
    expect(
      await mutate("system.accounts.deactivate", { userId: target.user.id }, admin.token, admin.root.slug),
    ).toBe(200);
    expect(
      await mutate("system.accounts.reactivate", { userId: target.user.id }, admin.token, admin.root.slug),
    ).toBe(200);
    const [row] = await control().select().from(users).where(eq(users.id, target.user.id));
    expect(row?.status).toBe("active");
    // The sessions ended by the deactivation stay ended.
    expect((await trpcQuery("system.me", undefined, { token: target.token })).status).toBe(401);

    // The password signs in again, to the same organizations with the same role.
    const signedIn = await signIn(target.email, target.password, { ip: target.ip });
    expect(signedIn.status).toBe(200);
    expect(signedIn.token).toBeTruthy();
    const me = await trpcQuery("system.me", undefined, { token: signedIn.token! });
    expect(me.status).toBe(200);
    expect(
      me.body.result.data.memberships.map((m: { tenant: { slug: string }; role: string }) => [
        m.tenant.slug,
        m.role,
      ]),
    ).toEqual([[target.tenant.slug, "owner"]]);
    const current = await trpcQuery("system.organization.current", undefined, {
      token: signedIn.token!,
      tenant: target.tenant.slug,
    });
    expect(current.status).toBe(200);
    expect(current.body.result.data.role).toBe("owner");
  });

  it("refuses owners of ordinary organizations, and Global administrators acting elsewhere", async () => {
    const admin = await globalAdmin();
    const owner = await member("owner");
    const target = await member("member");
    expect(
      await mutate("system.accounts.deactivate", { userId: target.user.id }, owner.token, owner.tenant.slug),
    ).toBe(403);
    expect(
      await mutate("system.accounts.deactivate", { userId: target.user.id }, admin.token, owner.tenant.slug),
    ).toBe(403);
    const [row] = await control().select().from(users).where(eq(users.id, target.user.id));
    expect(row?.status).toBe("active");
  });

  it("answers an unknown account with NOT_FOUND and refuses changing one's own", async () => {
    const admin = await globalAdmin();
    expect(
      await mutate("system.accounts.delete", { userId: "no-such-user" }, admin.token, admin.root.slug),
    ).toBe(404);
    expect(
      await mutate("system.accounts.delete", { userId: admin.user.id }, admin.token, admin.root.slug),
    ).toBe(400);
  });
});
