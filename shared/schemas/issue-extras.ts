/**
 * What surrounds an issue: comments, attachments, links, watchers, the activity feed, the notification
 * centre, and the issue catalog (categories and request types). Inputs and outputs of the Projects
 * package's procedures for them: plain JSON, ISO 8601 dates, closed enums.
 */
import { z } from "zod";
import {
  commentVisibilities,
  issueLinkKinds,
  issueTypes,
  notificationKinds,
  priorities,
} from "./issue-model";
import { identifier, multiLineText, opaqueText, singleLineText } from "./text";

const id = identifier();
const isoDate = z.iso.datetime();
const cursor = opaqueText(500);
const pageSize = (max: number, fallback: number) => z.number().int().min(1).max(max).default(fallback);

/** Someone who did something: the name as the organization knows it now ("Unknown user" once gone). */
export const personRef = z.object({ id: z.string(), name: z.string() });
export type PersonRef = z.infer<typeof personRef>;

/** Enough of an issue to show it beside another (links, notifications). */
export const issueSummary = z.object({
  id: z.string(),
  /** The issue's key: its project's key and its number in the organization, e.g. TECH-42. */
  key: z.string(),
  number: z.number().int(),
  title: z.string(),
  type: z.enum(issueTypes),
  status: z.string(),
  priority: z.enum(priorities),
});
export type IssueSummary = z.infer<typeof issueSummary>;

export const issueIdInput = z.object({ issueId: id });

/** What a delete answers. */
export const deletedOutput = z.object({ id: z.string(), deleted: z.literal(true) });

// ——— Comments ———————————————————————————————————————————————————————————————————————————————

export const MAX_COMMENT_LENGTH = 20_000;
export const commentVisibility = z.enum(commentVisibilities);
export type CommentVisibility = z.infer<typeof commentVisibility>;

/** Markdown text. Mentions: `@person@example.org` or `@[Name](userId)` (active members are notified). */
export const commentBody = multiLineText({
  min: 1,
  minMessage: "Write something first.",
  max: MAX_COMMENT_LENGTH,
  maxMessage: `A comment can be at most ${MAX_COMMENT_LENGTH.toLocaleString("en-US")} characters.`,
});

/**
 * A comment. `internal` comments are for the people working the issue; `public` ones will also be shown to
 * requesters once a portal role exists. A deleted comment stays in place with `body: null`.
 */
export const comment = z.object({
  id: z.string(),
  issueId: z.string(),
  author: personRef,
  body: z.string().nullable(),
  visibility: commentVisibility,
  createdAt: isoDate,
  editedAt: isoDate.nullable(),
  deletedAt: isoDate.nullable(),
});
export type Comment = z.infer<typeof comment>;

// projects.comments.list — oldest first.
export const listCommentsInput = z.object({
  issueId: id,
  limit: pageSize(100, 50),
  cursor: cursor.optional(),
});
export type ListCommentsInput = z.input<typeof listCommentsInput>;
export const listCommentsOutput = z.object({ items: z.array(comment), nextCursor: z.string().nullable() });

// projects.comments.create / update / delete
export const createCommentInput = z.object({
  issueId: id,
  body: commentBody,
  visibility: commentVisibility.default("internal"),
});
export type CreateCommentInput = z.input<typeof createCommentInput>;
export const updateCommentInput = z.object({
  id,
  body: commentBody,
  /** Omitted: unchanged. */
  visibility: commentVisibility.optional(),
});
export type UpdateCommentInput = z.input<typeof updateCommentInput>;
export const commentIdInput = z.object({ id });

// ——— Attachments ————————————————————————————————————————————————————————————————————————————

export const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;

/**
 * The file types an issue accepts: each is recognised by its extension AND by its content (magic bytes;
 * text must contain no binary control characters). The stored and served type is the one listed here, never
 * what the uploader claimed.
 */
