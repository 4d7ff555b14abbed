import type { Probe } from "./isolation-probes";

/**
 * Probes for the Projects package's procedures around issues (see isolation-probes.ts for what a probe
 * is): B names A's issue, comment, link, attachment, notification, category and request type.
 */
export const issueExtrasProbes: Record<string, Probe> = {
  // Comments.
  "projects.comments.list": { input: (w) => ({ issueId: w.issueExtras.issue.id }) },
  "projects.comments.create": {
    input: (w) => ({
      issueId: w.issueExtras.issue.id,
      body: "Isolation probe comment",
      visibility: "public",
    }),
  },
  "projects.comments.update": { input: (w) => ({ id: w.issueExtras.comment.id, body: "Taken over" }) },
  "projects.comments.delete": { input: (w) => ({ id: w.issueExtras.comment.id }) },

  // Attachments (the bytes' HTTP routes are probed in issue-extras-attachments.test.ts).
  "projects.attachments.list": { input: (w) => ({ issueId: w.issueExtras.issue.id }) },
  "projects.attachments.delete": { input: (w) => ({ id: w.issueExtras.attachment.id }) },

  // Links.
  "projects.links.list": { input: (w) => ({ issueId: w.issueExtras.issue.id }) },
  "projects.links.create": {
    input: (w) => ({
      fromIssueId: w.issueExtras.issue.id,
      toIssueId: w.issueExtras.other.id,
      kind: "blocks",
    }),
  },
  "projects.links.delete": { input: (w) => ({ id: w.issueExtras.link.id }) },

  // Watchers.
  "projects.watchers.list": { input: (w) => ({ issueId: w.issueExtras.issue.id }) },
  "projects.watchers.watch": { input: (w) => ({ issueId: w.issueExtras.issue.id }) },
  "projects.watchers.unwatch": { input: (w) => ({ issueId: w.issueExtras.issue.id }) },
  "projects.watchers.add": { input: (w) => ({ issueId: w.issueExtras.issue.id, userIds: [w.a.user.id] }) },
  "projects.watchers.remove": { input: (w) => ({ issueId: w.issueExtras.issue.id, userId: w.a.user.id }) },

  // Activity.
  "projects.activity.list": { input: (w) => ({ issueId: w.issueExtras.issue.id }) },

  // The caller's own notifications: A's ids change nothing of A's (updated: 0).
  "projects.notifications.list": { input: () => ({}), noIds: "B's own notifications, by read state" },
  "projects.notifications.unreadCount": { noIds: "takes no input: B's own notifications" },
  "projects.notifications.markRead": { input: (w) => ({ ids: [w.issueExtras.notification.id] }) },
  "projects.notifications.markAllRead": { input: () => ({}), noIds: "B's own notifications, up to a time" },

  // Catalog.
  "projects.catalog.categories.list": {
    input: () => ({ includeArchived: true }),
    noIds: "lists B's own categories; takes no filter",
  },
  "projects.catalog.categories.create": {
    input: () => ({ name: "Isolation probe category" }),
    noIds: "creates B's own category",
  },
  "projects.catalog.categories.update": {
    input: (w) => ({ id: w.issueExtras.category.id, name: "Taken over" }),
  },
  "projects.catalog.categories.archive": { input: (w) => ({ id: w.issueExtras.category.id }) },
  "projects.catalog.categories.restore": { input: (w) => ({ id: w.issueExtras.category.id }) },
  "projects.catalog.requestTypes.list": {
    input: (w) => ({ categoryId: w.issueExtras.category.id, includeArchived: true }),
  },
  "projects.catalog.requestTypes.get": { input: (w) => ({ id: w.issueExtras.requestType.id }) },
  "projects.catalog.requestTypes.create": {
    input: (w) => ({
      categoryId: w.issueExtras.category.id,
      name: "Isolation probe request type",
      issueType: "incident",
      defaultAssigneeGroupId: w.a.group.id,
    }),
  },
  "projects.catalog.requestTypes.update": {
    input: (w) => ({ id: w.issueExtras.requestType.id, name: "Taken over" }),
  },
  "projects.catalog.requestTypes.archive": { input: (w) => ({ id: w.issueExtras.requestType.id }) },
  "projects.catalog.requestTypes.restore": { input: (w) => ({ id: w.issueExtras.requestType.id }) },
};
