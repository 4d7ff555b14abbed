import { router } from "../../../trpc/init";

/** Members of the organization: list, roles, lifecycle, export. */
export const usersRouter = router({});
