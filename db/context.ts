import { type Permission, type Role, roleAllows } from "../shared/permissions";
import type { NotificationKind } from "../shared/schemas/issue-extras";
import type { ControlDb, TenantDb } from "./client";

/**
 * Who acts, and from where: the one actor every service, audit row and history entry takes. A request's
 * actor is a user (with the credential they presented); a job, a sync or a seed acts as the system, saying
 * why. Both carry the request they act in, which audit rows record.
 */
export type Actor = UserActor | SystemActor;

/** How a user proved who they are on this request. */
export interface Credential {
  /** A browser/API session, an app's access token, or a personal access token. */
  kind: "session" | "access_token" | "personal_access_token";
  /** The session's id, or the id of the token presented. */
  id: string;
  /** Package permissions the credential is limited to (token scopes); null: the role decides alone. */
  scopes: ReadonlySet<string> | null;
}

interface ActorRequest {
  /** The caller's address, when a request brought it. */
  ip: string | null;
  /** The request (or job message) the actor acts in, for logs, history and audit. */
  requestId: string | null;
}

export interface UserActor extends ActorRequest {
  kind: "user";
  userId: string;
  /** As notification summaries and emails quote it. */
  name: string;
  twoFactorEnabled: boolean;
  credential: Credential;
}

export interface SystemActor extends ActorRequest {
  kind: "system";
  /** Why the system acts, e.g. "demo-seed" or "job:projects.desk.reindex"; audit rows record it as their actor. */
  reason: string;
}

/** The system acting for `reason` (never from an address). */
export function systemActor(reason: string, requestId: string | null = null): SystemActor {
  return { kind: "system", reason, ip: null, requestId };
}

/** The acting user's id, or null when the system acts (history and authorship record no person then). */
export function actorUserId(actor: Actor): string | null {
  return actor.kind === "user" ? actor.userId : null;
}

/** The organization a service acts in, and what the actor is there. */
export interface ServiceTenant {
  id: string;
  slug: string;
  name: string;
  /** The acting user's role in the organization; null for the system, which is no member. */
  role: Role | null;
  /** True when the role comes from administering the root ("Global") organization, not a membership. */
  viaRoot: boolean;
}

/** Where services report what they could not do but survived (a request's or a job's log). */
export interface ServiceLog {
  warn(message: string, extra?: Record<string, unknown>): void;
}

/** A follow-up job a service asks for, as the jobs queue takes it: its kind and its own fields. */
export interface JobRequest {
  kind: string;
  [field: string]: unknown;
}

/** One notice to email after a write: `userId` was assigned `issue`, or mentioned in a comment on it. */
export interface MailNotice {
  kind: Extract<NotificationKind, "assigned" | "mentioned">;
  userId: string;
  issue: { id: string; key: string; title: string };
}

/**
 * Emails the notices of one committed write (its in-app notifications are written in the write's batch).
 * Never throws: mail that cannot be queued is logged, and the change stands.
 */
export interface NotificationMail {
  send(notices: readonly MailNotice[]): Promise<void>;
}

/**
 * What every service of a package works with, built the same way by `tenantProcedure` for a request and by
 * the job runner (or a seed) for the system: the organization's database, the control database, who acts,
 * in which organization, a log, and — where there is a queue or a mailer — follow-up jobs and email.
 * Services take `(ctx, params)`; a service only a person may call takes `UserContext`.
 */
export interface ServiceContext<A extends Actor = Actor> {
  db: TenantDb;
  control: ControlDb;
  actor: A;
  tenant: ServiceTenant;
  log: ServiceLog;
  /** Puts a follow-up job on the jobs queue (absent where there is no queue, e.g. seeding). */
  enqueue?: (job: JobRequest) => Promise<void>;
  /** Emails assignment and mention notices after a write (absent where nobody is mailed, e.g. seeding). */
  mail?: NotificationMail;
}

/** The context of a service only a person may call (their comments, uploads, notifications, filters). */
export type UserContext = ServiceContext<UserActor>;

/** The context of a service that works on the control database alone (memberships, invitations, settings). */
export type ControlContext<A extends Actor = Actor> = Pick<ServiceContext<A>, "control" | "actor" | "tenant">;

/** The system acting in an organization for `reason` (a job, a sync, a seed). */
export function systemContext(params: {
  db: TenantDb;
  control: ControlDb;
  tenant: Pick<ServiceTenant, "id" | "slug" | "name">;
  reason: string;
  log: ServiceLog;
  requestId?: string | null;
  enqueue?: ServiceContext["enqueue"];
}): ServiceContext<SystemActor> {
  return {
    db: params.db,
    control: params.control,
    actor: systemActor(params.reason, params.requestId ?? null),
    tenant: { ...params.tenant, role: null, viaRoot: false },
    log: params.log,
    ...(params.enqueue ? { enqueue: params.enqueue } : {}),
  };
}

/**
 * Whether the actor may do what `permission` names in the context's organization: the system always; a
 * user when their role allows it and their credential's scopes (if limited) include it.
 */
export function allows(ctx: { actor: Actor; tenant: Pick<ServiceTenant, "role"> }, permission: Permission) {
  if (ctx.actor.kind === "system") return true;
  const { role } = ctx.tenant;
  const scopes = ctx.actor.credential.scopes;
  return role !== null && roleAllows(role, permission) && (!scopes || scopes.has(permission));
}
