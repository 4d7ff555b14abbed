import type { ControlDb } from "../../db/client";
import type { ServiceContext, ServiceLog, UserActor } from "../../db/context";
import type { SessionInfo, SessionUser } from "../auth/session";
import { type NotificationMailEnv, notificationMail } from "../email/notification-mail";

/** The signed-in user a request acts as, with the credential they presented and where they called from. */
export function userActorOf(ctx: {
  user: SessionUser;
  session: SessionInfo;
  ip: string | null;
  requestId: string;
}): UserActor {
  return {
    kind: "user",
    userId: ctx.user.id,
    name: ctx.user.name,
    twoFactorEnabled: ctx.user.twoFactorEnabled,
    credential: { kind: ctx.session.kind, id: ctx.session.id, scopes: ctx.session.scopes },
    ip: ctx.ip,
    requestId: ctx.requestId,
  };
}

/**
 * What a request adds to its services' context besides databases, actor and organization: follow-up jobs
 * on the jobs queue and notification email. Jobs a write asks for are started by the system on the
 * request's behalf, not asked for by the person: their message names no actor.
 */
export function requestServices(ctx: {
  env: { JOBS: Pick<Queue<unknown>, "send"> } & NotificationMailEnv;
  control: ControlDb;
  log: ServiceLog;
  tenant: { id: string; slug: string; name: string };
  user: { id: string; name: string };
}): Required<Pick<ServiceContext, "enqueue" | "mail">> {
  const queue = ctx.env.JOBS;
  return {
    enqueue: async (job) => {
      await queue.send({ ...job, trigger: "queue", actor: null });
    },
    mail: notificationMail(ctx),
  };
}
