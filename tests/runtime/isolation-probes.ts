import type { World } from "./isolation-world";

/**
 * One probe per procedure of the router: the input with which organization B's user tries to reach
 * organization A's objects. The suite fails for any procedure that has no probe here, so a new procedure
 * cannot escape it. `input` names A's ids wherever the procedure takes ids; procedures without ids get an
 * ordinary valid input (they are then checked not to answer anything of A's).
 */
export interface Probe {
  input?: (world: World) => unknown;
  /**
   * Statuses besides 200/403/404 that count as the procedure having really been tried (e.g. 400 for a
   * confirmation field that does not match B's own organization). Say why next to each.
   */
  alsoAccept?: number[];
}

import { issueExtrasProbes } from "./isolation-probes-issue-extras";
import { projectsProbes } from "./isolation-probes-projects";
import { serviceLevelsProbes } from "./isolation-probes-service-levels";

export const probes: Record<string, Probe> = {
  ...projectsProbes,
  ...issueExtrasProbes,
  ...serviceLevelsProbes,
  "system.me": {},
  "system.health.status": {},
  // Global administrators only: B, an owner of an ordinary organization, is refused.
  "system.health.detail": {},
  "system.organization.current": {},
  "system.organization.overview": {},
  "education.schools.list": { input: (w) => ({ search: w.a.school.name }) },

  // Platform accounts (Global administrators only): B, an owner of an ordinary organization, is refused.
  "system.accounts.deactivate": { input: (w) => ({ userId: w.a.user.id }) },
  "system.accounts.reactivate": { input: (w) => ({ userId: w.a.user.id }) },
  "system.accounts.delete": { input: (w) => ({ userId: w.a.user.id }) },

  // Members of the organization.
  "system.users.list": { input: (w) => ({ search: w.a.user.email }) },
  "system.users.get": { input: (w) => ({ userId: w.a.user.id }) },
  "system.users.changeRole": { input: (w) => ({ userId: w.a.user.id, role: "viewer" }) },
  "system.users.deactivate": { input: (w) => ({ userId: w.a.user.id }) },
  "system.users.reactivate": { input: (w) => ({ userId: w.a.user.id }) },
  "system.users.remove": { input: (w) => ({ userId: w.a.user.id }) },
  "system.users.bulkChangeRole": { input: (w) => ({ userIds: [w.a.user.id], role: "viewer" }) },
  "system.users.bulkDeactivate": { input: (w) => ({ userIds: [w.a.user.id] }) },
  "system.users.export": { input: () => ({ format: "csv", what: "users" }) },

  // Invitations and mail.
  "system.invitations.list": { input: () => ({}) },
  "system.invitations.create": { input: () => ({ email: "isolation-probe@example.org", role: "member" }) },
  "system.invitations.bulkCreate": {
    input: () => ({ csv: "email,role\nisolation-probe-bulk@example.org,member\n" }),
  },
  "system.invitations.resend": { input: (w) => ({ id: w.a.invitation.id }) },
  "system.invitations.revoke": { input: (w) => ({ id: w.a.invitation.id }) },
  "system.outbox.list": { input: () => ({}) },

  // Groups (tenant database).
  "system.groups.list": { input: (w) => ({ search: w.a.group.name }) },
  "system.groups.get": { input: (w) => ({ id: w.a.group.id }) },
  "system.groups.create": { input: () => ({ name: "Isolation probe group" }) },
  "system.groups.update": { input: (w) => ({ id: w.a.group.id, name: "Taken over" }) },
  "system.groups.archive": { input: (w) => ({ id: w.a.group.id }) },
  "system.groups.restore": { input: (w) => ({ id: w.a.group.id }) },
  "system.groups.addMembers": { input: (w) => ({ groupId: w.a.group.id, userIds: [w.a.user.id] }) },
  "system.groups.removeMember": { input: (w) => ({ groupId: w.a.group.id, userId: w.a.user.id }) },

  // Audit and settings.
  "system.audit.list": { input: (w) => ({ actorId: w.a.user.id }) },
  "system.settings.get": {},
  "system.settings.update": { input: () => ({ brandColor: "#123456" }) },
  "system.settings.updateSecurity": { input: () => ({ sessionLifetimeMinutes: 480 }) },
  // A's slug does not confirm B's organization: a field error, and nothing deleted (the digest proves it).
  "system.settings.deleteOrganization": {
    input: (w) => ({ confirmSlug: w.a.tenant.slug }),
    alsoAccept: [400],
  },

  // The signed-in user's own things: B naming A's sessions, tokens and organizations.
  "system.profile.get": {},
  "system.profile.update": { input: () => ({ name: "Isolation Probe" }) },
  // B's wrong password is a field error: the procedure ran, on B's own session only.
  "system.profile.reauthenticate": {
    input: () => ({ password: "not-the-password-of-b" }),
    alsoAccept: [400],
  },
  "system.profile.changePassword": { input: () => ({ newPassword: "a sufficiently long new passphrase 9" }) },
  "system.profile.changeEmail": { input: (w) => ({ email: w.a.user.email }) },
  // Mails B's own address; there is nothing of A's to name.
  "system.profile.resendEmailVerification": {},
  "system.profile.twoFactor.status": {},
  "system.profile.twoFactor.begin": {},
  "system.profile.twoFactor.confirm": { input: () => ({ code: "123456" }) },
  "system.profile.twoFactor.disable": {},
  "system.profile.twoFactor.regenerateRecoveryCodes": {},
  "system.profile.context.get": { input: (w) => ({ tenantSlug: w.a.tenant.slug }) },
  "system.profile.context.set": {
    input: (w) => ({ tenantSlug: w.a.tenant.slug, schoolId: w.a.school.id, makeDefault: true }),
  },
  // B's own preference; there is nothing of A's to name.
  "system.profile.notifications.set": { input: () => ({ mentioned: false }) },
  "system.profile.sessions.list": {},
  "system.profile.sessions.revoke": { input: (w) => ({ id: w.a.sessionRef }) },
  "system.profile.sessions.revokeOthers": {},
  "system.tokens.list": {},
  "system.tokens.policy": { input: (w) => ({ tenantSlug: w.a.tenant.slug }) },
  "system.tokens.create": {
    input: (w) => ({ name: "Isolation probe", tenantSlug: w.a.tenant.slug, scopes: ["education.read"] }),
  },
  "system.tokens.revoke": { input: (w) => ({ id: w.a.pat.id }) },
};
