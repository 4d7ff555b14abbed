import { z } from "zod";
import {
  createPersonalAccessTokenInput,
  createPersonalAccessTokenOutput,
  listPersonalAccessTokensOutput,
  personalAccessTokenPolicy,
  personalAccessTokenPolicyInput,
  personalAccessTokenRecord,
  revokePersonalAccessTokenInput,
} from "../../../../shared/schemas/credentials";
import { accountProcedure, authedProcedure, router } from "../../../trpc/init";
import {
  createPersonalAccessToken,
  listPersonalAccessTokens,
  personalAccessTokenPolicy as loadPolicy,
  revokePersonalAccessToken,
} from "./personal-access-tokens";

/** Personal access tokens of the signed-in user. */
export const tokensRouter = router({
  /** The user's own tokens in every organization, newest first; never the tokens themselves. */
  list: accountProcedure
    .input(z.void())
    .output(listPersonalAccessTokensOutput)
    .query(({ ctx }) => listPersonalAccessTokens(ctx.control, { userId: ctx.user.id })),

  /** How long a token for one of the user's organizations may live, and whether it may never expire. */
  policy: accountProcedure
    .input(personalAccessTokenPolicyInput)
    .output(personalAccessTokenPolicy)
    .query(({ ctx, input }) =>
      loadPolicy(ctx.control, { userId: ctx.user.id, tenantSlug: input.tenantSlug }),
    ),

  /**
   * A new token for one organization and a subset of the caller's permissions there; shown once. Only a
   * browser session re-authenticated in the last 10 minutes may create one (access and personal access
   * tokens are refused, and the refusal audited, in the service); the expiry stays within the
   * organization's policy; the owner is mailed.
   */
  create: authedProcedure
    .input(createPersonalAccessTokenInput)
    .output(createPersonalAccessTokenOutput)
    .mutation(({ ctx, input }) =>
      createPersonalAccessToken(ctx.control, {
        actor: ctx.actor,
        session: ctx.session,
        env: ctx.env,
        userAgent: ctx.userAgent,
        ...input,
      }),
    ),

  /** Revokes one of the user's tokens; it stops working at once. */
  revoke: accountProcedure
    .input(revokePersonalAccessTokenInput)
    .output(personalAccessTokenRecord)
    .mutation(({ ctx, input }) => revokePersonalAccessToken(ctx.control, { actor: ctx.actor, id: input.id })),
});
