import { and, desc, eq, type SQL } from "drizzle-orm";
import type { ControlDb } from "../../../../db/client";
import { invitations } from "../../../../db/control/schema";
import { containsAny, decodeCursor, keysetAfter, keysetPage } from "../../../../db/lists";
import { type ListInvitationsInput, listInvitationsInput } from "../../../../shared/schemas/invitations";
import { expireInvitations } from "./expire";
import { selectInvitations, toInvitation } from "./views";

const TAG = "invitations:createdAt";

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
  if (input.search) where.push(containsAny([invitations.email], input.search.toLowerCase()));
  if (input.cursor) {
    const [createdAt, id] = decodeCursor(input.cursor, TAG, ["number", "string"]);
    where.push(
      keysetAfter("desc", [
        [invitations.createdAt, new Date(createdAt)],
        [invitations.id, id],
      ]),
    );
  }
  const rows = await selectInvitations(control, params.tenantId, and(...where))
    .orderBy(desc(invitations.createdAt), desc(invitations.id))
    .limit(input.limit + 1);
  const page = keysetPage(rows, input.limit, TAG, (row) => [row.createdAt.getTime(), row.id]);
  return { items: page.items.map((row) => toInvitation(row, now)), nextCursor: page.nextCursor };
}
