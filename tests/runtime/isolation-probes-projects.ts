import type { Probe } from "./isolation-probes";

/** Probes for the Projects package's procedures (see isolation-probes.ts for what a probe is). */
export const projectsProbes: Record<string, Probe> = {};
