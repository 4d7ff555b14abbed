import { and, eq, inArray, isNull } from "drizzle-orm";
import type { ControlDb } from "../../db/client";
import type { MailNotice, NotificationMail } from "../../db/context";
import { memberships, users } from "../../db/control/schema";
import { notificationEmailOf } from "../../shared/schemas/credentials";
import type { Env } from "../env";
import { describeError } from "../log";
import { type IssueMailItem, issueNotificationEmail } from "./issue-notifications";
import { publicLinkBase } from "./links";
import { type EmailMessage, type EmailSettings, sendEmails } from "./send";

export type { MailNotice, NotificationMail };

/** The notifications that ask someone to act, and so may be emailed; watched changes never are. */
export type MailedKind = MailNotice["kind"];

export type NotificationMailEnv = EmailSettings & Pick<Env, "PUBLIC_URL">;

interface MailLog {
  warn(message: string, extra?: Record<string, unknown>): void;
}

/** Logs that have been told PUBLIC_URL is missing: once per request (each request has its own log). */
const toldNoPublicUrl = new WeakSet<MailLog>();

/** Active members of the organization among `ids` (active account and membership), with their preferences. */
async function recipientsOf(control: ControlDb, tenantId: string, ids: string[]) {
  return control
    .select({ id: users.id, email: users.email, name: users.name, preferences: users.preferences })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.tenantId, tenantId),
        eq(memberships.status, "active"),
        isNull(memberships.deletedAt),
        eq(users.status, "active"),
        isNull(users.deletedAt),
        inArray(users.id, ids),
      ),
    );
}

/**
 * The messages for `notices`: one per recipient (however many issues the write touched), to active members
 * of the organization whose preference allows the kind, never to the actor. Links point at
 * `<base>/<organization>/projects/issues/<id>`; each message belongs to the organization (its Outbox page
 * shows it).
 */
export async function notificationMessages(
  control: ControlDb,
  params: {
    base: string;
    tenant: { id: string; slug: string; name: string };
    actor: { id: string; name: string };
    notices: readonly MailNotice[];
  },
): Promise<EmailMessage[]> {
  const { base, tenant, actor } = params;
  const byRecipient = new Map<string, Map<string, MailNotice>>();
  for (const notice of params.notices) {
    if (notice.userId === actor.id) continue;
    const mine = byRecipient.get(notice.userId) ?? new Map<string, MailNotice>();
    mine.set(`${notice.kind}:${notice.issue.id}`, notice);
    byRecipient.set(notice.userId, mine);
  }
  if (byRecipient.size === 0) return [];
  const recipients = await recipientsOf(control, tenant.id, [...byRecipient.keys()]);
  const listLink = `${base}/${tenant.slug}/projects/issues`;
  const messages: EmailMessage[] = [];
  for (const recipient of recipients) {
    const wants = notificationEmailOf(recipient.preferences);
    const items: IssueMailItem[] = [...byRecipient.get(recipient.id)!.values()]
      .filter((notice) => wants[notice.kind])
      .map((notice) => ({
        kind: notice.kind,
        key: notice.issue.key,
        title: notice.issue.title,
        link: `${listLink}/${encodeURIComponent(notice.issue.id)}`,
      }));
    if (items.length === 0) continue;
    messages.push(
      issueNotificationEmail({
        tenantId: tenant.id,
        organizationName: tenant.name,
        to: recipient.email,
        recipientName: recipient.name,
        actorName: actor.name,
        items,
        listLink,
        preferencesLink: `${base}/me/profile`,
      }),
    );
  }
  return messages;
}

/**
 * What lets a request's writes email their notices: the mail settings, the organization, who acts, and
 * the request's log. Mail goes after the organization's write committed (the outbox is in the control
 * database, so it cannot share the write's batch): captured in the outbox when no provider is configured,
 * handed to the provider otherwise (see `sendEmails`). Without PUBLIC_URL no link can be made: nothing is
 * emailed and the request logs a warning once.
 */
export function notificationMail(ctx: {
  env: NotificationMailEnv;
  control: ControlDb;
  log: MailLog;
  tenant: { id: string; slug: string; name: string };
  user: { id: string; name: string };
}): NotificationMail {
  return {
    async send(notices) {
      if (!notices.some((n) => n.userId !== ctx.user.id)) return;
      const base = publicLinkBase(ctx.env);
      if (!base) {
        if (!toldNoPublicUrl.has(ctx.log)) {
          toldNoPublicUrl.add(ctx.log);
          ctx.log.warn("notification email not sent: PUBLIC_URL is not configured");
        }
        return;
      }
      try {
        const messages = await notificationMessages(ctx.control, {
          base,
          tenant: ctx.tenant,
          actor: ctx.user,
          notices,
        });
        await sendEmails(ctx.env, ctx.control, messages);
      } catch (error) {
        ctx.log.warn("notification email could not be queued; the change stands", describeError(error));
      }
    },
  };
}

/**
 * For a write of many issues (bulk actions): the notices of each issue's change are kept until `release`,
 * after the last change, so each person gets one email listing their issues.
 */
export function holdMail(mail: NotificationMail | undefined) {
  const held: MailNotice[] = [];
  return {
    mail: mail && {
      async send(notices: readonly MailNotice[]) {
        held.push(...notices);
      },
    },
    async release() {
      if (mail && held.length > 0) await mail.send(held.splice(0));
    },
  };
}
