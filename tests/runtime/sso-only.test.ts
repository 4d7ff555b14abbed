import { SELF } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { tenants, users } from "../../db/control/schema";
import { hashPassword } from "../../worker/auth/password";
import { randomIp } from "./credentials-support";
import { control, member, ORIGIN } from "./support";

const password = "correct horse battery staple 42";

async function ssoOnlyMember() {
  const m = await member("member");
  await control()
    .update(users)
    .set({ passwordHash: await hashPassword(password) })
    .where(eq(users.id, m.user.id));
  await control().update(tenants).set({ ssoOnly: true }).where(eq(tenants.id, m.tenant.id));
  return m;
}

describe("an organization that requires single sign-on", () => {
  it("refuses its members' password sign-in, saying why, and creates no session", async () => {
    const m = await ssoOnlyMember();
    const response = await SELF.fetch(`${ORIGIN}/auth/sign-in`, {
      method: "POST",
      headers: { origin: ORIGIN, "content-type": "application/json", "cf-connecting-ip": randomIp() },
      body: JSON.stringify({ email: m.user.email, password }),
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { reason: string } }).error.reason).toBe("sso_required");
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it("refuses its members the password grant of the token endpoint", async () => {
    const m = await ssoOnlyMember();
    const response = await SELF.fetch(`${ORIGIN}/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": randomIp() },
      body: new URLSearchParams({ grant_type: "password", username: m.user.email, password }).toString(),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe("invalid_grant");
  });
});