export const attachmentTypes = {
  png: { extensions: ["png"], contentType: "image/png" },
  jpeg: { extensions: ["jpg", "jpeg"], contentType: "image/jpeg" },
  gif: { extensions: ["gif"], contentType: "image/gif" },
  webp: { extensions: ["webp"], contentType: "image/webp" },
  pdf: { extensions: ["pdf"], contentType: "application/pdf" },
  txt: { extensions: ["txt", "log"], contentType: "text/plain" },
  csv: { extensions: ["csv"], contentType: "text/csv" },
  docx: {
    extensions: ["docx"],
    contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  },
  xlsx: {
    extensions: ["xlsx"],
    contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  },
  pptx: {
    extensions: ["pptx"],
    contentType: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  },
  zip: { extensions: ["zip"], contentType: "application/zip" },
} as const satisfies Record<string, { extensions: readonly string[]; contentType: string }>;
export type AttachmentType = keyof typeof attachmentTypes;
export const allowedAttachmentExtensions = Object.values(attachmentTypes).flatMap((t) => t.extensions);

/**
 * An attached file. Bytes: `GET downloadUrl` (same credentials as the API, and the organization named by
 * the `x-nexus-tenant` header or the `tenant` query parameter).
 */
export const attachment = z.object({
  id: z.string(),
  issueId: z.string(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  /** Hex SHA-256 of the bytes. */
  sha256: z.string(),
  uploadedBy: personRef,
  createdAt: isoDate,
  downloadUrl: z.string(),
});
export type Attachment = z.infer<typeof attachment>;

// projects.attachments.list / delete; upload is `POST /api/v1/attachments?issueId=…` (multipart or raw).
export const listAttachmentsOutput = z.object({ items: z.array(attachment) });
export const attachmentIdInput = z.object({ id });
export const uploadAttachmentQuery = z.object({ issueId: id });

// ——— Links ——————————————————————————————————————————————————————————————————————————————————

export const issueLinkKind = z.enum(issueLinkKinds);
export type IssueLinkKindValue = z.infer<typeof issueLinkKind>;

/**
 * A link seen from one issue. `outgoing`: this issue is the link's subject ("this blocks other",
 * "this duplicates other", "this was caused by other"); `incoming`: the other way round ("is blocked by",
 * "is duplicated by", "caused"). `relates_to` reads the same both ways.
 */
export const issueLink = z.object({
  id: z.string(),
  kind: issueLinkKind,
  direction: z.enum(["outgoing", "incoming"]),
  issue: issueSummary,
  createdBy: personRef.nullable(),
  createdAt: isoDate,
});
export type IssueLink = z.infer<typeof issueLink>;

// projects.links.list / create / delete
export const listLinksOutput = z.object({ items: z.array(issueLink) });
export const createLinkInput = z
  .object({ fromIssueId: id, toIssueId: id, kind: issueLinkKind })
  .refine((v) => v.fromIssueId !== v.toIssueId, {
    message: "An issue cannot be linked to itself.",
    path: ["toIssueId"],
  });
export type CreateLinkInput = z.input<typeof createLinkInput>;
export const linkIdInput = z.object({ id });

// ——— Watchers ———————————————————————————————————————————————————————————————————————————————

export const MAX_WATCHERS_PER_CALL = 50;
export const watcher = z.object({ userId: z.string(), name: z.string(), email: z.string(), since: isoDate });
export type Watcher = z.infer<typeof watcher>;

// projects.watchers.list / watch / unwatch / add / remove
export const listWatchersOutput = z.object({
  items: z.array(watcher),
  /** Whether the caller watches the issue. */
  watching: z.boolean(),
});
export const watchingOutput = z.object({ watching: z.boolean() });
export const addWatchersInput = z.object({
  issueId: id,
  userIds: z.array(id).min(1).max(MAX_WATCHERS_PER_CALL),
});
export type AddWatchersInput = z.input<typeof addWatchersInput>;
export const addWatchersOutput = z.object({
  added: z.array(z.string()),
  alreadyWatching: z.array(z.string()),
  /** Not active members of this organization: not added. */
  rejected: z.array(z.object({ userId: z.string(), reason: z.literal("not_an_active_member") })),
});
export const removeWatcherInput = z.object({ issueId: id, userId: id });
export const removeWatcherOutput = z.object({ removed: z.boolean() });

// ——— Activity ———————————————————————————————————————————————————————————————————————————————

/**
 * A field change from the issue's history: `field` is the issue's field (`status`, `assigneeUserId`, …) or
 * one of the related records `attachment` and `link` (before null: added; after null: removed).
 */
export const activityChange = z.object({
  kind: z.literal("change"),
  id: z.string(),
  at: isoDate,
  actor: personRef.nullable(),
  field: z.string(),
  before: z.json(),
  after: z.json(),
});
export const activityComment = z.object({
  kind: z.literal("comment"),
  id: z.string(),
  at: isoDate,
  actor: personRef,
  comment,
});
export const activityItem = z.discriminatedUnion("kind", [activityChange, activityComment]);
export type ActivityItem = z.infer<typeof activityItem>;

// projects.activity.list — history and comments in one feed, oldest first unless `order: "desc"`.
export const listActivityInput = z.object({
  issueId: id,
  order: z.enum(["asc", "desc"]).default("asc"),
  limit: pageSize(100, 50),
  cursor: cursor.optional(),
});
export type ListActivityInput = z.input<typeof listActivityInput>;
export const listActivityOutput = z.object({
  items: z.array(activityItem),
  nextCursor: z.string().nullable(),
});

// ——— Notifications ——————————————————————————————————————————————————————————————————————————

export const notificationKind = z.enum(notificationKinds);
export type NotificationKind = z.infer<typeof notificationKind>;
export const notification = z.object({
  id: z.string(),
  kind: notificationKind,
  summary: z.string(),
  /** The issue it is about, when it still exists. */
  issue: issueSummary.nullable(),
  actor: personRef.nullable(),
  createdAt: isoDate,
  readAt: isoDate.nullable(),
});
export type Notification = z.infer<typeof notification>;

// projects.notifications.list — the caller's own, newest first.
export const listNotificationsInput = z.object({
  unreadOnly: z.boolean().default(false),
  limit: pageSize(100, 30),
  cursor: cursor.optional(),
});
export type ListNotificationsInput = z.input<typeof listNotificationsInput>;
export const listNotificationsOutput = z.object({
  items: z.array(notification),
  nextCursor: z.string().nullable(),
});
export const unreadCountOutput = z.object({ count: z.number().int() });
export const MAX_NOTIFICATIONS_PER_CALL = 200;
export const markReadInput = z.object({ ids: z.array(id).min(1).max(MAX_NOTIFICATIONS_PER_CALL) });
export const markAllReadInput = z.object({
  /** Only notifications created up to this moment (what the person saw); default: now. */
  upTo: isoDate.optional(),
});
export const markReadOutput = z.object({ updated: z.number().int() });

// ——— Catalog ————————————————————————————————————————————————————————————————————————————————

const catalogName = singleLineText({ min: 1, minMessage: "Give it a name.", max: 100 });
const catalogDescription = multiLineText({ max: 2000 });

export const catalogCategory = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  archived: z.boolean(),
  archivedAt: isoDate.nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type CatalogCategory = z.infer<typeof catalogCategory>;

// projects.catalog.categories.*
export const listCategoriesInput = z.object({ includeArchived: z.boolean().default(false) });
export const listCategoriesOutput = z.object({ items: z.array(catalogCategory) });
export const categoryIdInput = z.object({ id });
export const createCategoryInput = z.object({ name: catalogName, description: catalogDescription.nullish() });
export type CreateCategoryInput = z.input<typeof createCategoryInput>;
export const updateCategoryInput = z
  .object({ id, name: catalogName.optional(), description: catalogDescription.nullish() })
  .refine((v) => v.name !== undefined || v.description !== undefined, {
    message: "Change the name or the description.",
    path: ["name"],
  });
export type UpdateCategoryInput = z.input<typeof updateCategoryInput>;

export const extraFieldKinds = ["text", "number", "date", "select"] as const;
export const MAX_EXTRA_FIELDS = 30;

/** One extra field a request type asks for when an issue is filed. */
export const extraField = z
  .object({
    /** Stable key under which the answer is stored in the issue's answers. */
    key: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,39}$/, "Use lower-case letters, digits and _, starting with a letter."),
    label: singleLineText({ min: 1, minMessage: "Give the field a label.", max: 100 }),
    kind: z.enum(extraFieldKinds),
    /** The choices of a `select` field (and only of one). */
    options: z
      .array(singleLineText({ min: 1, max: 100 }))
      .min(1)
      .max(50)
      .optional(),
    required: z.boolean().default(false),
  })
  .superRefine((field, ctx) => {
    if (field.kind === "select" && !field.options) {
      ctx.addIssue({ code: "custom", message: "A select field needs options.", path: ["options"] });
    }
    if (field.kind !== "select" && field.options) {
      ctx.addIssue({ code: "custom", message: "Only select fields have options.", path: ["options"] });
    }
    if (field.options && new Set(field.options).size !== field.options.length) {
      ctx.addIssue({ code: "custom", message: "Options must be different.", path: ["options"] });
    }
  });
