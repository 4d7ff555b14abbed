import { and, desc, eq, inArray, isNull, type SQL } from "drizzle-orm";
import type { ControlDb } from "../../../../db/client";
import { sharedIssueIndex, tenants } from "../../../../db/control/schema";
import { decodeCursor, keysetAfter, keysetPage } from "../../../../db/lists";
import { type DeskItem, type DeskListInput, deskListInput } from "../../../../shared/schemas/projects";

const TAG = "desk:updatedAt";

const oneOrMany = (column: Parameters<typeof eq>[0], values: readonly string[]) =>
  values.length === 1 ? eq(column, values[0]!) : inArray(column, [...values]);

/**
 * The root service desk: shared-project issues of every organization, from the summary index in the
 * control database, most recently changed first. Each row names its organization; the issue itself is
 * opened (and changed) in that organization, as its administrator.
 */
export async function listDesk(
  control: ControlDb,
  raw: DeskListInput,
): Promise<{ items: DeskItem[]; nextCursor: string | null }> {
  const input = deskListInput.parse(raw);
  const t = sharedIssueIndex;
  const where: SQL[] = [isNull(tenants.deletedAt)];
  if (input.projectId) where.push(eq(t.projectId, input.projectId));
  if (input.status) where.push(oneOrMany(t.status, input.status));
  if (input.type) where.push(oneOrMany(t.type, input.type));
  if (input.priority) where.push(oneOrMany(t.priority, input.priority));
  if (input.tenantId) where.push(eq(t.tenantId, input.tenantId));
  if (input.cursor) {
    const [at, tenantId, issueId] = decodeCursor(input.cursor, TAG, ["number", "string", "string"]);
    where.push(
      keysetAfter("desc", [
        [t.updatedAt, new Date(at)],
        [t.tenantId, tenantId],
        [t.issueId, issueId],
      ]),
    );
  }
  const rows = await control
    .select({
      tenantId: t.tenantId,
      tenantSlug: tenants.slug,
      tenantName: tenants.name,
      issueId: t.issueId,
      projectId: t.projectId,
      number: t.number,
      title: t.title,
      type: t.type,
      status: t.status,
      priority: t.priority,
      updatedAt: t.updatedAt,
    })
    .from(t)
    .innerJoin(tenants, eq(tenants.id, t.tenantId))
    .where(and(...where))
    .orderBy(desc(t.updatedAt), desc(t.tenantId), desc(t.issueId))
    .limit(input.limit + 1);
  const page = keysetPage(rows, input.limit, TAG, (r) => [r.updatedAt.getTime(), r.tenantId, r.issueId]);
  return {
    items: page.items.map((r) => ({
      tenant: { id: r.tenantId, slug: r.tenantSlug, name: r.tenantName },
      issueId: r.issueId,
      projectId: r.projectId,
      number: r.number,
      title: r.title,
      type: r.type as DeskItem["type"],
      status: r.status,
      priority: r.priority as DeskItem["priority"],
      updatedAt: r.updatedAt.toISOString(),
    })),
    nextCursor: page.nextCursor,
  };
}
