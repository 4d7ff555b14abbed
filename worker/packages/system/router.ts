import { z } from "zod";
import { type Permission, rolePermissions, roles } from "../../../shared/permissions";
import { jobRunOutput, meOutput, readiness, tenantSummary } from "../../../shared/schemas/system";
import { dataPlaneOf } from "../../data";
import { authedProcedure, requirePermission, router, tenantProcedure } from "../../trpc/init";
import { accountsRouter } from "./accounts/router";
import { auditRouter } from "./audit/router";
import { groupsRouter } from "./groups/router";
import { checkReadiness } from "./health";
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
    /** Readiness of the control database and of the caller's organizations' databases. */
    status: authedProcedure
      .input(z.void())
      .output(readiness)
      .query(async ({ ctx }) => {
        const me = await loadMe(ctx.control, ctx.user);
        return checkReadiness(dataPlaneOf(ctx.env), new Set(me.memberships.map((m) => m.tenant.id)));
      }),
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
