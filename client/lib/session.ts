import { httpErrorFrom } from "./errors";

/**
 * What the app knows about the session cookie (HttpOnly, so not readable here):
 * - unknown: nothing yet, or signed out;
 * - active: the server accepted it during this visit;
 * - expired: it was active and the server then refused it.
 */
export type SessionState = "unknown" | "active" | "expired";

let state: SessionState = "unknown";

export function sessionState(): SessionState {
  return state;
}

export function setSessionState(next: SessionState): void {
  state = next;
}

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
}

/** The password step's answer: signed in, or a second factor is owed (a pending cookie was set). */
export type SignInOutcome =
  | { secondFactorRequired: true }
  | { secondFactorRequired: false; user: SignedInUser };

/** A JSON POST to a plain route of the Worker (same origin, so the Origin check passes). */
export async function postJson(path: string, body?: unknown): Promise<Response> {
  return fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body ?? {}),
  });
}

/** POST /auth/sign-in: sets the session cookie (or a pending one), or throws an HttpError with the server's message. */
export async function signIn(email: string, password: string): Promise<SignInOutcome> {
  const response = await postJson("/auth/sign-in", { email, password });
  if (!response.ok) throw await httpErrorFrom(response);
  const body = (await response.json()) as SignInOutcome;
  if (!body.secondFactorRequired) state = "active";
  return body;
}

/** POST /auth/sign-in/second-factor: finishes a sign-in with a code from the app or a recovery code. */
export async function signInSecondFactor(
  proof: { code: string } | { recoveryCode: string },
): Promise<SignedInUser> {
  const response = await postJson("/auth/sign-in/second-factor", proof);
  if (!response.ok) throw await httpErrorFrom(response);
  const body = (await response.json()) as { user: SignedInUser };
  state = "active";
  return body.user;
}

/** POST /auth/sign-out: ends the session on the server and clears the cookie. */
export async function signOut(): Promise<void> {
  const response = await postJson("/auth/sign-out");
  state = "unknown";
  if (!response.ok && response.status !== 401) throw await httpErrorFrom(response);
}

/**
 * A path inside Nexus to return to after signing in: only same-origin paths (`/riverton/…`), never `//host`
 * or a full URL, so a crafted link cannot send someone elsewhere.
 */
export function safeNext(value: string | undefined | null): string | undefined {
  if (!value?.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return undefined;
  if (value.startsWith("/sign-in") || value.startsWith("/register")) return undefined;
  return value.length <= 2000 ? value : undefined;
}
