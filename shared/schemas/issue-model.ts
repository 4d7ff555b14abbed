/** The service desk's vocabulary, shared by the schema, the services and the client. */
export const issueTypes = [
  "service_request",
  "incident",
  "known_problem",
  "post_incident_analysis",
  "change",
  "repair",
] as const;
export type IssueType = (typeof issueTypes)[number];

export const priorities = ["critical", "high", "medium", "low"] as const;
export type Priority = (typeof priorities)[number];

export const impactLevels = ["high", "medium", "low"] as const;
export const urgencyLevels = ["high", "medium", "low"] as const;

export const issueLinkKinds = ["relates_to", "duplicates", "blocks", "caused_by"] as const;
export type IssueLinkKind = (typeof issueLinkKinds)[number];

export const commentVisibilities = ["internal", "public"] as const;

export const notificationKinds = ["assigned", "mentioned", "watched_change"] as const;
