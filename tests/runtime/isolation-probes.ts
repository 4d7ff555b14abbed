import type { World } from "./isolation-world";

/**
 * One probe per procedure of the router: the input with which organization B's user tries to reach
 * organization A's objects. The suite fails for any procedure that has no probe here, so a new procedure
 * cannot escape it. `input` names A's ids wherever the procedure takes ids; procedures without ids get an
 * ordinary valid input (they are then checked not to answer anything of A's).
 */
export interface Probe {
  input?: (world: World) => unknown;
}

export const probes: Record<string, Probe> = {
  "system.me": {},
  "system.health.status": {},
  "system.organization.current": {},
  "system.organization.overview": {},
  "education.schools.list": { input: (w) => ({ search: w.a.school.name }) },
};
