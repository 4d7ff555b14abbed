import type { CommentVisibility } from "../../../../shared/schemas/issue-extras";

/** How many characters of a comment's text its history rows quote at most. */
export const COMMENT_EXCERPT_LENGTH = 80;

/** `@[Name](userId)`, as the client's mention picker writes it: quoted as `@Name`. */
const MENTION = /@\[([^\]\n]{1,200})\]\([A-Za-z0-9_-]{1,64}\)/g;

/**
 * The opening words of a comment on one line: mentions as `@Name`, at most 80 characters, cut after a whole
 * word where one ends near the limit, with `…` when cut.
 */
export function commentExcerpt(body: string): string {
  const text = body.replace(MENTION, "@$1").replace(/\s+/g, " ").trim();
  const characters = Array.from(text);
  if (characters.length <= COMMENT_EXCERPT_LENGTH) return text;
  const head = characters.slice(0, COMMENT_EXCERPT_LENGTH - 1).join("");
  const wordEnd = characters[COMMENT_EXCERPT_LENGTH - 1] === " " ? head.length : head.lastIndexOf(" ");
  const cut = wordEnd >= head.length - 20 ? head.slice(0, wordEnd) : head;
  return `${cut.trimEnd()}…`;
}

/** A comment as the history records it (`field: "comment"`, in `before` and `after`). */
export type CommentHistoryValue = {
  id: string;
  visibility: CommentVisibility;
  /** The opening words of a public comment's text; null for internal comments and for deletions. */
  excerpt: string | null;
};

/**
 * One side of a comment's history row. Internal text never enters the history: the excerpt is recorded
 * only when this side of the change is public and `quote` allows it (a change that leaves the comment
 * internal, or deletes it, quotes nothing on either side). The activity feed also hides the excerpts of
 * comments that are no longer public or were deleted since (../activity/list.ts).
 */
export function commentHistoryValue(
  comment: { id: string; visibility: CommentVisibility; body: string },
  quote: boolean,
): CommentHistoryValue {
  return {
    id: comment.id,
    visibility: comment.visibility,
    excerpt: quote && comment.visibility === "public" ? commentExcerpt(comment.body) : null,
  };
}
