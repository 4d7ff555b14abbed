import { Hono } from "hono";
import type { AppBindings } from "../http";
import { emailCheckRoutes } from "./email-check-routes";
import { emailVerificationRoutes } from "./email-verification-routes";
import { invitationRoutes } from "./invitation-routes";
import { oauthRoutes } from "./oauth-routes";
import { registerRoutes } from "./register-routes";
import { authRoutes } from "./routes";
import { tokenRoutes } from "./token-routes";

/**
 * Everything under /auth: browser sign-in, registration, SSO, invitations, the token endpoint, and email
 * verification links.
 */
export const auth = new Hono<AppBindings>()
  .route("/", authRoutes)
  .route("/", registerRoutes)
  .route("/", oauthRoutes)
  .route("/", invitationRoutes)
  .route("/", tokenRoutes)
  .route("/", emailCheckRoutes)
  .route("/", emailVerificationRoutes);
