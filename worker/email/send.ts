import type { ControlDb } from "../../db/client";
import { emailOutbox } from "../../db/control/schema";
import { mapSettled } from "../../shared/concurrency";
import { newId } from "../../shared/ids";
import type { Env } from "../env";
import { type ProviderResult, postEmail } from "./provider";

export type EmailSettings = Pick<Env, "EMAIL_API_URL" | "EMAIL_API_KEY" | "EMAIL_FROM">;

export interface EmailMessage {
  /** The organization the message concerns; its administrators see it in the outbox. */
  tenantId: string | null;
  /** What the message is, e.g. "invitation". */
  kind: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  /**
   * Values (a link's token) kept out of the stored copy once the message has left Nexus, so the outbox
   * never holds a usable credential for mail a provider delivered. Captured mail keeps them: locally the
   * outbox is how the message is read.
   */
  secrets?: string[];
}

export type EmailStatus = "captured" | "sent" | "failed";

/** What became of one message; the outbox row `outboxId` records the same. */
export interface EmailDelivery {
  outboxId: string;
  status: EmailStatus;
  providerMessageId: string | null;
  error: string | null;
}

export interface SendOptions {
  fetcher?: typeof fetch;
  now?: Date;
}

/** At most this many provider calls in flight for one batch of messages. */
const SEND_CONCURRENCY = 6;
/** Rows per INSERT into the outbox. */
const OUTBOX_CHUNK = 50;
const REDACTED = "[redacted]";

type Mode =
  | { kind: "capture" }
  | { kind: "send"; apiUrl: string; apiKey: string; from: string }
  | { kind: "misconfigured"; error: string };

function modeOf(env: EmailSettings): Mode {
  const apiUrl = env.EMAIL_API_URL?.trim();
  const apiKey = env.EMAIL_API_KEY?.trim();
  if (!apiUrl && !apiKey) return { kind: "capture" };
  if (!apiUrl || !apiKey) {
    return {
      kind: "misconfigured",
      error: "Email is half configured: set both EMAIL_API_URL and EMAIL_API_KEY.",
    };
  }
  const from = env.EMAIL_FROM?.trim();
  if (!from) return { kind: "misconfigured", error: "EMAIL_FROM is not configured, so nothing can be sent." };
  return { kind: "send", apiUrl, apiKey, from };
}

/** True when mail leaves Nexus through the provider; false when it is only captured in the outbox. */
export function emailProviderConfigured(env: EmailSettings): boolean {
  return modeOf(env).kind !== "capture";
}

function redact(value: string, secrets: readonly string[] | undefined): string {
  let out = value;
  for (const secret of secrets ?? []) if (secret) out = out.replaceAll(secret, REDACTED);
  return out;
}

type OutboxRow = typeof emailOutbox.$inferInsert & {
  id: string;
  status: EmailStatus;
  providerMessageId: string | null;
  error: string | null;
};

function outboxRows(
  mode: Mode,
  messages: readonly EmailMessage[],
  results: ProviderResult[] | null,
  now: Date,
): OutboxRow[] {
  return messages.map((message, index) => {
    const result = results?.[index];
    const status: EmailStatus =
      mode.kind === "capture" ? "captured" : mode.kind === "send" && result?.ok ? "sent" : "failed";
    const keep = status === "captured" ? undefined : message.secrets;
    return {
      id: newId(),
      tenantId: message.tenantId,
      to: message.to,
      subject: message.subject,
      text: redact(message.text, keep),
      html: message.html === undefined ? null : redact(message.html, keep),
      kind: message.kind,
      status,
      providerMessageId: result?.ok ? result.id : null,
      error: mode.kind === "misconfigured" ? mode.error : result && !result.ok ? result.error : null,
      createdAt: now,
    };
  });
}

/**
 * When no provider is configured (local development and tests), capturing mail is nothing but a write to
 * `email_outbox`: these are its rows, for the caller to insert in the same batch as the change the mail is
 * about, so both are written or neither is. Null when mail leaves through a provider (or cannot, being half
 * configured): then send it with `sendEmails` once the change is committed, never before.
 */
export function capturedOutboxRows(
  env: EmailSettings,
  messages: readonly EmailMessage[],
  now = new Date(),
): OutboxRow[] | null {
  const mode = modeOf(env);
  return mode.kind === "capture" ? outboxRows(mode, messages, null, now) : null;
}

/**
 * Sends messages through the configured provider, or only captures them when none is configured (local
 * development and tests), and records every one in `email_outbox` with what became of it: `captured`,
 * `sent` with the provider's id, or `failed` with the reason. Provider failures never throw; the caller
 * gets a delivery result per message, in order.
 */
export async function sendEmails(
  env: EmailSettings,
  control: ControlDb,
  messages: readonly EmailMessage[],
  options: SendOptions = {},
): Promise<EmailDelivery[]> {
  if (messages.length === 0) return [];
  const mode = modeOf(env);
  const now = options.now ?? new Date();
  let results: ProviderResult[] | null = null;
  if (mode.kind === "send") {
    const settled = await mapSettled(messages, SEND_CONCURRENCY, (message) =>
      postEmail(
        { apiUrl: mode.apiUrl, apiKey: mode.apiKey },
        {
          from: mode.from,
          to: [message.to],
          subject: message.subject,
          text: message.text,
          html: message.html,
        },
        options.fetcher,
      ),
    );
    results = settled.map((r) =>
      r.status === "fulfilled" ? r.value : { ok: false, status: null, error: String(r.reason).slice(0, 500) },
    );
  }
  const rows = outboxRows(mode, messages, results, now);
  for (let i = 0; i < rows.length; i += OUTBOX_CHUNK) {
    await control.insert(emailOutbox).values(rows.slice(i, i + OUTBOX_CHUNK));
  }
  return rows.map((row) => ({
    outboxId: row.id,
    status: row.status,
    providerMessageId: row.providerMessageId,
    error: row.error,
  }));
}

/** One message: see `sendEmails`. */
export async function sendEmail(
  env: EmailSettings,
  control: ControlDb,
  message: EmailMessage,
  options: SendOptions = {},
): Promise<EmailDelivery> {
  const [delivery] = await sendEmails(env, control, [message], options);
  return delivery!;
}
