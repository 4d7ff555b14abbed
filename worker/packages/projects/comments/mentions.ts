import type { ControlDb } from "../../../../db/client";
import { activeMemberIds } from "../activity/people";

/** At most this many distinct mentions count in one comment; more are ignored. */
export const MAX_MENTIONS = 50;

/** `@[Name](userId)`, as the client's mention picker writes it. */
const BY_ID = /@\[[^\]\n]{1,200}\]\(([A-Za-z0-9_-]{1,64})\)/g;
/** `@person@example.org`: an at sign before an email address (not inside a word or another address). */
const BY_EMAIL = /(?<![\w.@+-])@([A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+)/g;
/** Code is quoted, not addressed: mentions inside fenced blocks and inline code do not count. */
const CODE = /```[\s\S]*?(?:```|$)|`[^`\n]*`/g;

/** The user ids and email addresses a comment's text mentions. */
export function parseMentions(body: string): { ids: string[]; emails: string[] } {
  const text = body.replace(CODE, " ");
  const ids = new Set<string>();
  const emails = new Set<string>();
  for (const match of text.matchAll(BY_ID)) {
    if (ids.size + emails.size >= MAX_MENTIONS) break;
    ids.add(match[1]!);
  }
  for (const match of text.matchAll(BY_EMAIL)) {
    if (ids.size + emails.size >= MAX_MENTIONS) break;
    emails.add(match[1]!.toLowerCase());
  }
  return { ids: [...ids], emails: [...emails] };
}

/** The active members of the organization a comment mentions, by user id (one control-database query). */
export async function mentionedMembers(
  control: ControlDb,
  tenantId: string,
  body: string,
): Promise<Set<string>> {
  const mentions = parseMentions(body);
  return activeMemberIds(control, tenantId, mentions);
}
