import { Hono } from "hono";
import type { AppBindings } from "../http";

/** POST /auth/token for native and programmatic clients (OAuth 2.0 shape). */
export const tokenRoutes = new Hono<AppBindings>();
