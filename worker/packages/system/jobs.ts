import { z } from "zod";
import { deleteExpiredCredentials } from "../../auth/cleanup";
import { deleteExpiredSessions } from "../../auth/session";
import { assembleJobs, defineJob } from "../../kit/jobs";
import { expireInvitations } from "./invitations/expire";

/** Deletes sessions past either lifetime and expired tokens, expires overdue invitations, prunes counters. */
export const sessionsCleanup = defineJob({
  kind: "sessions.cleanup",
  scope: "platform",
  input: z.object({}),
  async run({ control }) {
    const now = new Date();
    const deleted = await deleteExpiredSessions(control, now);
    const credentials = await deleteExpiredCredentials(control, now);
    const invitationsExpired = await expireInvitations(control, now);
    return { deleted, ...credentials, invitationsExpired };
  },
});

/** System's jobs. */
export const systemJobs = assembleJobs([sessionsCleanup]);
