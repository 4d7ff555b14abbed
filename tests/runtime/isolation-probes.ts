import type { World } from "./isolation-world";

/**
 * One probe per procedure of the router: the input with which organization B's user tries to reach
 * organization A's objects. The suite fails for any procedure that has no probe here, so a new procedure
 * cannot escape it. `input` names at least one of A's things (ids, names, addresses, slug: `namesOfA`);
 * a procedure that takes nothing by which to name them says why in `noIds`, and the suite checks that its
 * input schema has no id field. Either way the answer must hold nothing of A's.
 */
export interface Probe {
  input?: (world: World) => unknown;
  /** Why the procedure takes nothing by which B could name A's things (no id, slug or search). */
  noIds?: string;
  /**
   * Statuses besides 200/403/404 that count as the procedure having really been tried (e.g. 400 for a
   * confirmation field that does not match B's own organization): the procedure's own refusal, never a
   * field its input schema refused. Say why next to each.
   */
  alsoAccept?: number[];
  /**
   * The procedure asks for a recent re-authentication: a re-authenticated B probes it as well, so that its
   * logic runs rather than the 403 before it. The suite fails for a procedure that asks without this.
   */
  reauth?: true;
}

const NO_INPUT = "takes no input";
/** For procedures that create or change B's own records and refer to nothing else. */
const OWN_RECORD = "creates or changes B's own record and refers to nothing else";

import { issueExtrasProbes } from "./isolation-probes-issue-extras";
import { projectsProbes } from "./isolation-probes-projects";
import { serviceLevelsProbes } from "./isolation-probes-service-levels";

