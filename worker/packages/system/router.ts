import { z } from "zod";
import { type Permission, rolePermissions, roles } from "../../../shared/permissions";
import {
  jobRunOutput,
  meOutput,
  readiness,
  readinessSummary,
  tenantSummary,
} from "../../../shared/schemas/system";
import { dataPlaneOf } from "../../data";
import {
  authedProcedure,
  requirePermission,
  rootAdminProcedure,
  router,
  tenantProcedure,
} from "../../trpc/init";
import { accountsRouter } from "./accounts/router";
import { auditRouter } from "./audit/router";
import { groupsRouter } from "./groups/router";
import { checkReadiness, summarizeReadiness } from "./health";
import { invitationsRouter } from "./invitations/router";
import { loadMe } from "./me";
import { outboxRouter } from "./outbox/router";
import { loadOverview } from "./overview";
import { profileRouter } from "./profile/router";
import { searchRouter } from "./search/router";
import { settingsRouter } from "./settings/router";
import { tokensRouter } from "./tokens/router";
import { usersRouter } from "./users/router";

export const systemRouter = router({
  accounts: accountsRouter,
  users: usersRouter,
  invitations: invitationsRouter,
  groups: groupsRouter,
  audit: auditRouter,
  profile: profileRouter,
  tokens: tokensRouter,
  settings: settingsRouter,
  outbox: outboxRouter,
  search: searchRouter,

  /** The signed-in user and their organizations. */
  me: authedProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/system/me",
        tag: "System: Me",
        summary: "The caller and their organizations",
      },
    })
    .input(z.void())
    .output(meOutput)
    .query(({ ctx }) => loadMe(ctx.control, ctx.user)),

  health: router({
    /** Readiness as anyone may see it (as `GET /readyz`): ready or not, and counts of databases. */
    status: authedProcedure
      .input(z.void())
      .output(readinessSummary)
      .query(async ({ ctx }) => summarizeReadiness(await checkReadiness(dataPlaneOf(ctx.env), ctx.env))),

    /**
     * Operators (administrators of the Global organization, acting in it): every database, by organization,
     * with pending migrations, latency and the error.
     */
    detail: rootAdminProcedure
      .input(z.void())
      .output(readiness)
      .query(({ ctx }) => checkReadiness(dataPlaneOf(ctx.env), ctx.env)),
  }),

  organization: router({
    /** The organization the request names, with the caller's role and permissions there. */
    current: tenantProcedure
      .input(z.void())
      .output(z.object({ tenant: tenantSummary, role: z.enum(roles), permissions: z.array(z.string()) }))
      .query(({ ctx }) => ({
        tenant: {
          id: ctx.tenant.id,
          slug: ctx.tenant.slug,
          name: ctx.tenant.name,
          kind: ctx.tenant.kind,
          status: ctx.tenant.status,
        },
        role: ctx.role,
        permissions: [...rolePermissions[ctx.role]] as Permission[],
      })),

    /** Headline counts and recent job runs for the organization's home page. */
    overview: requirePermission("system.read")
      .input(z.void())
      .output(
        z.object({
          schools: z.object({ open: z.number(), closed: z.number() }),
          recentJobRuns: z.array(jobRunOutput),
        }),
      )
      .query(({ ctx }) => loadOverview(ctx.db)),
  }),
});
