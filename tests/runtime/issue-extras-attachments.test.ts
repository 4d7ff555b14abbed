import { SELF } from "cloudflare:test";
import { and, eq, sql } from "drizzle-orm";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { auditLog, issueAttachments, issueHistory } from "../../db/tenant/schema";
import { MAX_ATTACHMENT_BYTES } from "../../shared/schemas/issue-extras";
import { TENANT_HEADER } from "../../shared/transport";
import { openTenant } from "../../worker/data";
import { type AppBindings, requestContext } from "../../worker/http";
import { attachmentsHttp } from "../../worker/packages/projects/attachments/http";
import { expectConsoleError } from "../support/console-guard";
import { insertIssue } from "../support/issues";
import { member, ORIGIN, testEnv, trpcQuery } from "./support";

// biome-ignore lint/suspicious/noExplicitAny: assertions read whatever shape each answer has
type Json = any;
type Member = Awaited<ReturnType<typeof member>>;

/** The attachments' HTTP routes mounted as the Worker mounts them (until worker/app.ts does). */
const app = new Hono<AppBindings>().use("*", requestContext).route("/api/v1/attachments", attachmentsHttp);
const fetchApp = (request: Request) => app.fetch(request, testEnv);

const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
]);
const PDF = new TextEncoder().encode("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n");

function bearer(who: Member, tenant = who.tenant.slug): Record<string, string> {
  return { authorization: `Bearer ${who.token}`, [TENANT_HEADER]: tenant };
}

function uploadMultipart(
  who: Member,
  issueId: string,
  file: Blob,
  filename: string,
  headers: Record<string, string> = bearer(who),
) {
  const form = new FormData();
  form.append("file", file, filename);
  return fetchApp(
    new Request(`${ORIGIN}/api/v1/attachments?issueId=${issueId}`, { method: "POST", headers, body: form }),
  );
}

function uploadRaw(
  who: Member,
  issueId: string,
  body: BodyInit,
  filename: string,
  extra: Record<string, string> = {},
) {
  return fetchApp(
    new Request(`${ORIGIN}/api/v1/attachments?issueId=${issueId}`, {
      method: "POST",
      headers: { ...bearer(who), "x-filename": encodeURIComponent(filename), ...extra },
      body,
    }),
  );
}

function download(who: Member, id: string, headers: Record<string, string> = bearer(who), query = "") {
  return fetchApp(new Request(`${ORIGIN}/api/v1/attachments/${id}${query}`, { headers }));
}

