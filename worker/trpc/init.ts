import { initTRPC, TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { ZodError } from "zod";
import type { TenantDb } from "../../db/client";
import type { ServiceContext } from "../../db/context";
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from "../../db/errors";
import { AppError, type AppErrorCode, fieldErrorsOf, unexpectedMessage } from "../../shared/errors";
import { type Permission, type Role, roleAllows } from "../../shared/permissions";
import type { SessionInfo, SessionUser, TenantAccess } from "../auth/session";
import { describeError } from "../log";
import type { Context } from "./context";
import { requestServices, userActorOf } from "./service-context";

const trpcCodeOf: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  UNAVAILABLE: "SERVICE_UNAVAILABLE",
  INTERNAL: "INTERNAL_SERVER_ERROR",
};

/** Declared on every procedure by its rung of the ladder; the isolation suite and API docs read it. */
export interface ProcedureMeta {
  access?: "public" | "authed" | "tenant";
  /**
   * Also exposed over REST under /api/v1 (worker/rest): the route, its OpenAPI tag (`<Package>: <Object>`)
   * and a one-line summary. Path parameters (`{id}`) name fields of the procedure's input.
   */
  rest?: {
    method: "GET" | "POST" | "PATCH" | "DELETE";
    path: string;
    tag: string;
    summary?: string;
  };
}

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    // Never send stack traces: tRPC includes them whenever isDev is true, and it defaults to true in Workers.
    isDev: false,
    errorFormatter({ shape, error, ctx }) {
      const cause = error.cause;
      const fieldErrors =
        cause instanceof ZodError
          ? fieldErrorsOf(cause)
          : cause instanceof AppError
            ? cause.details.fieldErrors
            : undefined;
      const message =
        error.code === "INTERNAL_SERVER_ERROR"
          ? unexpectedMessage(ctx?.requestId)
          : cause instanceof ZodError
            ? "Some fields are not valid."
            : shape.message;
      return {
        code: shape.code,
        message,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          requestId: ctx?.requestId,
          ...(fieldErrors ? { fieldErrors } : {}),
          ...(cause instanceof AppError && cause.details.reason ? { reason: cause.details.reason } : {}),
        },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Maps AppError and unreachable databases to their transport codes. Only a database that could not be
 * reached answers 503 (with Retry-After); any other failure stays INTERNAL_SERVER_ERROR, which answers a
 * reference (the request id) and is logged with its details where the router's onError sees it.
 */
const errorBoundary = t.middleware(async ({ ctx, next, path }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (cause instanceof AppError) {
    throw new TRPCError({ code: trpcCodeOf[cause.code], message: cause.userMessage, cause });
  }
  if (result.error.code === "INTERNAL_SERVER_ERROR" && isDatabaseUnavailable(cause)) {
    ctx.log.warn("database unavailable", { path, ...describeError(cause) });
    const unavailable = new AppError(
      "UNAVAILABLE",
      "A database Nexus needs for this request is not reachable right now. Try again shortly.",
      { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS },
      { cause },
    );
    throw new TRPCError({
      code: "SERVICE_UNAVAILABLE",
      message: unavailable.userMessage,
      cause: unavailable,
    });
  }
  return result;
});

/** Anyone, signed in or not. */
export const publicProcedure = t.procedure.meta({ access: "public" }).use(errorBoundary);

/** A signed-in user with a live session; `ctx.user` is never null here, and `ctx.actor` is that user. */
export const authedProcedure = publicProcedure.meta({ access: "authed" }).use(async ({ ctx, next }) => {
  const access = await ctx.access();
  if (!access) throw new AppError("UNAUTHORIZED", "Your session has ended. Sign in again.");
  ctx.log.bind({ userId: access.user.id });
  const user = access.user as SessionUser;
  const session = access.session as SessionInfo;
  return next({ ctx: { user, session, access, actor: userActorOf({ ...ctx, user, session }) } });
});

/**
 * The signed-in person managing their own account: a browser session or an app's access token. Personal
 * access tokens are limited to package permissions in one organization, so they cannot manage the account.
 */
export const accountProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.session.kind === "personal_access_token") {
    throw new AppError("FORBIDDEN", "A personal access token cannot manage the account it belongs to.", {
      reason: "insufficient_scope",
    });
  }
  return next();
});

/** What `tenantProcedure` adds: with the actor, the services' context (`ServiceContext`) of the request. */
export interface TenantContext extends Required<Pick<ServiceContext, "enqueue" | "mail">> {
  tenant: TenantAccess;
  role: Role;
  db: TenantDb;
}

/**
 * A member of the tenant the request names (x-nexus-tenant). Injects `ctx.tenant`, the caller's `ctx.role`,
 * that tenant's `ctx.db`, `ctx.enqueue` and `ctx.mail`: with `ctx.actor` (authedProcedure), `ctx.control` and
 * `ctx.log`, the context is the request's `ServiceContext`, passed to services as it is. Unknown tenants
 * and tenants the caller does not belong to both answer NOT_FOUND, so one cannot learn which tenants exist.
 */
export const tenantProcedure = authedProcedure.meta({ access: "tenant" }).use(async ({ ctx, next }) => {
  const { tenant, session, user } = ctx.access;
  if (!ctx.tenantSlug) throw new AppError("BAD_REQUEST", "Choose an organization first.");
  if (!tenant?.role || tenant.status === "deleted" || (session.tenantId && session.tenantId !== tenant.id)) {
    throw new AppError("NOT_FOUND", "That organization does not exist or you are not a member of it.");
  }
  if (tenant.status !== "ready") {
    throw new AppError("UNAVAILABLE", "This organization is still being set up. Try again in a moment.");
  }
  if (
    session.kind === "session" &&
    Date.now() - session.lastUsedAt.getTime() > tenant.sessionLifetimeMinutes * 60_000
  ) {
    throw new AppError("UNAUTHORIZED", "Your session has ended. Sign in again.", {
      reason: "session_expired",
    });
  }
  if (tenant.twoFactorRequired && !user.twoFactorEnabled && !tenant.viaRoot) {
    throw new AppError(
      "FORBIDDEN",
      "This organization requires two-factor authentication. Set it up in your profile.",
      {
        reason: "two_factor_required",
      },
    );
  }
  ctx.log.bind({ tenantId: tenant.id });
  const extra: TenantContext = {
    tenant,
    role: tenant.role,
    db: ctx.tenantDb(tenant),
    ...requestServices({ ...ctx, tenant }),
  };
  return next({ ctx: extra });
});

/** A member of the tenant whose role grants `permission` (see shared/permissions.ts). */
export function requirePermission(permission: Permission) {
  return tenantProcedure.use(({ ctx, next }) => {
    if (!roleAllows(ctx.role, permission)) {
      throw new AppError("FORBIDDEN", "Your role in this organization does not allow this.");
    }
    const scopes = ctx.access.session.scopes;
    if (scopes && !scopes.has(permission)) {
      throw new AppError("FORBIDDEN", `This token's scopes do not include ${permission}.`, {
        reason: "insufficient_scope",
      });
    }
    return next();
  });
}

/**
 * An owner or administrator of the root ("Global") organization, acting in it: platform-wide account
 * administration. Anyone else — including root administrators acting in another organization — is refused.
 */
export const rootAdminProcedure = requirePermission("system.admin").use(({ ctx, next }) => {
  if (ctx.tenant.kind !== "root" || ctx.tenant.viaRoot) {
    throw new AppError("FORBIDDEN", "Only administrators of the Global organization may do this.");
  }
  return next();
});
