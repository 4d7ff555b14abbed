import { and, desc, eq, type SQL } from "drizzle-orm";
import type { ControlDb } from "../../../../db/client";
import { emailOutbox } from "../../../../db/control/schema";
import { decodeCursor, keysetAfter, keysetPage } from "../../../../db/lists";
import {
  type ListOutboxInput,
  listOutboxInput,
  type OutboxMessage,
} from "../../../../shared/schemas/invitations";

const TAG = "outbox:createdAt";

/**
 * The email Nexus captured or sent for the organization, newest first, one keyset page at a time. Locally
 * nothing leaves, so this is where invitation links are read.
 */
export async function listOutbox(control: ControlDb, params: { tenantId: string; input: ListOutboxInput }) {
  const input = listOutboxInput.parse(params.input);
  const where: SQL[] = [eq(emailOutbox.tenantId, params.tenantId)];
  if (input.status) where.push(eq(emailOutbox.status, input.status));
  if (input.kind) where.push(eq(emailOutbox.kind, input.kind));
  if (input.cursor) {
    const [createdAt, id] = decodeCursor(input.cursor, TAG, ["number", "string"]);
    where.push(
      keysetAfter("desc", [
        [emailOutbox.createdAt, new Date(createdAt)],
        [emailOutbox.id, id],
      ]),
    );
  }
  const rows = await control
    .select({
      id: emailOutbox.id,
      to: emailOutbox.to,
      subject: emailOutbox.subject,
      text: emailOutbox.text,
      kind: emailOutbox.kind,
      status: emailOutbox.status,
      providerMessageId: emailOutbox.providerMessageId,
      error: emailOutbox.error,
      createdAt: emailOutbox.createdAt,
    })
    .from(emailOutbox)
    .where(and(...where))
    .orderBy(desc(emailOutbox.createdAt), desc(emailOutbox.id))
    .limit(input.limit + 1);
  const page = keysetPage(rows, input.limit, TAG, (row) => [row.createdAt.getTime(), row.id]);
  return {
    items: page.items.map((row): OutboxMessage => ({ ...row, createdAt: row.createdAt.toISOString() })),
    nextCursor: page.nextCursor,
  };
}
