import { Hono } from "hono";
import { openControl } from "../data";
import type { AppBindings } from "../http";
import { readJson } from "../http";
import { acceptInvitation, previewInvitation } from "../packages/system/invitations/accept";
import { setSessionCookie, tokenFromHeaders } from "./cookies";

/** Invitation links: preview and accept (as a new or an existing user). */
export const invitationRoutes = new Hono<AppBindings>()
  /** What the link is for; whether an account exists only while the invitation is pending. */
  .get("/invitations/:token", async (c) => {
    const preview = await previewInvitation(openControl(c.env), c.req.param("token"));
    c.header("cache-control", "no-store");
    return c.json(preview);
  })
  /**
   * Accepts: signed in as the invited address, or (no account yet) with `{name, password}` to create one,
   * which also signs in. An existing account that is not signed in answers 409 `sign_in_required`.
   */
  .post("/invitations/:token/accept", async (c) => {
    const outcome = await acceptInvitation(openControl(c.env), {
      token: c.req.param("token"),
      credential: tokenFromHeaders(c.req.raw.headers)?.token ?? null,
      readBody: () => readJson(c),
      ip: c.get("ip"),
      userAgent: c.req.header("user-agent") ?? null,
      requestId: c.get("requestId"),
    });
    if (outcome.session) setSessionCookie(c, outcome.session.token, outcome.session.expiresAt);
    c.header("cache-control", "no-store");
    return c.json(outcome.result);
  });
