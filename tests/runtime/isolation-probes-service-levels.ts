import type { Probe } from "./isolation-probes";

/**
 * Probes for the organization's service levels (see isolation-probes.ts for what a probe is). The policy
 * holds no ids: B reads and replaces its own, and nothing of A's may change or show.
 */
export const serviceLevelsProbes: Record<string, Probe> = {
  "projects.serviceLevels.get": { noIds: "takes no input: B's own policy" },
  "projects.serviceLevels.update": {
    input: () => ({
      timeZone: "America/Chicago",
      workingDays: ["mon", "tue", "wed", "thu", "fri"],
      dayStart: "07:00",
      dayEnd: "16:00",
      holidays: ["2026-12-25"],
      targets: {
        critical: { responseMinutes: 60, resolutionMinutes: 240, clock: "always" },
        high: { responseMinutes: 240, resolutionMinutes: 540, clock: "business" },
        medium: { responseMinutes: 540, resolutionMinutes: 1620, clock: "business" },
        low: { responseMinutes: 1620, resolutionMinutes: 5400, clock: "business" },
      },
    }),
    noIds: "replaces B's own policy, which names nothing else",
  },
};
