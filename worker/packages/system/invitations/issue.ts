import { and, eq, inArray } from "drizzle-orm";
import { auditBy, auditRow } from "../../../../db/audit";
import type { ControlDb } from "../../../../db/client";
import type { ControlContext, UserActor } from "../../../../db/context";
import { auditLog, invitations } from "../../../../db/control/schema";
import { isUniqueViolation } from "../../../../db/errors";
import { mapSettled } from "../../../../shared/concurrency";
import { AppError } from "../../../../shared/errors";
import { newId } from "../../../../shared/ids";
import type { Role } from "../../../../shared/permissions";
import type { Invitation } from "../../../../shared/schemas/invitations";
import { consumeRateLimit, limits } from "../../../auth/rate-limit";
import { type EmailDelivery, type EmailSettings, sendEmails } from "../../../email";
import type { Env } from "../../../env";
import { invitationEmail } from "./email";
import { expireInvitations } from "./expire";
import { activeMemberEmails } from "./members";
import {
  generateInvitationToken,
  INVITATION_TTL_MS,
  invitationLink,
  invitationTokenHash,
  publicUrlOf,
} from "./tokens";
import { loadInvitations } from "./views";

/** What invitations need from the Worker's configuration: where links point, and how mail is sent. */
export type InvitationEnv = EmailSettings & Pick<Env, "PUBLIC_URL">;

export interface InviteEntry {
  /** Lower-cased. */
  email: string;
  role: Role;
}

export type InviteOutcome =
  | { kind: "invited"; invitation: Invitation; delivery: EmailDelivery }
  | { kind: "already_invited"; invitation: Invitation }
  | { kind: "already_member" }
  | { kind: "refused"; error: AppError };

/** Rate-limit counters consumed at once for one bulk request. */
const RATE_LIMIT_CONCURRENCY = 4;
/** Rows per INSERT statement (all in one batch). */
const INSERT_CHUNK = 100;
/** A concurrent request may create a pending invitation between our read and our insert; retry this often. */
const MAX_INSERT_ATTEMPTS = 3;

async function pendingIdsByEmail(
  control: ControlDb,
  tenantId: string,
  emails: string[],
): Promise<Map<string, string>> {
  if (emails.length === 0) return new Map();
  const rows = await control
    .select({ id: invitations.id, email: invitations.email })
    .from(invitations)
    .where(
      and(
        eq(invitations.tenantId, tenantId),
        eq(invitations.status, "pending"),
        inArray(invitations.email, emails),
      ),
    );
  return new Map(rows.map((r) => [r.email, r.id]));
}

/**
 * Invites each address (distinct, lower-cased) to the organization, once: an address that is already an
 * active member is not invited, and one with a pending invitation gets that invitation back unchanged
 * (the partial unique index `invitations_pending_uq` guarantees one pending invitation per address, also
 * under concurrent requests). Every new invitation counts against the organization's invitation rate limit,
 * is written with its audit row in one batch, and is emailed. Outcomes come back in the order of `entries`.
 */
export async function inviteMany(
  ctx: ControlContext<UserActor>,
  params: {
    organizationName: string;
    env: InvitationEnv;
    entries: InviteEntry[];
    now?: Date;
  },
): Promise<InviteOutcome[]> {
  const { control, actor } = ctx;
  const tenantId = ctx.tenant.id;
  const { env, entries } = params;
  const now = params.now ?? new Date();
  if (entries.length === 0) return [];
  const publicUrl = publicUrlOf(env);
  const emails = entries.map((e) => e.email);

  await expireInvitations(control, now, { tenantId, emails });
  const members = await activeMemberEmails(control, tenantId, emails);
  const pending = await pendingIdsByEmail(
    control,
    tenantId,
    emails.filter((e) => !members.has(e)),
  );

  const outcomes = new Map<string, InviteOutcome>();
  for (const email of members) outcomes.set(email, { kind: "already_member" });

  // Only invitations that will really be sent count against the limit.
  const candidates = entries.filter((e) => !members.has(e.email) && !pending.has(e.email));
  const allowance = await mapSettled(candidates, RATE_LIMIT_CONCURRENCY, () =>
    consumeRateLimit(control, limits.invitationsPerTenant, tenantId),
  );
  let toInsert = candidates.flatMap((entry, index) => {
    const result = allowance[index]!;
    if (result.status === "fulfilled") return [entry];
    if (!(result.reason instanceof AppError)) throw result.reason;
    outcomes.set(entry.email, { kind: "refused", error: result.reason });
    return [];
  });

  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
  const prepared = new Map(
    toInsert.map((entry) => {
      const token = generateInvitationToken();
      return [entry.email, { id: newId(), token, tokenHash: invitationTokenHash(token), entry }] as const;
    }),
  );
  const inserted: string[] = [];
  for (let attempt = 1; toInsert.length > 0; attempt++) {
    const rows = toInsert.map(({ email, role }) => {
      const p = prepared.get(email)!;
      return {
        id: p.id,
        tenantId,
        email,
        role,
        invitedById: actor.userId,
        tokenHash: p.tokenHash,
        status: "pending" as const,
        expiresAt,
        sendCount: 1,
        lastSentAt: now,
        createdAt: now,
        updatedAt: now,
      };
    });
    const audits = rows.map((row) =>
      auditRow(
        auditBy(ctx, "invitation", row.id, {
          action: "invitation.created",
          after: { email: row.email, role: row.role, status: "pending", expiresAt: expiresAt.toISOString() },
        }),
        now,
      ),
    );
    const statements = [];
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      statements.push(control.insert(invitations).values(rows.slice(i, i + INSERT_CHUNK)));
      statements.push(control.insert(auditLog).values(audits.slice(i, i + INSERT_CHUNK)));
    }
    try {
      await control.batch(statements as [(typeof statements)[number], ...typeof statements]);
      inserted.push(...rows.map((r) => r.email));
      break;
    } catch (error) {
      if (!isPendingConflict(error) || attempt >= MAX_INSERT_ATTEMPTS) throw error;
      // Someone invited some of these addresses meanwhile: theirs stands; insert the rest.
      const raced = await pendingIdsByEmail(
        control,
        tenantId,
        toInsert.map((e) => e.email),
      );
      for (const [email, id] of raced) pending.set(email, id);
      toInsert = toInsert.filter((e) => !raced.has(e.email));
    }
  }

  const views = await loadInvitations(
    control,
    tenantId,
    [...inserted.map((email) => prepared.get(email)!.id), ...pending.values()],
    now,
  );
  const deliveries = await sendEmails(
    env,
    control,
    inserted.map((email) => {
      const p = prepared.get(email)!;
      return invitationEmail({
        tenantId,
        organizationName: params.organizationName,
        inviterName: actor.name,
        to: email,
        role: p.entry.role,
        link: invitationLink(publicUrl, p.token),
        token: p.token,
        expiresAt,
      });
    }),
    { now },
  );
  inserted.forEach((email, index) => {
    outcomes.set(email, {
      kind: "invited",
      invitation: views.get(prepared.get(email)!.id)!,
      delivery: deliveries[index]!,
    });
  });
  for (const [email, id] of pending) {
    if (!outcomes.has(email)) outcomes.set(email, { kind: "already_invited", invitation: views.get(id)! });
  }
  return entries.map((e) => outcomes.get(e.email)!);
}

function isPendingConflict(error: unknown): boolean {
  return isUniqueViolation(error, "invitations.tenant_id, invitations.email");
}
