import type { ControlDb } from "../../db/client";
import type { ControlContext, ServiceTenant, UserActor } from "../../db/context";
import type { Role } from "../../shared/permissions";

/** A person acting through a browser session, as a request of theirs carries them (override what matters). */
export function userActor(userId: string, more: Partial<UserActor> = {}): UserActor {
  return {
    kind: "user",
    userId,
    name: "Test User",
    twoFactorEnabled: false,
    credential: { kind: "session", id: `session-${userId}`, scopes: null },
    ip: null,
    requestId: `req-${crypto.randomUUID().slice(0, 8)}`,
    ...more,
  };
}

/** The context of a service on the control database, for `actor` acting with `role` in `tenant`. */
export function controlContext(
  control: ControlDb,
  tenant: { id: string; slug: string; name: string },
  role: Role | null,
  actor: UserActor,
  more: Partial<ServiceTenant> = {},
): ControlContext<UserActor> {
  return {
    control,
    actor,
    tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name, role, viaRoot: false, ...more },
  };
}
