import type { Probe } from "./isolation-probes";

/**
 * Probes for the Projects package's procedures (see isolation-probes.ts for what a probe is): B names A's
 * project, issues (one in a shared project) and saved filter wherever a procedure takes ids.
 */
export const projectsProbes: Record<string, Probe> = {
  // Projects.
  "projects.projects.list": {
    input: () => ({ includeArchived: true }),
    noIds: "lists B's own and the shared projects; takes no filter",
  },
  "projects.projects.get": { input: (w) => ({ scope: "tenant", id: w.projects.project.id }) },
  "projects.projects.create": {
    input: (w) => ({ key: "PROBE", name: "Isolation probe project", defaultAssigneeGroupId: w.a.group.id }),
  },
  "projects.projects.update": { input: (w) => ({ id: w.projects.project.id, name: "Taken over" }) },
  "projects.projects.archive": { input: (w) => ({ id: w.projects.project.id }) },
  "projects.projects.restore": { input: (w) => ({ id: w.projects.project.id }) },

  // Issues.
  "projects.issues.list": {
    input: (w) => ({ filters: { projectScope: "tenant", projectId: w.projects.project.id } }),
  },
  "projects.issues.listDefaults": { noIds: "takes no input: B's own remembered context" },
  "projects.issues.get": { input: (w) => ({ id: w.projects.issue.id }) },
  "projects.issues.create": {
    input: (w) => ({
      projectScope: "tenant",
      projectId: w.projects.project.id,
      type: "incident",
      title: "Filed in A's project by B",
      impact: "low",
      urgency: "low",
    }),
  },
  "projects.issues.update": { input: (w) => ({ id: w.projects.issue.id, version: 1, title: "Taken over" }) },
  "projects.issues.transition": {
    input: (w) => ({ id: w.projects.sharedIssue.id, version: 1, to: "diagnosing" }),
  },
  "projects.issues.archive": { input: (w) => ({ id: w.projects.issue.id }) },
  "projects.issues.restore": { input: (w) => ({ id: w.projects.sharedIssue.id }) },
  "projects.issues.export": { input: (w) => ({ filters: { search: w.projects.issue.title } }) },
  // A's user is no member of B: the whole request is refused.
  "projects.issues.bulkAssign": {
    input: (w) => ({ ids: [w.projects.issue.id, w.projects.sharedIssue.id], assigneeUserId: w.a.user.id }),
  },
  "projects.issues.bulkTransition": {
    input: (w) => ({ ids: [w.projects.issue.id, w.projects.sharedIssue.id], to: "triaged" }),
  },
  "projects.issues.counts": { input: (w) => ({ projectScope: "tenant", projectId: w.projects.project.id }) },
  "projects.issues.bulkClose": { input: (w) => ({ ids: [w.projects.issue.id, w.projects.sharedIssue.id] }) },

  // The people picker: B finds only its own members and groups.
  "projects.people.search": { input: (w) => ({ q: w.a.user.email }) },

  // Saved filters (the caller's own).
  "projects.savedFilters.list": { noIds: "takes no input: B's own filters" },
  "projects.savedFilters.create": {
    input: () => ({ name: "Isolation probe filter", filters: { type: ["incident"] } }),
    noIds: "saves B's own criteria under B's own name",
  },
  "projects.savedFilters.update": { input: (w) => ({ id: w.projects.savedFilter.id, name: "Taken over" }) },
  "projects.savedFilters.delete": { input: (w) => ({ id: w.projects.savedFilter.id }) },

  // The root desk: B, an owner of an ordinary organization, is refused.
  "projects.desk.list": { input: (w) => ({ tenantId: w.a.tenant.id }) },

  // The global search (mounted in System).
  "system.search.query": { input: (w) => ({ q: w.projects.issue.title }) },
};
