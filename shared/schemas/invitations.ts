import { z } from "zod";
import { roles } from "../permissions";
import { newPassword } from "./credentials";
import { identifier, multiLineText, opaqueText, searchText, singleLineText } from "./text";

/** Lower-cased, trimmed email address: how Nexus stores and compares addresses. */
export const emailAddress = z.string().trim().toLowerCase().pipe(z.email().max(254));

const id = identifier();
const isoDate = z.iso.datetime();
const cursor = opaqueText(500);

export const invitationStatus = z.enum(["pending", "accepted", "revoked", "expired"]);
export type InvitationStatus = z.infer<typeof invitationStatus>;

/** An invitation as administrators see it (never its token: that exists only in the email). */
export const invitation = z.object({
  id: z.string(),
  email: z.string(),
  role: z.enum(roles),
  /** `expired` as soon as `expiresAt` has passed, even before the sweep has marked it. */
  status: invitationStatus,
  expiresAt: isoDate,
  sendCount: z.number().int(),
  lastSentAt: isoDate.nullable(),
  acceptedAt: isoDate.nullable(),
  createdAt: isoDate,
  invitedBy: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
});
export type Invitation = z.infer<typeof invitation>;

/** What became of the email a procedure sent: `captured` (kept in the outbox only), `sent`, or `failed`. */
export const emailDelivery = z.object({
  outboxId: z.string(),
  status: z.enum(["captured", "sent", "failed"]),
  error: z.string().nullable(),
});
export type EmailDeliveryOutput = z.infer<typeof emailDelivery>;

// system.invitations.list
export const listInvitationsInput = z.object({
  status: invitationStatus.optional(),
  /** Part of the invited address. */
  search: searchText({ max: 100 }).optional(),
  limit: z.number().int().min(1).max(100).default(50),
  cursor: cursor.optional(),
});
export type ListInvitationsInput = z.input<typeof listInvitationsInput>;
export const listInvitationsOutput = z.object({
  items: z.array(invitation),
  nextCursor: z.string().nullable(),
});

// system.invitations.create
export const createInvitationInput = z.object({
  email: emailAddress,
  /** Defaults to the organization's default role. Only an owner may invite an owner. */
  role: z.enum(roles).optional(),
});
export type CreateInvitationInput = z.input<typeof createInvitationInput>;
export const createInvitationOutput = z.object({
  invitation,
  /** False when a pending invitation for the address already existed and is returned unchanged (no email). */
  created: z.boolean(),
  /** The invitation email, when one was sent by this call. */
  delivery: emailDelivery.nullable(),
});

// system.invitations.resend / revoke
export const invitationIdInput = z.object({ id });
export const resendInvitationOutput = z.object({ invitation, delivery: emailDelivery });
export const revokeInvitationOutput = z.object({ invitation });

// system.invitations.bulkCreate
export const MAX_BULK_CSV_BYTES = 1024 * 1024;
export const MAX_BULK_ROWS = 500;
export const bulkCreateInvitationsInput = z.object({
  /** CSV text with a header row: `email` and optionally `role` (empty → the organization's default role). */
  csv: multiLineText({ min: 1, max: MAX_BULK_CSV_BYTES, trim: false }).refine(
    (s) => new TextEncoder().encode(s).length <= MAX_BULK_CSV_BYTES,
    "The CSV must be at most 1 MB",
  ),
});
export type BulkCreateInvitationsInput = z.input<typeof bulkCreateInvitationsInput>;
export const bulkRowStatus = z.enum(["invited", "already_invited", "already_member", "error"]);
export const bulkRowResult = z.object({
  /** The row as a spreadsheet numbers it: the header is row 1, the first address row 2. */
  row: z.number().int(),
  email: z.string(),
  status: bulkRowStatus,
  message: z.string(),
});
export type BulkRowResult = z.infer<typeof bulkRowResult>;
export const bulkCreateInvitationsOutput = z.object({
  results: z.array(bulkRowResult),
  counts: z.object({
    invited: z.number().int(),
    already_invited: z.number().int(),
    already_member: z.number().int(),
    error: z.number().int(),
  }),
});

// GET /auth/invitations/:token
export const invitationPreview = z.object({
  organizationName: z.string(),
  email: z.string(),
  role: z.enum(roles),
  /** Accepted and revoked invitations (and unknown tokens) answer 404 instead. */
  status: z.enum(["pending", "expired"]),
  expiresAt: isoDate,
  /** Whether an account with the invited address exists (sign in, or create one); null unless pending. */
  accountExists: z.boolean().nullable(),
});
export type InvitationPreview = z.infer<typeof invitationPreview>;

// POST /auth/invitations/:token/accept
/** Body when accepting without an account: the account to create. Signed-in callers send `{}`. */
export const acceptInvitationInput = z.object({
  name: singleLineText({ min: 1, max: 120 }),
  /** At least 12 characters; the server also refuses common passwords. */
  password: newPassword,
});
export type AcceptInvitationInput = z.input<typeof acceptInvitationInput>;
export const acceptInvitationOutput = z.object({
  accepted: z.literal(true),
  organization: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
  role: z.enum(roles),
  user: z.object({ id: z.string(), email: z.string(), name: z.string() }),
  /** True when the account was created by this call (a session cookie was set). */
  accountCreated: z.boolean(),
});
export type AcceptInvitationOutput = z.infer<typeof acceptInvitationOutput>;

// system.outbox.list
export const outboxStatus = z.enum(["captured", "sent", "failed"]);
export const listOutboxInput = z.object({
  status: outboxStatus.optional(),
  /** e.g. "invitation" */
  kind: singleLineText({ max: 50 }).optional(),
  limit: z.number().int().min(1).max(100).default(25),
  cursor: cursor.optional(),
});
export type ListOutboxInput = z.input<typeof listOutboxInput>;
export const outboxMessage = z.object({
  id: z.string(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  kind: z.string(),
  status: outboxStatus,
  providerMessageId: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: isoDate,
});
export type OutboxMessage = z.infer<typeof outboxMessage>;
export const listOutboxOutput = z.object({
  items: z.array(outboxMessage),
  nextCursor: z.string().nullable(),
});
