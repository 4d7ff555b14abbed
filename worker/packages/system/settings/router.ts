import { router } from "../../../trpc/init";

/** Organization and security settings; soft delete. */
export const settingsRouter = router({});
