import { Hono } from "hono";
import type { AppBindings } from "../http";

/** Invitation links: preview and accept (as a new or an existing user). */
export const invitationRoutes = new Hono<AppBindings>();
