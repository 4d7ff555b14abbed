import type { Role } from "../../../../shared/permissions";
import type { EmailMessage } from "../../../email";
import { escapeHtml } from "../../../email/html";

const roleLabel: Record<Role, string> = {
  owner: "an owner",
  admin: "an administrator",
  member: "a member",
  viewer: "a viewer",
};

/** The invitation email: plain text and HTML, with the link's token marked secret for the stored copy. */
export function invitationEmail(params: {
  tenantId: string;
  organizationName: string;
  inviterName: string | null;
  to: string;
  role: Role;
  link: string;
  token: string;
  expiresAt: Date;
}): EmailMessage {
  const who = params.inviterName ? `${params.inviterName} has invited you` : "You have been invited";
  const intro = `${who} to join ${params.organizationName} on Nexus as ${roleLabel[params.role]}.`;
  const expiry = `The link works until ${params.expiresAt.toUTCString()}.`;
  const text = [
    intro,
    "",
    "Accept the invitation:",
    params.link,
    "",
    expiry,
    "If you did not expect this invitation, you can ignore this email.",
  ].join("\n");
  const html = [
    `<p>${escapeHtml(intro)}</p>`,
    `<p><a href="${escapeHtml(params.link)}">Accept the invitation</a></p>`,
    `<p>${escapeHtml(expiry)}<br>If you did not expect this invitation, you can ignore this email.</p>`,
  ].join("\n");
  return {
    tenantId: params.tenantId,
    kind: "invitation",
    to: params.to,
    subject: `You're invited to ${params.organizationName} on Nexus`,
    text,
    html,
    secrets: [params.token],
  };
}
