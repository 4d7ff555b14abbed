import {
  addGroupMembersInput,
  addGroupMembersOutput,
  createGroupInput,
  group,
  groupDetail,
  groupIdInput,
  listGroupsInput,
  listGroupsOutput,
  removeGroupMemberInput,
  removeGroupMemberOutput,
  updateGroupInput,
} from "../../../../shared/schemas/groups";
import { requirePermission, router } from "../../../trpc/init";
import { setGroupArchived } from "./archive";
import { createGroup } from "./create";
import { getGroup } from "./get";
import { listGroups } from "./list";
import { addGroupMembers, removeGroupMember } from "./members";
import { updateGroup } from "./update";

const reader = requirePermission("system.read");
const admin = requirePermission("system.admin");

/** Groups of the organization's users. */
export const groupsRouter = router({
  /** Groups by name with member counts; archived ones only with `includeArchived`. */
  list: reader
    .meta({ rest: { method: "GET", path: "/system/groups", tag: "System: Groups", summary: "List groups" } })
    .input(listGroupsInput)
    .output(listGroupsOutput)
    .query(({ ctx, input }) => listGroups(ctx.db, input)),

  /** One group with its members' names, addresses and membership status. */
  get: reader
    .meta({
      rest: { method: "GET", path: "/system/groups/{id}", tag: "System: Groups", summary: "Get a group" },
    })
    .input(groupIdInput)
    .output(groupDetail)
    .query(({ ctx, input }) =>
      getGroup(ctx.db, { control: ctx.control, tenantId: ctx.tenant.id, id: input.id }),
    ),

  /** Creates a group (name unique in the organization). */
  create: admin
    .meta({
      rest: {
        method: "POST",
        path: "/system/groups",
        tag: "System: Groups",
        summary: "Create a group",
      },
    })
    .input(createGroupInput)
    .output(group)
    .mutation(({ ctx, input }) => createGroup(ctx, input)),

  /** Renames a group or changes its description. */
  update: admin
    .meta({
      rest: {
        method: "PATCH",
        path: "/system/groups/{id}",
        tag: "System: Groups",
        summary: "Rename a group or change its description",
      },
    })
    .input(updateGroupInput)
    .output(group)
    .mutation(({ ctx, input }) => updateGroup(ctx, input)),

  /** Archives a group: hidden from lists, read-only, members kept. */
  archive: admin
    .meta({
      rest: {
        method: "POST",
        path: "/system/groups/{id}/archive",
        tag: "System: Groups",
        summary: "Archive a group",
      },
    })
    .input(groupIdInput)
    .output(group)
    .mutation(({ ctx, input }) => setGroupArchived(ctx, { id: input.id, archived: true })),

  /** Restores an archived group. */
  restore: admin
    .meta({
      rest: {
        method: "POST",
        path: "/system/groups/{id}/restore",
        tag: "System: Groups",
        summary: "Restore an archived group",
      },
    })
    .input(groupIdInput)
    .output(group)
    .mutation(({ ctx, input }) => setGroupArchived(ctx, { id: input.id, archived: false })),

  /** Adds active members of the organization to a group (at most 200 at once); others are rejected by id. */
  addMembers: admin
    .meta({
      rest: {
        method: "POST",
        path: "/system/groups/{groupId}/members",
        tag: "System: Groups",
        summary: "Add members to a group",
      },
    })
    .input(addGroupMembersInput)
    .output(addGroupMembersOutput)
    .mutation(({ ctx, input }) => addGroupMembers(ctx, input)),

  /** Takes one person out of a group. */
  removeMember: admin
    .meta({
      rest: {
        method: "POST",
        path: "/system/groups/{groupId}/members/{userId}/remove",
        tag: "System: Groups",
        summary: "Take a person out of a group",
      },
    })
    .input(removeGroupMemberInput)
    .output(removeGroupMemberOutput)
    .mutation(({ ctx, input }) => removeGroupMember(ctx, input)),
});
