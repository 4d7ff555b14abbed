import { TRPCError } from "@trpc/server";
import { z } from "zod";
import type { UserContext } from "../../db/context";
import { AppError } from "../../shared/errors";
import type { Permission } from "../../shared/permissions";
import { type ContextInput, createContext } from "./context";
import { createCallerFactory, requirePermission, router } from "./init";

/** The services' context of a request the ladder admitted: what `tenantProcedure` gives a procedure. */
function serviceContextOf(ctx: UserContext): UserContext {
  const { db, control, actor, tenant, log, enqueue, mail } = ctx;
  return { db, control, actor, tenant, log, enqueue, mail };
}

/** One tiny router per permission a plain HTTP route asks for, built on first use. */
const callers = new Map<Permission, ReturnType<typeof gateCaller>>();

function gateCaller(permission: Permission) {
  return createCallerFactory(
    router({
      pass: requirePermission(permission)
        .input(z.void())
        .mutation(({ ctx }) => serviceContextOf(ctx)),
    }),
  );
}

/** The AppError behind a ladder refusal, so the route's error handler answers exactly as tRPC would. */
function unwrap(error: unknown): never {
  if (error instanceof TRPCError) {
    if (error.cause instanceof AppError) throw error.cause;
    if (error.code === "SERVICE_UNAVAILABLE") throw new AppError("UNAVAILABLE", error.message);
  }
  throw error;
}

/**
 * The procedure ladder, for plain HTTP routes: the same credential resolution (cookie or bearer, sessions,
 * access tokens, PATs and their scopes), tenant check (membership, readiness, session lifetime, two-factor
 * rule) and permission check as every tRPC procedure, by calling a procedure of that ladder server-side.
 * Answers the request's services' context once the ladder admits the caller for `permission`.
 */
export async function passGate(input: ContextInput, permission: Permission): Promise<UserContext> {
  let caller = callers.get(permission);
  if (!caller) {
    caller = gateCaller(permission);
    callers.set(permission, caller);
  }
  try {
    return await caller(createContext(input)).pass();
  } catch (error) {
    unwrap(error);
  }
}
