import { z } from "zod";
import { identifier, multiLineText, opaqueText, searchText, singleLineText } from "./text";

const id = identifier();
const isoDate = z.iso.datetime();

export const MAX_GROUP_MEMBERS_PER_CALL = 200;

export const groupName = singleLineText({ min: 1, minMessage: "Give the group a name.", max: 100 });
export const groupDescription = multiLineText({ max: 1000 });

/** A group as lists show it. */
export const group = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  archived: z.boolean(),
  archivedAt: isoDate.nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
  memberCount: z.number().int(),
});
export type Group = z.infer<typeof group>;

// system.groups.list
export const listGroupsInput = z.object({
  /** Part of the name. */
  search: searchText({ max: 100 }).optional(),
  includeArchived: z.boolean().default(false),
  limit: z.number().int().min(1).max(100).default(50),
  cursor: opaqueText(500).optional(),
});
export type ListGroupsInput = z.input<typeof listGroupsInput>;
export const listGroupsOutput = z.object({ items: z.array(group), nextCursor: z.string().nullable() });

// system.groups.get
export const groupIdInput = z.object({ id });
/**
 * `membership`: the person's membership in the organization now — `active`, `deactivated`, or `removed`
 * (their membership or account was deleted since they were added).
 */
export const groupMember = z.object({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  membership: z.enum(["active", "deactivated", "removed"]),
  addedAt: isoDate,
});
export type GroupMember = z.infer<typeof groupMember>;
export const groupDetail = group.extend({ members: z.array(groupMember) });
export type GroupDetail = z.infer<typeof groupDetail>;

// system.groups.create / update
export const createGroupInput = z.object({
  /** Unique in the organization (case-insensitively). */
  name: groupName,
  description: groupDescription.nullish(),
});
export type CreateGroupInput = z.input<typeof createGroupInput>;
export const updateGroupInput = z
  .object({
    id,
    name: groupName.optional(),
    /** null clears it. */
    description: groupDescription.nullish(),
  })
  .refine((v) => v.name !== undefined || v.description !== undefined, {
    message: "Change the name or the description.",
    path: ["name"],
  });
export type UpdateGroupInput = z.input<typeof updateGroupInput>;

// system.groups.addMembers / removeMember
export const addGroupMembersInput = z.object({
  groupId: id,
  userIds: z.array(id).min(1).max(MAX_GROUP_MEMBERS_PER_CALL),
});
export type AddGroupMembersInput = z.input<typeof addGroupMembersInput>;
export const addGroupMembersOutput = z.object({
  added: z.array(z.string()),
  /** Already in the group: nothing changed for them. */
  alreadyMembers: z.array(z.string()),
  /** Not active members of this organization: not added. */
  rejected: z.array(z.object({ userId: z.string(), reason: z.literal("not_an_active_member") })),
  group,
});
export const removeGroupMemberInput = z.object({ groupId: id, userId: id });
export const removeGroupMemberOutput = z.object({ group });
