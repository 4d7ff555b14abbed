import { router } from "../../../trpc/init";

/** Groups of the organization's users. */
export const groupsRouter = router({});
