import { escapeHtml, paragraphs } from "./html";
import type { EmailMessage } from "./send";

/**
 * Mail about a person's own account (not about an organization): the link that verifies a new sign-in
 * address, the notice to the previous address that it was replaced, and the notice that a personal access
 * token was created. None belongs to an organization's outbox page (`tenantId` null): they are the
 * person's own, even when the token works in one organization.
 */

/** To the new address: the link that proves its owner receives mail there. The token is marked secret. */
export function emailVerificationEmail(params: {
  to: string;
  name: string;
  link: string;
  token: string;
  expiresAt: Date;
}): EmailMessage {
  const intro = `Hello ${params.name}, this address is now the sign-in address of your Nexus account.`;
  const ask = "Confirm that it is yours:";
  const expiry = `The link works until ${params.expiresAt.toUTCString()}. You can ask for a new one on your profile page.`;
  const ignore = "If you did not ask for this, you can ignore this email; nothing else changes.";
  const text = [intro, "", ask, params.link, "", expiry, ignore].join("\n");
  const html = [
    `<p>${escapeHtml(intro)}</p>`,
    `<p><a href="${escapeHtml(params.link)}">Verify this address</a></p>`,
    paragraphs([[expiry, ignore]]),
  ].join("\n");
  return {
    tenantId: null,
    kind: "email_verification",
    to: params.to,
    subject: "Verify your sign-in address for Nexus",
    text,
    html,
    secrets: [params.token],
  };
}

/**
 * To the previous address: the sign-in address was changed, when, to what, from where (IP and device when
 * known), and what to do if it was not them.
 */
export function emailChangedNotice(params: {
  to: string;
  name: string;
  newEmail: string;
  changedAt: Date;
  ip: string | null;
  device: string | null;
  signInUrl: string | null;
}): EmailMessage {
  const intro = `Hello ${params.name}, the sign-in address of your Nexus account was changed from ${params.to} to ${params.newEmail} on ${params.changedAt.toUTCString()}.`;
  const where = [
    params.ip ? `IP address: ${params.ip}` : null,
    params.device ? `Device: ${params.device}` : null,
  ].filter((line): line is string => line !== null);
  const fromWhere = where.length > 0 ? "The change was made from:" : null;
  const ifYou = "If this was you, there is nothing more to do.";
  const ifNot = [
    "If it was not you, someone may know your password or be using one of your signed-in sessions.",
    `You can no longer sign in as ${params.to}. Tell your district's Nexus administrator right away: they can deactivate the account and end all of its sessions, and restore your address.`,
  ];
  const text = [
    intro,
    ...(fromWhere ? ["", fromWhere, ...where] : []),
    "",
    ifYou,
    "",
    ...ifNot,
    ...(params.signInUrl ? ["", `Nexus: ${params.signInUrl}`] : []),
  ].join("\n");
  const html = paragraphs([
    [intro],
    fromWhere ? [fromWhere, ...where] : [],
    [ifYou],
    ifNot,
    params.signInUrl ? [`Nexus: ${params.signInUrl}`] : [],
  ]);
  return {
    tenantId: null,
    kind: "email_changed",
    to: params.to,
    subject: "Your Nexus sign-in address was changed",
    text,
    html,
  };
}

/**
 * To the owner of a new personal access token: a token was created, for which organization, with which
 * scopes and expiry, when and from where, and what to do if it was not them. Never the token itself.
 */
export function tokenCreatedNotice(params: {
  to: string;
  name: string;
  tokenName: string;
  prefix: string;
  organization: string;
  scopes: readonly string[];
  expiresAt: Date | null;
  createdAt: Date;
  ip: string | null;
  device: string | null;
  tokensUrl: string | null;
}): EmailMessage {
  const intro = `Hello ${params.name}, a personal access token was created for your Nexus account on ${params.createdAt.toUTCString()}.`;
  const details = [
    `Name: ${params.tokenName} (${params.prefix}…)`,
    `Organization: ${params.organization}`,
    `Scopes: ${params.scopes.join(", ")}`,
    `Expires: ${params.expiresAt ? params.expiresAt.toUTCString() : "never"}`,
  ];
  const where = [
    params.ip ? `IP address: ${params.ip}` : null,
    params.device ? `Device: ${params.device}` : null,
  ].filter((line): line is string => line !== null);
  const fromWhere = where.length > 0 ? "It was created from:" : null;
  const ifYou = "If this was you, there is nothing more to do.";
  const ifNot = [
    "If it was not you, someone may be using your account: revoke the token on your Access tokens page, change your password, and tell your district's Nexus administrator.",
  ];
  const text = [
    intro,
    "",
    ...details,
    ...(fromWhere ? ["", fromWhere, ...where] : []),
    "",
    ifYou,
    "",
    ...ifNot,
    ...(params.tokensUrl ? ["", `Access tokens: ${params.tokensUrl}`] : []),
  ].join("\n");
  const html = paragraphs([
    [intro],
    details,
    fromWhere ? [fromWhere, ...where] : [],
    [ifYou],
    ifNot,
    params.tokensUrl ? [`Access tokens: ${params.tokensUrl}`] : [],
  ]);
  return {
    tenantId: null,
    kind: "token_created",
    to: params.to,
    subject: "A personal access token was created for your Nexus account",
    text,
    html,
  };
}
