import { z } from "zod";
import {
  listNotificationsInput,
  listNotificationsOutput,
  markAllReadInput,
  markReadInput,
  markReadOutput,
  unreadCountOutput,
} from "../../../../shared/schemas/issue-extras";
import { requirePermission, router } from "../../../trpc/init";
import { listNotifications, unreadCount } from "./list";
import { markAllRead, markRead } from "./read";

const reader = requirePermission("projects.read");

/**
 * The caller's own notification centre in this organization (projects.notifications.*): assignments,
 * mentions and changes of watched issues. Everything here concerns only the caller's notifications, so
 * reading them and marking them read needs only projects.read.
 */
export const notificationsRouter = router({
  /** The caller's notifications, newest first. */
  list: reader
    .meta({
      rest: {
        method: "GET",
        path: "/projects/notifications",
        tag: "Projects: Notifications",
        summary: "List the caller's notifications",
      },
    })
    .input(listNotificationsInput)
    .output(listNotificationsOutput)
    .query(({ ctx, input }) =>
      listNotifications(ctx.db, { control: ctx.control, userId: ctx.user.id, input }),
    ),

  /** How many of the caller's notifications are unread. */
  unreadCount: reader
    .meta({
      rest: {
        method: "GET",
        path: "/projects/notifications/unread-count",
        tag: "Projects: Notifications",
        summary: "Count unread notifications",
      },
    })
    .input(z.void())
    .output(unreadCountOutput)
    .query(({ ctx }) => unreadCount(ctx.db, ctx.user.id)),

  /** Marks some of the caller's notifications read. */
  markRead: reader
    .meta({
      rest: {
        method: "POST",
        path: "/projects/notifications/read",
        tag: "Projects: Notifications",
        summary: "Mark notifications read",
      },
    })
    .input(markReadInput)
    .output(markReadOutput)
    .mutation(({ ctx, input }) => markRead(ctx, input)),

  /** Marks all the caller's notifications read (up to `upTo`, default now). */
  markAllRead: reader
    .meta({
      rest: {
        method: "POST",
        path: "/projects/notifications/read-all",
        tag: "Projects: Notifications",
        summary: "Mark all notifications read",
      },
    })
    .input(markAllReadInput)
    .output(markReadOutput)
    .mutation(({ ctx, input }) => markAllRead(ctx, input)),
});
