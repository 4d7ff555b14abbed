import { escapeHtml, paragraphs } from "./html";
import type { EmailMessage } from "./send";

/**
 * Mail for the in-app notifications that ask someone to act: being assigned an issue, being mentioned in a
 * comment. One message per person per change: a bulk assignment lists its issues (the first
 * `MAX_LISTED_ISSUES`, then how many more). Comment text is never quoted: a comment may be internal, and
 * mail leaves the organization's control.
 */

export type IssueMailKind = "assigned" | "mentioned";

export interface IssueMailItem {
  kind: IssueMailKind;
  /** e.g. "TECH-42" */
  key: string;
  title: string;
  /** Where the issue opens in Nexus. */
  link: string;
}

/** Issues named one by one in a message; the rest are counted. */
export const MAX_LISTED_ISSUES = 20;

const MAX_SUBJECT_TITLE = 100;

/** One line, at most `max` characters: titles are the organization's text and go into a subject line. */
function oneLine(value: string, max: number): string {
  const line = value.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

const named = (item: IssueMailItem) => `${item.key} “${oneLine(item.title, 200)}”`;

function verbOf(kind: IssueMailKind): string {
  return kind === "assigned" ? "assigned you" : "mentioned you in a comment on";
}

export function issueNotificationEmail(params: {
  tenantId: string;
  organizationName: string;
  to: string;
  recipientName: string;
  actorName: string;
  /** At least one. */
  items: readonly IssueMailItem[];
  /** The organization's issue list, for what is not listed. */
  listLink: string;
  /** The profile page, where these emails are turned off. */
  preferencesLink: string;
}): EmailMessage {
  const { items, actorName, organizationName } = params;
  const first = items[0]!;
  const only: IssueMailKind | null = items.every((i) => i.kind === first.kind) ? first.kind : null;
  const greeting = `Hello ${params.recipientName},`;
  const why = `You get this email because you are a member of ${organizationName} in Nexus. To stop emails like it, change “Email me when” on`;
  const link = (href: string, label: string) => `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>`;

  if (items.length === 1) {
    const lead = `${actorName} ${verbOf(first.kind)} ${named(first)} in ${organizationName}.`;
    const on = first.kind === "assigned" ? "assigned you" : "mentioned you on";
    return {
      tenantId: params.tenantId,
      kind: `issue_${first.kind}`,
      to: params.to,
      subject: `${actorName} ${on} ${first.key}: ${oneLine(first.title, MAX_SUBJECT_TITLE)}`,
      text: [
        greeting,
        "",
        lead,
        "",
        `Open it: ${first.link}`,
        "",
        `${why} your profile:`,
        params.preferencesLink,
      ].join("\n"),
      html: [
        paragraphs([[greeting], [lead]]),
        `<p>${link(first.link, `Open ${first.key}`)}</p>`,
        `<p>${escapeHtml(why)} ${link(params.preferencesLink, "your profile")}.</p>`,
      ].join("\n"),
    };
  }

  const n = items.length;
  const did =
    only === "assigned"
      ? `assigned you ${n} issues`
      : only === "mentioned"
        ? `mentioned you in comments on ${n} issues`
        : `assigned you or mentioned you on ${n} issues`;
  const lead = `${actorName} ${did} in ${organizationName}:`;
  const listed = items.slice(0, MAX_LISTED_ISSUES);
  const labelOf = (item: IssueMailItem) =>
    `${only ? "" : item.kind === "assigned" ? "Assigned: " : "Mentioned: "}${named(item)}`;
  const more = n > MAX_LISTED_ISSUES ? `and ${n - MAX_LISTED_ISSUES} more` : null;
  const text = [
    greeting,
    "",
    lead,
    "",
    ...listed.flatMap((item) => [labelOf(item), item.link, ""]),
    ...(more ? [`${more}: ${params.listLink}`, ""] : []),
    `${why} your profile:`,
    params.preferencesLink,
  ].join("\n");
  const html = [
    paragraphs([[greeting], [lead]]),
    `<ul>\n${listed.map((item) => `<li>${link(item.link, labelOf(item))}</li>`).join("\n")}\n</ul>`,
    more ? `<p>${escapeHtml(more)} — ${link(params.listLink, "all issues")}</p>` : null,
    `<p>${escapeHtml(why)} ${link(params.preferencesLink, "your profile")}.</p>`,
  ]
    .filter(Boolean)
    .join("\n");
  const subject = `${actorName} ${only === "mentioned" ? `mentioned you on ${n} issues` : did} in ${organizationName}`;
  const kind = only ? `issue_${only}` : "issue_notifications";
  return { tenantId: params.tenantId, kind, to: params.to, subject, text, html };
}
