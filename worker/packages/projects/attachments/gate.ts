import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { AppError } from "../../../../shared/errors";
import type { ContextInput } from "../../../trpc/context";
import { createContext } from "../../../trpc/context";
import { createCallerFactory, requirePermission, router } from "../../../trpc/init";
import { issueActorOf } from "../activity/actor";

/**
 * The procedure ladder, for plain HTTP routes: the same credential resolution (cookie or bearer, sessions,
 * access tokens, PATs and their scopes), tenant check (membership, readiness, session lifetime, two-factor
 * rule) and permission check as every tRPC procedure, by calling a procedure of that ladder server-side.
 */
const gates = router({
  read: requirePermission("projects.read")
    .input(z.void())
    .query(({ ctx }) => ({ db: ctx.db, control: ctx.control, actor: issueActorOf(ctx), log: ctx.log })),
  write: requirePermission("projects.write")
    .input(z.void())
    .mutation(({ ctx }) => ({ db: ctx.db, control: ctx.control, actor: issueActorOf(ctx), log: ctx.log })),
});

const callerOf = createCallerFactory(gates);

/** The AppError behind a ladder refusal, so the route's error handler answers exactly as tRPC would. */
function unwrap(error: unknown): never {
  if (error instanceof TRPCError) {
    if (error.cause instanceof AppError) throw error.cause;
    if (error.code === "SERVICE_UNAVAILABLE") throw new AppError("UNAVAILABLE", error.message);
  }
  throw error;
}

/** The caller's tenant database, actor and logger once the ladder admits them for `access`. */
export async function passGate(input: ContextInput, access: "read" | "write") {
  const caller = callerOf(createContext(input));
  try {
    return access === "read" ? await caller.read() : await caller.write();
  } catch (error) {
    unwrap(error);
  }
}
