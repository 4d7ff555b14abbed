/**
 * A client for a Resend-style HTTP email API: `POST {apiUrl}/emails` with a bearer key and a JSON body
 * `{from, to, subject, text, html}`; success answers `{id}`, failure a JSON error with status ≥ 400
 * (Resend: `{statusCode, name, message}`).
 */
export interface ProviderConfig {
  apiUrl: string;
  apiKey: string;
}

export interface OutgoingEmail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html?: string;
}

export type ProviderResult = { ok: true; id: string } | { ok: false; status: number | null; error: string };

/** How long one call may take before it counts as failed. */
export const PROVIDER_TIMEOUT_MS = 10_000;

function describeFailure(status: number, body: unknown): string {
  if (body && typeof body === "object") {
    const { name, message, error } = body as Record<string, unknown>;
    const text = [name, message ?? error].filter((part) => typeof part === "string" && part).join(": ");
    if (text) return `${status} ${text}`.slice(0, 500);
  }
  return `${status} The email provider refused the message.`;
}

/** Hands one message to the provider. Never throws: every outcome is a result the caller records. */
export async function postEmail(
  config: ProviderConfig,
  email: OutgoingEmail,
  fetcher: typeof fetch = fetch,
  timeoutMs = PROVIDER_TIMEOUT_MS,
): Promise<ProviderResult> {
  const url = `${config.apiUrl.replace(/\/+$/, "")}/emails`;
  let response: Response;
  try {
    response = await fetcher(url, {
      method: "POST",
      headers: { authorization: `Bearer ${config.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({
        from: email.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        ...(email.html ? { html: email.html } : {}),
      }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      status: null,
      error: `The email provider could not be reached: ${reason}`.slice(0, 500),
    };
  }
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // a body that is not JSON is described by its status alone
  }
  if (!response.ok)
    return { ok: false, status: response.status, error: describeFailure(response.status, body) };
  const id = body && typeof body === "object" ? (body as { id?: unknown }).id : undefined;
  if (typeof id !== "string" || !id) {
    return { ok: false, status: response.status, error: "The email provider answered without a message id." };
  }
  return { ok: true, id };
}
