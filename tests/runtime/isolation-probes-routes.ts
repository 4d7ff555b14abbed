import { TENANT_HEADER } from "../../shared/transport";
import { PASSWORD } from "./credentials-support";
import type { World } from "./isolation-world";

/**
 * One request B sends to a Hono route outside tRPC and REST. B's credentials, organization (B's own),
 * address and Nexus's Origin are sent unless `headers` says otherwise (null leaves a header out).
 */
export interface RouteRequest {
  /** The path with A's ids in it, and the query. */
  path: string;
  headers?: Record<string, string | null>;
  json?: unknown;
  form?: Record<string, string>;
  /** Raw bytes (an upload). */
  body?: Uint8Array<ArrayBuffer>;
}

/**
 * One probe per route outside tRPC and REST (key: `METHOD /path` as Hono lists it): what B sends to reach
 * A's things. The isolation routes suite fails for a route without a probe, and for a probe whose requests
 * name none of A's things without saying why (`noIds`).
 */
export interface RouteProbe {
  /** B's requests: several when B can name A in more than one way (its own organization, then A's). */
  send: (world: World) => RouteRequest[];
  /** The statuses that show the route ran for B and refused it, or answered with B's own. */
  expect: number[];
  /** Why the route takes nothing by which B could name A's things. */
  noIds?: string;
}

export const routeProbes: Record<string, RouteProbe> = {
  "GET /healthz": {
    send: () => [{ path: "/healthz" }],
    expect: [200],
    noIds: "says that the Worker runs; takes nothing",
  },
  "GET /readyz": {
    send: () => [{ path: "/readyz" }],
    expect: [200, 503],
    noIds: "says whether the databases answer; takes nothing",
  },

  // Browser sign-in: B tries A's address; B's own half-finished sign-in offers A's recovery code; B signs
  // out "with" A's public session reference. A's account, codes and session stay as they were.
  "POST /auth/sign-in": {
    send: (w) => [{ path: "/auth/sign-in", json: { email: w.a.user.email, password: PASSWORD } }],
    expect: [401],
  },
  "POST /auth/sign-in/second-factor": {
    send: (w) => [
      {
        path: "/auth/sign-in/second-factor",
        headers: { authorization: `Bearer ${w.b.pending.token}` },
        json: { recoveryCode: w.a.recoveryCodes[0] },
      },
    ],
    expect: [400],
  },
  "POST /auth/sign-out": {
    send: (w) => [{ path: "/auth/sign-out", headers: { authorization: `Bearer ${w.a.sessionRef}` } }],
    expect: [200],
  },
  "POST /auth/register": {
    send: (w) => [
      {
        path: "/auth/register",
        json: {
          organizationName: "Isolation probe district",
          slug: w.a.tenant.slug,
          name: "Isolation Probe",
          email: w.a.user.email,
          password: PASSWORD,
        },
      },
    ],
    expect: [409],
  },

  // Sign-in with Google and Microsoft.
  "GET /auth/providers": {
    send: () => [{ path: "/auth/providers" }],
    expect: [200],
    noIds: "which providers are configured: the same answer for everyone",
  },
  "GET /auth/oauth/:provider/start": {
    send: () => [{ path: "/auth/oauth/google/start?intent=signin" }],
    expect: [302],
    noIds: "starts B's own flow with a provider, which says who signs in; names no organization",
  },
  "GET /auth/oauth/:provider/callback": {
    send: () => [{ path: "/auth/oauth/google/callback?code=isolation&state=isolation" }],
    expect: [302],
    noIds: "the provider's answer to B's own flow (its cookie and state); names no organization",
  },

  // Invitation links: B names A's invitation by its id (B never sees A's link).
  "GET /auth/invitations/:token": {
    send: (w) => [{ path: `/auth/invitations/${w.a.invitation.id}` }],
    expect: [404],
  },
  "POST /auth/invitations/:token/accept": {
    send: (w) => [{ path: `/auth/invitations/${w.a.invitation.id}/accept`, json: {} }],
    expect: [404],
  },

  // Apps: B asks for a token for A's address.
  "POST /auth/token": {
    send: (w) => [
      {
        path: "/auth/token",
        headers: { authorization: null },
        form: { grant_type: "password", username: w.a.user.email, password: PASSWORD },
      },
    ],
    expect: [400],
  },
  // Says whether A's address has an account: the one answer that does, by design (rate limited).
  "POST /auth/email-check": {
    send: (w) => [{ path: "/auth/email-check", json: { email: w.a.user.email } }],
    expect: [200],
  },
  "POST /auth/verify-email": {
    send: (w) => [{ path: "/auth/verify-email", json: { token: w.a.user.id } }],
    expect: [400],
  },

  // The benchmark's baselines live in the bench Worker alone: here B's read of A's database is not found.
  "ALL /__bench/*": {
    send: (w) => [{ path: `/__bench/schools/${w.a.tenant.databaseName}` }],
    expect: [404],
  },

  // Attachments' bytes: B names A's issue and attachment, in its own organization and in A's.
  "POST /api/v1/attachments": {
    send: (w) =>
      [w.b.tenant.slug, w.a.tenant.slug].map((tenant) => ({
        path: `/api/v1/attachments?issueId=${w.issueExtras.issue.id}`,
        headers: {
          [TENANT_HEADER]: tenant,
          "x-filename": "isolation-probe.txt",
          "content-type": "text/plain",
        },
        body: new TextEncoder().encode("Isolation probe upload\n"),
      })),
    expect: [404],
  },
  "GET /api/v1/attachments/:id": {
    send: (w) => [
      { path: `/api/v1/attachments/${w.issueExtras.attachment.id}` },
      {
        path: `/api/v1/attachments/${w.issueExtras.attachment.id}`,
        headers: { [TENANT_HEADER]: w.a.tenant.slug },
      },
      {
        path: `/api/v1/attachments/${w.issueExtras.attachment.id}?tenant=${w.a.tenant.slug}`,
        headers: { [TENANT_HEADER]: null },
      },
    ],
    expect: [404],
  },

  "GET /api/v1/openapi.json": {
    send: () => [{ path: "/api/v1/openapi.json" }],
    expect: [200],
    noIds: "the document of the REST routes: the same for everyone",
  },
  // Any other path under /api: B guesses a route around A's issue.
  "ALL /api/*": {
    send: (w) => [{ path: `/api/v1/projects/issues/${w.projects.issue.id}/history` }],
    expect: [404],
  },
};
