import type { AuditInput } from "../../../db/audit";
import type { ControlDb, TenantDb } from "../../../db/client";
import type { Job, JobMessage } from "../../../jobs/messages";
import { type Permission, type Role, roleAllows } from "../../../shared/permissions";
import { type NotificationMail, type NotificationMailEnv, notificationMail } from "./notifications/email";

/** Who is changing projects and issues, and from where: what services need for rules, history and audit. */
export interface ProjectsActor {
  tenantId: string;
  userId: string;
  /** Role and (for tokens) scope grant projects.admin: may decide on changes' approval. */
  isProjectAdmin: boolean;
  ip: string | null;
  requestId: string | null;
}

export function projectsActorOf(ctx: {
  tenant: { id: string };
  role: Role;
  user: { id: string };
  session: { scopes: ReadonlySet<string> | null };
  ip: string | null;
  requestId: string;
}): ProjectsActor {
  const admin: Permission = "projects.admin";
  return {
    tenantId: ctx.tenant.id,
    userId: ctx.user.id,
    isProjectAdmin: roleAllows(ctx.role, admin) && (!ctx.session.scopes || ctx.session.scopes.has(admin)),
    ip: ctx.ip,
    requestId: ctx.requestId,
  };
}

/** The follow-up jobs issue services may ask for: repairing the root desk's index of an organization. */
export type ProjectsJob = Extract<Job, { kind: "projects.desk.reindex" }>;

/** What issue services work with: the organization's database, the control database, the actor, a log. */
export interface ProjectsContext {
  db: TenantDb;
  control: ControlDb;
  actor: ProjectsActor;
  log: { warn(message: string, extra?: Record<string, unknown>): void };
  /** Puts a follow-up job on the jobs queue (absent where there is no queue, e.g. seeding). */
  enqueue?: (job: ProjectsJob) => Promise<void>;
  /** Emails assignment and mention notices after a write (absent where nobody is mailed, e.g. seeding). */
  mail?: NotificationMail;
}

export function projectsContextOf(
  ctx: Parameters<typeof projectsActorOf>[0] & {
    db: TenantDb;
    control: ControlDb;
    log: ProjectsContext["log"];
    env: { JOBS: Pick<Queue<unknown>, "send"> } & NotificationMailEnv;
    tenant: { id: string; slug: string; name: string };
    user: { id: string; name: string };
  },
): ProjectsContext {
  const queue = ctx.env.JOBS;
  return {
    db: ctx.db,
    control: ctx.control,
    actor: projectsActorOf(ctx),
    log: ctx.log,
    // Started by the system on the request's behalf, not asked for by the person: no actor.
    enqueue: async (job) => {
      await queue.send({ ...job, trigger: "queue", actor: null } satisfies JobMessage);
    },
    mail: notificationMail(ctx),
  };
}

/** The audit fields of a change to `targetType` `targetId` by `actor`, for the tenant's audit log. */
export function projectsAudit(
  actor: ProjectsActor,
  targetType: string,
  targetId: string | null,
  change: Pick<AuditInput, "action" | "before" | "after">,
): AuditInput {
  return {
    actorKind: "user",
    actorId: actor.userId,
    tenantId: actor.tenantId,
    targetType,
    targetId,
    ip: actor.ip,
    requestId: actor.requestId,
    ...change,
  };
}
