import { and, desc, eq, like, lt, or, type SQL } from "drizzle-orm";
import type { ControlDb } from "../../../../db/client";
import { invitations } from "../../../../db/control/schema";
import { type ListInvitationsInput, listInvitationsInput } from "../../../../shared/schemas/invitations";
import { decodeCursor, encodeCursor } from "./cursor";
import { expireInvitations } from "./expire";
import { selectInvitations, toInvitation } from "./views";

/** The organization's invitations, newest first, one keyset page at a time; expired ones are marked first. */
export async function listInvitations(
  control: ControlDb,
  params: { tenantId: string; input: ListInvitationsInput; now?: Date },
) {
  const input = listInvitationsInput.parse(params.input);
  const now = params.now ?? new Date();
  await expireInvitations(control, now, { tenantId: params.tenantId });
  const where: SQL[] = [];
  if (input.status) where.push(eq(invitations.status, input.status));
  if (input.search) {
    const term = `%${input.search.toLowerCase().replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
    where.push(like(invitations.email, term));
  }
  if (input.cursor) {
    const [createdAt, id] = decodeCursor(input.cursor, ["number", "string"] as const);
    where.push(
      or(
        lt(invitations.createdAt, new Date(createdAt)),
        and(eq(invitations.createdAt, new Date(createdAt)), lt(invitations.id, id)),
      )!,
    );
  }
  const rows = await selectInvitations(control, params.tenantId, and(...where))
    .orderBy(desc(invitations.createdAt), desc(invitations.id))
    .limit(input.limit + 1);
  const more = rows.length > input.limit;
  const page = more ? rows.slice(0, input.limit) : rows;
  const last = page[page.length - 1];
  return {
    items: page.map((row) => toInvitation(row, now)),
    nextCursor: more && last ? encodeCursor([last.createdAt.getTime(), last.id]) : null,
  };
}
