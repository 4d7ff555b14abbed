import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
import type { ControlDb } from "../../../../db/client";
import { emailOutbox } from "../../../../db/control/schema";
import {
  type ListOutboxInput,
  listOutboxInput,
  type OutboxMessage,
} from "../../../../shared/schemas/invitations";
import { decodeCursor, encodeCursor } from "../invitations/cursor";

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
    const [createdAt, id] = decodeCursor(input.cursor, ["number", "string"] as const);
    where.push(
      or(
        lt(emailOutbox.createdAt, new Date(createdAt)),
        and(eq(emailOutbox.createdAt, new Date(createdAt)), lt(emailOutbox.id, id)),
      )!,
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
  const more = rows.length > input.limit;
  const page = more ? rows.slice(0, input.limit) : rows;
  const last = page[page.length - 1];
  return {
    items: page.map((row): OutboxMessage => ({ ...row, createdAt: row.createdAt.toISOString() })),
    nextCursor: more && last ? encodeCursor([last.createdAt.getTime(), last.id]) : null,
  };
}