async function storedFor(who: Member, issueId: string) {
  const objects = await testEnv.ATTACHMENTS.list({ prefix: `${who.tenant.id}/${issueId}/` });
  const rows = await openTenant(testEnv, who.tenant)
    .select()
    .from(issueAttachments)
    .where(eq(issueAttachments.issueId, issueId));
  return { objects: objects.objects.map((o) => o.key), rows };
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>) {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

describe("attachments", () => {
  it("are uploaded as multipart, stored in R2 under tenant/issue/id with their SHA-256, and listed", async () => {
    const agent = await member("member");
    const db = openTenant(testEnv, agent.tenant);
    const issue = await insertIssue(db);
    const response = await uploadMultipart(
      agent,
      issue.id,
      new Blob([PNG], { type: "text/html" }),
      "screen.png",
    );
    const body = (await response.json()) as Json;
    expect(response.status, JSON.stringify(body)).toBe(201);
    expect(body).toMatchObject({
      issueId: issue.id,
      filename: "screen.png",
      // The sniffed type, never what the browser claimed.
      contentType: "image/png",
      size: PNG.byteLength,
      sha256: await sha256Hex(PNG),
      uploadedBy: { id: agent.user.id },
      downloadUrl: `/api/v1/attachments/${body.id}`,
    });

    const key = `${agent.tenant.id}/${issue.id}/${body.id}`;
    const object = await testEnv.ATTACHMENTS.get(key);
    expect(new Uint8Array(await object!.arrayBuffer())).toEqual(PNG);
    const [row] = await db.select().from(issueAttachments).where(eq(issueAttachments.id, body.id));
    expect(row).toMatchObject({ r2Key: key, uploadedById: agent.user.id, deletedAt: null });
    const history = await db.select().from(issueHistory).where(eq(issueHistory.issueId, issue.id));
    expect(history).toEqual([
      expect.objectContaining({
        field: "attachment",
        before: null,
        after: expect.objectContaining({ id: body.id }),
      }),
    ]);
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.targetId, body.id));
    expect(audit).toMatchObject({ action: "issue_attachment.uploaded", actorId: agent.user.id });
    expect(audit!.requestId).toBeTruthy();

    const listed = await trpcQuery(
      "projects.attachments.list",
      { issueId: issue.id },
      { token: agent.token, tenant: agent.tenant.slug },
    );
    expect(listed.status).toBe(200);
    expect(listed.body.result.data.items).toEqual([body]);
  });

  it("are downloaded with their stored type, as attachments, never sniffed", async () => {
    const agent = await member("viewer");
    const uploader = await member("member");
    const db = openTenant(testEnv, uploader.tenant);
    const issue = await insertIssue(db);
    const bytes = new TextEncoder().encode("room,seats\n101,30\n102,28\n");
    const uploaded = (await (await uploadRaw(uploader, issue.id, bytes, "Raumplan März.csv")).json()) as Json;
    expect(uploaded).toMatchObject({ filename: "Raumplan März.csv", contentType: "text/csv" });

    const response = await download(uploader, uploaded.id);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="Raumplan M_rz.csv"; filename*=UTF-8''Raumplan%20M%C3%A4rz.csv`,
    );
    expect(response.headers.get("content-length")).toBe(String(bytes.byteLength));
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);

    // A browser link: the session cookie and the organization in the query string.
    const viaLink = await download(
      uploader,
      uploaded.id,
      { cookie: `nexus_session=${uploader.token}` },
      `?tenant=${uploader.tenant.slug}`,
    );
    expect(viaLink.status).toBe(200);
    await viaLink.arrayBuffer();
    // Someone from another organization (here a viewer of their own) gets nothing.
    const stranger = await download(agent, uploaded.id);
    expect(stranger.status).toBe(404);
    const strangerNamingTheirs = await download(agent, uploaded.id, bearer(agent, uploader.tenant.slug));
    expect(strangerNamingTheirs.status).toBe(404);
    expect(await strangerNamingTheirs.text()).not.toContain("Raumplan");
    expect((await download(agent, uploaded.id, {})).status).toBe(401);
  });

  it("larger than 25 MB are refused with 413 and nothing is stored, however the size is announced", async () => {
    const agent = await member("member");
    const issue = await insertIssue(openTenant(testEnv, agent.tenant));
    const big = new Uint8Array(MAX_ATTACHMENT_BYTES + 1);
    big.set(PDF);

    const declared = await uploadRaw(agent, issue.id, big, "scan.pdf");
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as Json).error).toMatchObject({
      code: "PAYLOAD_TOO_LARGE",
      fieldErrors: { file: expect.any(Array) },
    });

    // Streamed without a length: counted while read, stopped at the limit.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < big.byteLength; offset += 1024 * 1024) {
          controller.enqueue(big.slice(offset, offset + 1024 * 1024));
        }
        controller.close();
      },
    });
    const streamed = await fetchApp(
      new Request(`${ORIGIN}/api/v1/attachments?issueId=${issue.id}`, {
        method: "POST",
        headers: { ...bearer(agent), "x-filename": "scan.pdf" },
        body: stream,
        // @ts-expect-error: workerd's RequestInit takes duplex for streamed bodies
        duplex: "half",
      }),
    );
    expect(streamed.status).toBe(413);

    const multipart = await uploadMultipart(agent, issue.id, new Blob([big]), "scan.pdf");
    expect(multipart.status).toBe(413);

    expect(await storedFor(agent, issue.id)).toEqual({ objects: [], rows: [] });
  });

  it("of a disallowed type, or whose content does not match the extension, are refused with 400 and nothing is stored", async () => {
    const agent = await member("member");
    const db = openTenant(testEnv, agent.tenant);
    const issue = await insertIssue(db);
    const cases: [string, Uint8Array<ArrayBuffer>, string][] = [
      ["setup.exe", new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]), "attachment_type_not_allowed"],
      ["page.html", new TextEncoder().encode("<script>alert(1)</script>"), "attachment_type_not_allowed"],
      ["no-extension", PNG, "attachment_type_not_allowed"],
      ["photo.pdf", PNG, "attachment_content_mismatch"],
      ["notes.txt", new Uint8Array([0x68, 0x69, 0x00, 0x01]), "attachment_content_mismatch"],
      ["report.docx", PDF, "attachment_content_mismatch"],
      ["empty.txt", new Uint8Array(0), "attachment_empty"],
    ];
    for (const [filename, bytes, reason] of cases) {
      const response = await uploadMultipart(agent, issue.id, new Blob([bytes]), filename);
      const body = (await response.json()) as Json;
      expect(response.status, filename).toBe(400);
      expect(body.error.reason, filename).toBe(reason);
      expect(body.error.fieldErrors, filename).toBeTruthy();
    }
    const noName = await fetchApp(
      new Request(`${ORIGIN}/api/v1/attachments?issueId=${issue.id}`, {
        method: "POST",
        headers: bearer(agent),
        body: PDF,
      }),
    );
    expect(noName.status).toBe(400);
    expect(((await noName.json()) as Json).error.fieldErrors).toHaveProperty("filename");
    const badIssue = await fetchApp(
      new Request(`${ORIGIN}/api/v1/attachments`, {
        method: "POST",
        headers: { ...bearer(agent), "x-filename": "a.pdf" },
        body: PDF,
      }),
    );
    expect(badIssue.status).toBe(400);
    expect(((await badIssue.json()) as Json).error.fieldErrors).toHaveProperty("issueId");

    expect(await storedFor(agent, issue.id)).toEqual({ objects: [], rows: [] });
    expect(await db.select().from(auditLog)).toEqual([]);
  });

  it("cannot be added to another organization's issue, nor by a viewer, nor without credentials", async () => {
    const owner = await member("member");
    const stranger = await member("owner");
    const viewer = await member("viewer");
    const issue = await insertIssue(openTenant(testEnv, owner.tenant));
    const viewersIssue = await insertIssue(openTenant(testEnv, viewer.tenant));

    const namingOwn = await uploadMultipart(stranger, issue.id, new Blob([PDF]), "x.pdf");
    expect(namingOwn.status).toBe(404);
    const namingTheirs = await uploadMultipart(
      stranger,
      issue.id,
      new Blob([PDF]),
      "x.pdf",
      bearer(stranger, owner.tenant.slug),
    );
    expect(namingTheirs.status).toBe(404);
    expect((await uploadMultipart(viewer, viewersIssue.id, new Blob([PDF]), "x.pdf")).status).toBe(403);
    expect(
      (
        await uploadMultipart(owner, issue.id, new Blob([PDF]), "x.pdf", {
          [TENANT_HEADER]: owner.tenant.slug,
        })
      ).status,
    ).toBe(401);
    expect(await storedFor(owner, issue.id)).toEqual({ objects: [], rows: [] });
    expect((await testEnv.ATTACHMENTS.list({ prefix: `${stranger.tenant.id}/` })).objects).toEqual([]);
  });

  it("uploaded with the session cookie must come from Nexus's own origin", async () => {
    const agent = await member("member");
    const issue = await insertIssue(openTenant(testEnv, agent.tenant));
    const cookie = { cookie: `nexus_session=${agent.token}`, [TENANT_HEADER]: agent.tenant.slug };
    const foreign = await uploadMultipart(agent, issue.id, new Blob([PDF]), "a.pdf", {
      ...cookie,
      origin: "https://evil.example",
    });
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as Json).error.reason).toBe("cross_site_request");
    const noOrigin = await uploadMultipart(agent, issue.id, new Blob([PDF]), "a.pdf", cookie);
    expect(noOrigin.status).toBe(403);
    expect(await storedFor(agent, issue.id)).toEqual({ objects: [], rows: [] });

    const same = await uploadMultipart(agent, issue.id, new Blob([PDF]), "a.pdf", {
      ...cookie,
      origin: ORIGIN,
    });
    expect(same.status).toBe(201);
  });

  it("are removed with their bytes by the uploader or an administrator, leaving history", async () => {
    const uploader = await member("member");
    const db = openTenant(testEnv, uploader.tenant);
    const issue = await insertIssue(db);
    const uploaded = (await (await uploadRaw(uploader, issue.id, PDF, "quote.pdf")).json()) as Json;
    const key = `${uploader.tenant.id}/${issue.id}/${uploaded.id}`;
    expect(await testEnv.ATTACHMENTS.head(key)).not.toBeNull();

    const removed = await SELF.fetch(`${ORIGIN}/trpc/projects.attachments.delete`, {
      method: "POST",
      headers: { ...bearer(uploader), "content-type": "application/json" },
      body: JSON.stringify({ id: uploaded.id }),
    });
    expect(removed.status).toBe(200);
    expect(await testEnv.ATTACHMENTS.head(key)).toBeNull();
    expect((await download(uploader, uploaded.id)).status).toBe(404);
    const [row] = await db.select().from(issueAttachments).where(eq(issueAttachments.id, uploaded.id));
    expect(row!.deletedAt).not.toBeNull();
    const history = await db
      .select()
      .from(issueHistory)
      .where(and(eq(issueHistory.issueId, issue.id), eq(issueHistory.field, "attachment")));
    expect(history.map((h) => [h.before === null, h.after === null])).toEqual([
      [true, false],
      [false, true],
    ]);
    const listed = await trpcQuery(
      "projects.attachments.list",
      { issueId: issue.id },
      { token: uploader.token, tenant: uploader.tenant.slug },
    );
    expect(listed.body.result.data.items).toEqual([]);
  });

  it("leave no bytes behind in R2 when the database write fails", async () => {
    expectConsoleError(/database error|unhandled error/);
    const agent = await member("member");
    const db = openTenant(testEnv, agent.tenant);
    const issue = await insertIssue(db);
    // A real failure of the row write, in this test's own organization only.
    await db.run(
      sql.raw(
        "CREATE TRIGGER refuse_attachments BEFORE INSERT ON issue_attachments BEGIN SELECT RAISE(ABORT, 'refused by test'); END",
      ),
    );
    const response = await uploadRaw(agent, issue.id, PDF, "lost.pdf");
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain("refused by test");
    expect(await storedFor(agent, issue.id)).toEqual({ objects: [], rows: [] });
    expect(await db.select().from(issueHistory)).toEqual([]);
    await db.run(sql.raw("DROP TRIGGER refuse_attachments"));
  });
});
