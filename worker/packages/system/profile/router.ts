import { router } from "../../../trpc/init";

/** The signed-in user: profile, default context, sessions and devices, two-factor, password and email. */
export const profileRouter = router({});
