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

async function post(path: string, body?: unknown): Promise<Response> {
  return fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body ?? {}),
  });
}

/** POST /auth/sign-in: sets the session cookie, or throws an HttpError with the server's message. */
export async function signIn(email: string, password: string): Promise<SignedInUser> {
  const response = await post("/auth/sign-in", { email, password });
  if (!response.ok) throw await httpErrorFrom(response);
  const body = (await response.json()) as { user: SignedInUser };
  state = "active";
  return body.user;
}

/** POST /auth/sign-out: ends the session on the server and clears the cookie. */
export async function signOut(): Promise<void> {
  const response = await post("/auth/sign-out");
  state = "unknown";
  if (!response.ok && response.status !== 401) throw await httpErrorFrom(response);
}
