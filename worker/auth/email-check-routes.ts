import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { users } from "../../db/control/schema";
import { openControl } from "../data";
import type { AppBindings } from "../http";
import { readJson } from "../http";
import { consumeIpRateLimit, limits } from "./rate-limit";

export const emailCheckInput = z.object({ email: z.email().max(254) });
export const emailCheckOutput = z.object({ inUse: z.boolean() });

/**
 * `POST /auth/email-check` `{ email }` → `{ inUse }`: tells someone about to register through Google or
 * Microsoft that the address already has an account. The one answer in Nexus that says whether an account
 * exists, so it is rate limited per IP (`limits.emailCheckPerIp`, 429 with Retry-After) and logged.
 */
export const emailCheckRoutes = new Hono<AppBindings>().post("/email-check", async (c) => {
  const input = emailCheckInput.parse(await readJson(c));
  const email = input.email.trim().toLowerCase();
  const control = openControl(c.env);
  await consumeIpRateLimit(control, limits.emailCheckPerIp, c.get("ip"));
  const [row] = await control.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
  const inUse = row !== undefined;
  c.get("log").info("email check", { domain: email.slice(email.lastIndexOf("@") + 1), inUse });
  c.header("cache-control", "no-store");
  return c.json(emailCheckOutput.parse({ inUse }));
});
