import { Hono } from "hono";
import { verifyEmailInput, verifyEmailOutput } from "../../shared/schemas/credentials";
import { openControl } from "../data";
import type { AppBindings } from "../http";
import { readJson } from "../http";
import { verifyEmail } from "../packages/system/profile/email-verification";
import { consumeIpRateLimit, limits } from "./rate-limit";

/**
 * `POST /auth/verify-email` `{ token }` → `{ email, status }`: the page behind the link in the verification
 * email sends the token here (it travels in the link's fragment, so it is never in a request line or log).
 * No session needed: the signed token is the proof. Refusals are typed by `reason`
 * (`email_verification_invalid`, `_expired`, `_superseded`); limited per IP (`limits.emailVerifyPerIp`).
 */
export const emailVerificationRoutes = new Hono<AppBindings>().post("/verify-email", async (c) => {
  const input = verifyEmailInput.parse(await readJson(c));
  const control = openControl(c.env);
  await consumeIpRateLimit(control, limits.emailVerifyPerIp, c.get("ip"));
  const result = await verifyEmail(control, {
    token: input.token,
    secret: c.env.ENCRYPTION_KEY,
    ip: c.get("ip"),
    requestId: c.get("requestId"),
  });
  c.header("cache-control", "no-store");
  return c.json(verifyEmailOutput.parse(result));
});
