import { router } from "../../../trpc/init";

/** The organization's audit trail. */
export const auditRouter = router({});
