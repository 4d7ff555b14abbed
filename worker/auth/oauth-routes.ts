import { Hono } from "hono";
import type { AppBindings } from "../http";

/** Sign-in with Google and Microsoft (OIDC): /auth/oauth/:provider/start and /callback. */
export const oauthRoutes = new Hono<AppBindings>();
