import { router } from "../../../trpc/init";

/** Invitations to join the organization. */
export const invitationsRouter = router({});