export const probes: Record<string, Probe> = {
  ...projectsProbes,
  ...issueExtrasProbes,
  ...serviceLevelsProbes,
  "system.me": { noIds: `${NO_INPUT}: the caller's own user and organizations` },
  "system.health.status": { noIds: `${NO_INPUT}: counts of databases, the same for everyone` },
  // Global administrators only: B, an owner of an ordinary organization, is refused.
  "system.health.detail": { noIds: NO_INPUT },
  "system.organization.current": { noIds: `${NO_INPUT}: the organization named in the header, B's own` },
  "system.organization.overview": { noIds: `${NO_INPUT}: the organization named in the header, B's own` },
  "education.schools.list": { input: (w) => ({ search: w.a.school.name }) },
  "education.schools.open": {
    input: () => ({
      code: `P-${crypto.randomUUID().slice(0, 8)}`,
      name: "Isolation probe school",
      level: "elementary",
      lowGrade: 0,
      highGrade: 5,
      on: "2026-01-05",
    }),
    noIds: OWN_RECORD,
  },
  "education.schools.close": {
    input: (w) => ({ id: w.a.school.id, on: "2026-01-05", reason: "Isolation probe" }),
  },
  "education.schools.reopen": {
    input: (w) => ({ id: w.a.school.id, on: "2026-01-05", reason: "Isolation probe" }),
  },

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
  "system.users.export": {
    input: () => ({ format: "csv", what: "users" }),
    noIds: "a format and what to export: B's own members",
  },

  // Invitations and mail.
  "system.invitations.list": { input: (w) => ({ search: w.a.invitation.email }) },
  // Any address is B's to invite; A's invitations are named by list, resend and revoke.
  "system.invitations.create": {
    input: () => ({ email: "isolation-probe@example.org", role: "member" }),
    noIds: "invites an address into B",
  },
  "system.invitations.bulkCreate": {
    input: () => ({ csv: "email,role\nisolation-probe-bulk@example.org,member\n" }),
    noIds: "invites addresses into B",
  },
  "system.invitations.resend": { input: (w) => ({ id: w.a.invitation.id }) },
  "system.invitations.revoke": { input: (w) => ({ id: w.a.invitation.id }) },
  "system.outbox.list": { input: () => ({}), noIds: "filters B's own outbox by status and kind" },

  // Groups (tenant database).
  "system.groups.list": { input: (w) => ({ search: w.a.group.name }) },
  "system.groups.get": { input: (w) => ({ id: w.a.group.id }) },
  "system.groups.create": { input: () => ({ name: "Isolation probe group" }), noIds: OWN_RECORD },
  "system.groups.update": { input: (w) => ({ id: w.a.group.id, name: "Taken over" }) },
  "system.groups.archive": { input: (w) => ({ id: w.a.group.id }) },
  "system.groups.restore": { input: (w) => ({ id: w.a.group.id }) },
  "system.groups.addMembers": { input: (w) => ({ groupId: w.a.group.id, userIds: [w.a.user.id] }) },
  "system.groups.removeMember": { input: (w) => ({ groupId: w.a.group.id, userId: w.a.user.id }) },

  // Audit and settings.
  "system.audit.list": { input: (w) => ({ actorId: w.a.user.id }) },
  "system.settings.get": { noIds: `${NO_INPUT}: B's own settings` },
  "system.settings.update": { input: () => ({ brandColor: "#123456" }), noIds: OWN_RECORD },
  "system.settings.updateSecurity": { input: () => ({ sessionLifetimeMinutes: 480 }), noIds: OWN_RECORD },
  // A's slug does not confirm B's organization: a field error, and nothing deleted (the digest proves it).
  "system.settings.deleteOrganization": {
    input: (w) => ({ confirmSlug: w.a.tenant.slug }),
    alsoAccept: [400],
  },

  // The signed-in user's own things: B naming A's sessions, tokens and organizations.
  "system.profile.get": { noIds: `${NO_INPUT}: B's own profile` },
  "system.profile.update": { input: () => ({ name: "Isolation Probe" }), noIds: OWN_RECORD },
  // B's wrong password is a field error: the procedure ran, on B's own session only.
  "system.profile.reauthenticate": {
    input: () => ({ password: "not-the-password-of-b" }),
    noIds: "B's own password, for B's own session",
    alsoAccept: [400],
  },
  "system.profile.changePassword": {
    input: () => ({ newPassword: "a sufficiently long new passphrase 9" }),
    noIds: "B's own new password",
    reauth: true,
  },
  // A's address is in use: re-authenticated, B is refused by the procedure itself (409).
  "system.profile.changeEmail": {
    input: (w) => ({ email: w.a.user.email }),
    alsoAccept: [409],
    reauth: true,
  },
  "system.profile.resendEmailVerification": { noIds: `${NO_INPUT}: mails B's own address` },
  // B's own second factor: there is nothing of A's to name. Re-authenticated, B starts an enrolment.
  "system.profile.twoFactor.status": { noIds: `${NO_INPUT}: B's own second factor` },
  "system.profile.twoFactor.begin": { noIds: `${NO_INPUT}: B's own second factor`, reauth: true },
  // A wrong code is a field error (400) of the procedure, on B's own enrolment.
  "system.profile.twoFactor.confirm": {
    input: () => ({ code: "123456" }),
    noIds: "a code of B's own authenticator",
    alsoAccept: [400],
    reauth: true,
  },
  "system.profile.twoFactor.disable": { noIds: `${NO_INPUT}: B's own second factor`, reauth: true },
  // B's second factor is not on: the procedure says so (400).
  "system.profile.twoFactor.regenerateRecoveryCodes": {
    noIds: `${NO_INPUT}: B's own second factor`,
    alsoAccept: [400],
    reauth: true,
  },
  "system.profile.context.get": { input: (w) => ({ tenantSlug: w.a.tenant.slug }) },
  "system.profile.context.set": {
    input: (w) => ({ tenantSlug: w.a.tenant.slug, schoolId: w.a.school.id, makeDefault: true }),
  },
  "system.profile.notifications.set": { input: () => ({ mentioned: false }), noIds: "B's own preference" },
  "system.profile.sessions.list": { noIds: `${NO_INPUT}: B's own sessions` },
  "system.profile.sessions.revoke": { input: (w) => ({ id: w.a.sessionRef }) },
  "system.profile.sessions.revokeOthers": { noIds: `${NO_INPUT}: B's own sessions` },
  "system.tokens.list": { noIds: `${NO_INPUT}: B's own tokens` },
  "system.tokens.policy": { input: (w) => ({ tenantSlug: w.a.tenant.slug }) },
  "system.tokens.create": {
    input: (w) => ({ name: "Isolation probe", tenantSlug: w.a.tenant.slug, scopes: ["education.read"] }),
    reauth: true,
  },
  "system.tokens.revoke": { input: (w) => ({ id: w.a.pat.id }) },
};
