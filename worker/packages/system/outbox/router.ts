import { router } from "../../../trpc/init";

/** Email Nexus captured or sent for the organization. */
export const outboxRouter = router({});
