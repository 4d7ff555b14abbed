import { z } from "zod";
import {
  bulkChangeRoleInput,
  bulkDeactivateInput,
  bulkResultOutput,
  changeRoleInput,
  exportInput,
  exportOutput,
  listUsersInput,
  listUsersOutput,
  organizationUser,
  userIdInput,
} from "../../../../shared/schemas/organizations";
import { requirePermission, router } from "../../../trpc/init";
import { changeMembership, changeMemberships } from "./change-memberships";
import { exportMembers } from "./export-members";
import { getUser } from "./get-user";
import { listUsers } from "./list-users";

const admin = requirePermission("system.admin");

/** Members of the organization: list, roles, lifecycle, export. Administrators only. */
export const usersRouter = router({
  /** Members, searched by name or email, filtered by role and status, sorted, one keyset page at a time. */
  list: admin
    .meta({ rest: { method: "GET", path: "/system/users", tag: "System: Users", summary: "List members" } })
    .input(listUsersInput)
    .output(listUsersOutput)
    .query(({ ctx, input }) => listUsers(ctx.control, ctx.tenant.id, input)),

  /** One member; NOT_FOUND for anyone who is not a member of this organization. */
  get: admin
    .meta({
      rest: { method: "GET", path: "/system/users/{userId}", tag: "System: Users", summary: "Get a member" },
    })
    .input(userIdInput)
    .output(organizationUser)
    .query(({ ctx, input }) => getUser(ctx.control, ctx.tenant.id, input.userId)),

  /**
   * Changes a member's role and ends their sessions. Only owners give or take the owner role; the last
   * active owner keeps it (CONFLICT).
   */
  changeRole: admin
    .meta({
      rest: {
        method: "POST",
        path: "/system/users/{userId}/role",
        tag: "System: Users",
        summary: "Change a member's role",
      },
    })
    .input(changeRoleInput)
    .output(organizationUser)
    .mutation(async ({ ctx, input }) => {
      await changeMembership(ctx, input.userId, { kind: "role", role: input.role });
      return getUser(ctx.control, ctx.tenant.id, input.userId);
    }),

  /** Blocks a member's access to this organization at once and ends their sessions. */
  deactivate: admin
    .meta({
      rest: {
        method: "POST",
        path: "/system/users/{userId}/deactivate",
        tag: "System: Users",
        summary: "Deactivate a member",
      },
    })
    .input(userIdInput)
    .output(organizationUser)
    .mutation(async ({ ctx, input }) => {
      await changeMembership(ctx, input.userId, { kind: "deactivate" });
      return getUser(ctx.control, ctx.tenant.id, input.userId);
    }),

  /** Gives a deactivated member their access back. */
  reactivate: admin
    .meta({
      rest: {
        method: "POST",
        path: "/system/users/{userId}/reactivate",
        tag: "System: Users",
        summary: "Reactivate a member",
      },
    })
    .input(userIdInput)
    .output(organizationUser)
    .mutation(async ({ ctx, input }) => {
      await changeMembership(ctx, input.userId, { kind: "reactivate" });
      return getUser(ctx.control, ctx.tenant.id, input.userId);
    }),

  /** Removes a member from the organization (the membership is kept, marked removed, for history). */
  remove: admin
    .meta({
      rest: {
        method: "DELETE",
        path: "/system/users/{userId}",
        tag: "System: Users",
        summary: "Remove a member from the organization",
      },
    })
    .input(userIdInput)
    .output(z.object({ removed: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await changeMembership(ctx, input.userId, { kind: "remove" });
      return { removed: true as const };
    }),

  /** Changes the role of up to 200 members; one result per member. */
  bulkChangeRole: admin
    .meta({
      rest: {
        method: "POST",
        path: "/system/users/bulk/role",
        tag: "System: Users",
        summary: "Change the role of several members",
      },
    })
    .input(bulkChangeRoleInput)
    .output(bulkResultOutput)
    .mutation(({ ctx, input }) => changeMemberships(ctx, input.userIds, { kind: "role", role: input.role })),

  /** Deactivates up to 200 members; one result per member. */
  bulkDeactivate: admin
    .meta({
      rest: {
        method: "POST",
        path: "/system/users/bulk/deactivate",
        tag: "System: Users",
        summary: "Deactivate several members",
      },
    })
    .input(bulkDeactivateInput)
    .output(bulkResultOutput)
    .mutation(({ ctx, input }) => changeMemberships(ctx, input.userIds, { kind: "deactivate" })),

  /** The organization's members or invitations as a CSV or JSON file (audited). */
  export: admin
    .input(exportInput)
    .output(exportOutput)
    .mutation(({ ctx, input }) => exportMembers(ctx, input)),
});
