import { AppError } from "../../../../shared/errors";
import { authedProcedure } from "../../../trpc/init";

/** Who did something, for the audit row. */
export interface Actor {
  userId: string;
  ip: string | null;
  requestId: string;
}

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
  return next({
    ctx: { actor: { userId: ctx.user.id, ip: ctx.ip, requestId: ctx.requestId } satisfies Actor },
  });
});
