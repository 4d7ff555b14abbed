import { and, desc, eq, gt, isNull, ne, sql } from "drizzle-orm";
import { auditBy, auditRow } from "../../../../db/audit";
import type { ControlDb } from "../../../../db/client";
import type { UserActor } from "../../../../db/context";
import {
  accessTokens,
  auditLog,
  refreshTokens,
  sessions,
  tokenFamilies,
} from "../../../../db/control/schema";
import { AppError } from "../../../../shared/errors";
import type { SessionsList } from "../../../../shared/schemas/credentials";
import { accessCache } from "../../../auth/access-cache";
import { publicSessionId, type SessionInfo } from "../../../auth/session";
import { deviceLabel } from "../../../auth/user-agent";

/** The token family the caller's access token belongs to, when the caller is an app. */
async function currentFamilyId(control: ControlDb, current: SessionInfo): Promise<string | null> {
  if (current.kind !== "access_token") return null;
  const [row] = await control
    .select({ familyId: accessTokens.familyId })
    .from(accessTokens)
    .where(eq(accessTokens.id, current.id))
    .limit(1);
  return row?.familyId ?? null;
}

/**
 * The user's live browser sessions and signed-in apps (token families with a live refresh token), most
 * recently used first. Sessions are named by an opaque id derived from their key.
 */
export async function listSessions(
  control: ControlDb,
  params: { userId: string; current: SessionInfo },
  now = new Date(),
): Promise<SessionsList> {
  const [sessionRows, familyRows, familyId] = await Promise.all([
    control
      .select()
      .from(sessions)
      .where(
        and(
          eq(sessions.userId, params.userId),
          eq(sessions.stage, "active"),
          gt(sessions.expiresAt, now),
          gt(sessions.absoluteExpiresAt, now),
        ),
      )
      .orderBy(desc(sessions.lastUsedAt)),
    control
      .select({
        id: tokenFamilies.id,
        clientName: tokenFamilies.clientName,
        ip: tokenFamilies.ip,
        createdAt: tokenFamilies.createdAt,
        lastUsedAt: sql<number>`max(${refreshTokens.createdAt})`,
        live: sql<number>`sum(case when ${refreshTokens.usedAt} is null and ${refreshTokens.expiresAt} > ${now.getTime()} then 1 else 0 end)`,
      })
      .from(tokenFamilies)
      .innerJoin(refreshTokens, eq(refreshTokens.familyId, tokenFamilies.id))
      .where(and(eq(tokenFamilies.userId, params.userId), isNull(tokenFamilies.revokedAt)))
      .groupBy(tokenFamilies.id),
    currentFamilyId(control, params.current),
  ]);
  return {
    sessions: sessionRows.map((s) => ({
      id: publicSessionId(s.id),
      device: deviceLabel(s.userAgent),
      ip: s.ip,
      createdAt: s.createdAt.toISOString(),
      lastUsedAt: s.lastUsedAt.toISOString(),
      current: params.current.kind === "session" && s.id === params.current.id,
    })),
    apps: familyRows
      .filter((f) => Number(f.live) > 0)
      .map((f) => ({
        id: f.id,
        name: f.clientName ?? "App",
        ip: f.ip,
        createdAt: f.createdAt.toISOString(),
        lastUsedAt: new Date(Number(f.lastUsedAt)).toISOString(),
        current: f.id === familyId,
      }))
      .sort((a, b) => b.lastUsedAt.localeCompare(a.lastUsedAt)),
  };
}

/** Ends one of the user's own sessions or app sign-ins; anyone else's id answers NOT_FOUND. */
export async function revokeSession(
  control: ControlDb,
  params: { actor: UserActor; id: string },
  now = new Date(),
): Promise<{ revoked: true }> {
  const { actor } = params;
  const audit = (action: string, targetType: string, targetId: string) =>
    auditRow(auditBy({ actor }, targetType, targetId, { action }), now);
  if (/^[0-9a-f]{32}$/.test(params.id)) {
    const own = await control
      .select({ id: sessions.id })
      .from(sessions)
      .where(eq(sessions.userId, actor.userId));
    const match = own.find((s) => publicSessionId(s.id) === params.id);
    if (match) {
      await control.batch([
        control.delete(sessions).where(and(eq(sessions.id, match.id), eq(sessions.userId, actor.userId))),
        control.insert(auditLog).values(audit("session.revoked", "session", match.id)),
      ]);
      accessCache.forgetSession(match.id);
      return { revoked: true };
    }
  } else {
    const [family] = await control
      .select({ id: tokenFamilies.id })
      .from(tokenFamilies)
      .where(
        and(
          eq(tokenFamilies.id, params.id),
          eq(tokenFamilies.userId, actor.userId),
          isNull(tokenFamilies.revokedAt),
        ),
      )
      .limit(1);
    if (family) {
      await control.batch([
        control
          .update(tokenFamilies)
          .set({ revokedAt: now, revokedReason: "revoked_by_user" })
          .where(eq(tokenFamilies.id, family.id)),
        control.insert(auditLog).values(audit("token_family.revoked", "token_family", family.id)),
      ]);
      accessCache.forgetUser(actor.userId);
      return { revoked: true };
    }
  }
  throw new AppError("NOT_FOUND", "There is no such session.");
}

/** Ends every other session and app sign-in of the user, keeping only the one making the request. */
export async function revokeOtherSessions(
  control: ControlDb,
  params: { actor: UserActor; current: SessionInfo },
  now = new Date(),
): Promise<{ sessions: number; apps: number }> {
  const { actor, current } = params;
  const keepSession = current.kind === "session" ? current.id : null;
  const keepFamily = await currentFamilyId(control, current);
  const [deleted, revoked] = await control.batch([
    control
      .delete(sessions)
      .where(
        keepSession
          ? and(eq(sessions.userId, actor.userId), ne(sessions.id, keepSession))
          : eq(sessions.userId, actor.userId),
      ),
    control
      .update(tokenFamilies)
      .set({ revokedAt: now, revokedReason: "revoked_by_user" })
      .where(
        and(
          eq(tokenFamilies.userId, actor.userId),
          isNull(tokenFamilies.revokedAt),
          ...(keepFamily ? [ne(tokenFamilies.id, keepFamily)] : []),
        ),
      ),
  ]);
  const counts = { sessions: deleted.rowsAffected, apps: revoked.rowsAffected };
  await control
    .insert(auditLog)
    .values(
      auditRow(
        auditBy({ actor }, "user", actor.userId, { action: "session.others_revoked", after: counts }),
        now,
      ),
    );
  accessCache.forgetUser(actor.userId);
  return counts;
}
