import { z } from "zod";
import {
  createPersonalAccessTokenInput,
  createPersonalAccessTokenOutput,
  listPersonalAccessTokensOutput,
  personalAccessTokenRecord,
  revokePersonalAccessTokenInput,
} from "../../../../shared/schemas/credentials";
import { router } from "../../../trpc/init";
import { accountProcedure } from "../profile/procedures";
import {
  createPersonalAccessToken,
  listPersonalAccessTokens,
  revokePersonalAccessToken,
} from "./personal-access-tokens";

/** Personal access tokens of the signed-in user. */
export const tokensRouter = router({
  /** The user's own tokens in every organization, newest first; never the tokens themselves. */
  list: accountProcedure
    .input(z.void())
    .output(listPersonalAccessTokensOutput)
    .query(({ ctx }) => listPersonalAccessTokens(ctx.control, { userId: ctx.user.id })),

  /** A new token for one organization and a subset of the caller's permissions there; shown once. */
  create: accountProcedure
    .input(createPersonalAccessTokenInput)
    .output(createPersonalAccessTokenOutput)
    .mutation(({ ctx, input }) => createPersonalAccessToken(ctx.control, { actor: ctx.actor, ...input })),

  /** Revokes one of the user's tokens; it stops working at once. */
  revoke: accountProcedure
    .input(revokePersonalAccessTokenInput)
    .output(personalAccessTokenRecord)
    .mutation(({ ctx, input }) => revokePersonalAccessToken(ctx.control, { actor: ctx.actor, id: input.id })),
});
