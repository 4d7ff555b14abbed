import { asc, desc, eq, sql } from "drizzle-orm";
import { auditBy, auditRow } from "../../../../db/audit";
import type { ControlDb } from "../../../../db/client";
import type { ControlContext } from "../../../../db/context";
import { auditLog, invitations, users } from "../../../../db/control/schema";
import { type CsvCell, toCsv } from "../../../../shared/csv";
import type { ExportOutput } from "../../../../shared/schemas/organizations";
import { type MemberRow, memberQuery, memberScope } from "./members";

async function memberRows(control: ControlDb, tenantId: string) {
  const rows = (await memberQuery(control)
    .where(memberScope(tenantId))
    .orderBy(asc(sql`${users.name} COLLATE NOCASE`), asc(users.id))) as MemberRow[];
  return rows.map((r) => ({
    userId: r.userId,
    name: r.name,
    email: r.email,
    role: r.role,
    status: r.status,
    twoFactorEnabled: r.totpEnabledAt !== null,
    joinedAt: r.createdAt.toISOString(),
  }));
}

async function invitationRows(control: ControlDb, tenantId: string, now: Date) {
  const rows = await control
    .select({
      email: invitations.email,
      role: invitations.role,
      status: invitations.status,
      expiresAt: invitations.expiresAt,
      createdAt: invitations.createdAt,
      lastSentAt: invitations.lastSentAt,
      sendCount: invitations.sendCount,
    })
    .from(invitations)
    .where(eq(invitations.tenantId, tenantId))
    .orderBy(desc(invitations.createdAt), desc(invitations.id));
  return rows.map((r) => ({
    email: r.email,
    role: r.role,
    // A pending invitation past its expiry is expired, whether or not a job has marked it yet.
    status: r.status === "pending" && r.expiresAt.getTime() <= now.getTime() ? "expired" : r.status,
    expiresAt: r.expiresAt.toISOString(),
    createdAt: r.createdAt.toISOString(),
    lastSentAt: r.lastSentAt?.toISOString() ?? null,
    sendCount: r.sendCount,
  }));
}

/**
 * The organization's members or invitations as a CSV or JSON file, for administrators. Exports of
 * personal data are audited (what, format, how many rows).
 */
export async function exportMembers(
  ctx: ControlContext,
  input: { format: "csv" | "json"; what: "users" | "invitations" },
  now = new Date(),
): Promise<ExportOutput> {
  const { control, tenant } = ctx;
  const rows: Record<string, CsvCell>[] =
    input.what === "users"
      ? await memberRows(control, tenant.id)
      : await invitationRows(control, tenant.id, now);
  const fields =
    input.what === "users"
      ? ["userId", "name", "email", "role", "status", "twoFactorEnabled", "joinedAt"]
      : ["email", "role", "status", "expiresAt", "createdAt", "lastSentAt", "sendCount"];
  const content =
    input.format === "csv"
      ? toCsv(
          fields,
          rows.map((r) => fields.map((f) => r[f] ?? null)),
        )
      : JSON.stringify(rows, null, 2);
  await control.insert(auditLog).values(
    auditRow(
      auditBy(ctx, "tenant", tenant.id, {
        action: `${input.what}.exported`,
        after: { format: input.format, rows: rows.length },
      }),
      now,
    ),
  );
  return {
    filename: `${tenant.slug}-${input.what}-${now.toISOString().slice(0, 10)}.${input.format}`,
    contentType: input.format === "csv" ? "text/csv; charset=utf-8" : "application/json",
    content,
    rows: rows.length,
  };
}