export type ExtraField = z.infer<typeof extraField>;
export const extraFields = z
  .array(extraField)
  .max(MAX_EXTRA_FIELDS)
  .superRefine((fields, ctx) => {
    const seen = new Set<string>();
    fields.forEach((field, i) => {
      if (seen.has(field.key)) {
        ctx.addIssue({ code: "custom", message: "Another field has this key.", path: [i, "key"] });
      }
      seen.add(field.key);
    });
  });

/** A project an issue can be filed in: the organization's own (`tenant`) or a shared one of the root scope. */
export const projectRef = z.object({ scope: z.enum(["tenant", "shared"]), id });
export type ProjectRef = z.infer<typeof projectRef>;

export const requestType = z.object({
  id: z.string(),
  categoryId: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  issueType: z.enum(issueTypes),
  /** `name` is null when the project has since gone. */
  defaultProject: z
    .object({ scope: z.enum(["tenant", "shared"]), id: z.string(), name: z.string().nullable() })
    .nullable(),
  defaultAssigneeGroup: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  fields: z.array(extraField),
  archived: z.boolean(),
  archivedAt: isoDate.nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type RequestType = z.infer<typeof requestType>;

// projects.catalog.requestTypes.*
export const listRequestTypesInput = z.object({
  categoryId: id.optional(),
  includeArchived: z.boolean().default(false),
});
export type ListRequestTypesInput = z.input<typeof listRequestTypesInput>;
export const listRequestTypesOutput = z.object({ items: z.array(requestType) });
export const requestTypeIdInput = z.object({ id });
export const createRequestTypeInput = z.object({
  categoryId: id,
  name: catalogName,
  description: catalogDescription.nullish(),
  issueType: z.enum(issueTypes),
  defaultProject: projectRef.nullish(),
  defaultAssigneeGroupId: id.nullish(),
  fields: extraFields.default([]),
});
export type CreateRequestTypeInput = z.input<typeof createRequestTypeInput>;
export const updateRequestTypeInput = z
  .object({
    id,
    categoryId: id.optional(),
    name: catalogName.optional(),
    /** null clears it (also for the defaults below). */
    description: catalogDescription.nullish(),
    issueType: z.enum(issueTypes).optional(),
    defaultProject: projectRef.nullish(),
    defaultAssigneeGroupId: id.nullish(),
    fields: extraFields.optional(),
  })
  .refine((v) => Object.entries(v).some(([key, value]) => key !== "id" && value !== undefined), {
    message: "Change at least one thing.",
    path: ["name"],
  });
export type UpdateRequestTypeInput = z.input<typeof updateRequestTypeInput>;
