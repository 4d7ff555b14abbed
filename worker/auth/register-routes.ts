import { Hono } from "hono";
import type { AppBindings } from "../http";

/** Organization registration (POST /auth/register) and the address check before SSO (POST /auth/email-check). */
export const registerRoutes = new Hono<AppBindings>();
