import type { ControlDb } from "../../db/client";
import { systemActor } from "../../db/context";
import { memberships, users } from "../../db/control/schema";
import type { DataPlane } from "../../db/data-plane";
import { provisionTenant } from "../../db/tenants";
import { newId } from "../../shared/ids";
import type { Role } from "../../shared/permissions";
import { createSession } from "../../worker/auth/session";

/** Works in Node and in workerd: a provisioned tenant, one member with `role`, and a live session token. */
export async function tenantWithMember(control: ControlDb, plane: DataPlane, role: Role = "owner") {
  const slug = `t-${crypto.randomUUID().slice(0, 8)}`;
  const tenant = await provisionTenant(
    control,
    plane,
    { slug, name: `District ${slug}` },
    systemActor("test"),
  );
  const user = await createUser(control);
  await control
    .insert(memberships)
    .values({ id: newId(), userId: user.id, tenantId: tenant.id, role, createdAt: new Date() });
  const { token } = await createSession(control, user.id, { ip: null, userAgent: "test" });
  return { tenant, user, token };
}

export async function createUser(control: ControlDb, status: "active" | "deactivated" = "active") {
  const now = new Date();
  const user = {
    id: newId(),
    email: `user-${crypto.randomUUID().slice(0, 8)}@example.org`,
    name: "Test User",
    passwordHash: null,
    status,
    createdAt: now,
    updatedAt: now,
  };
  await control.insert(users).values(user);
  return user;
}
