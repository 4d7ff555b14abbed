import { type ControlDb, controlDatabase, openClient, type TenantDb, tenantDatabase } from "../db/client";
import { type DataPlane, dataPlaneFrom, type TenantLocation } from "../db/data-plane";
import type { Env } from "./env";

const planes = new WeakMap<object, DataPlane>();

/** The data plane of this Worker's configuration, built once per isolate. */
export function dataPlaneOf(env: Env): DataPlane {
  let plane = planes.get(env);
  if (!plane) {
    plane = dataPlaneFrom(env as unknown as Record<string, unknown>);
    planes.set(env, plane);
  }
  return plane;
}

export function openControl(env: Env): ControlDb {
  return controlDatabase(openClient(dataPlaneOf(env).control));
}

export function openTenant(env: Env, tenant: TenantLocation): TenantDb {
  return tenantDatabase(openClient(dataPlaneOf(env).tenant(tenant)));
}
