import { router } from "../../../trpc/init";

/** Personal access tokens of the signed-in user. */
export const tokensRouter = router({});
