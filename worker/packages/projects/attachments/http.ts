import type { Context } from "hono";
import { Hono } from "hono";
import { AppError } from "../../../../shared/errors";
import {
  attachment,
  attachmentIdInput,
  MAX_ATTACHMENT_BYTES,
  uploadAttachmentQuery,
} from "../../../../shared/schemas/issue-extras";
import { TENANT_HEADER } from "../../../../shared/transport";
import { type AppBindings, errorResponse, requestContext, sameOriginWrites } from "../../../http";
import { passGate } from "../../../trpc/gate";
import { loadOpenIssue } from "../activity/issues";
import { tooLarge, uploadAttachment } from "./upload";
import { attachmentNotFound, loadAttachment } from "./views";

/** Room for the multipart envelope (boundaries, part headers) around a file of the largest allowed size. */
const MULTIPART_OVERHEAD = 64 * 1024;

/** Reads a body up to `limit` bytes; more is a 413 and the rest is never read. */
async function readLimited(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
): Promise<Uint8Array<ArrayBuffer>> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function badUpload(message: string, field = "file"): AppError {
  return new AppError("BAD_REQUEST", message, { fieldErrors: { [field]: [message] } });
}

/** The file of an upload: the single file part of a multipart form, or the raw body named by x-filename. */
async function readUpload(
  c: Context<AppBindings>,
): Promise<{ filename: string; bytes: Uint8Array<ArrayBuffer> }> {
  const contentType = c.req.header("content-type") ?? "";
  const lengthHeader = c.req.header("content-length");
  const declared = lengthHeader === undefined ? null : Number(lengthHeader);
  if (contentType.toLowerCase().startsWith("multipart/form-data")) {
    if (declared !== null && declared > MAX_ATTACHMENT_BYTES + MULTIPART_OVERHEAD) throw tooLarge();
    let form: FormData;
    try {
      form =
        declared !== null
          ? await c.req.raw.formData()
          : await new Response(await readLimited(c.req.raw.body, MAX_ATTACHMENT_BYTES + MULTIPART_OVERHEAD), {
              headers: { "content-type": contentType },
            }).formData();
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw badUpload("The upload is not a valid multipart/form-data body.");
    }
    const files = [...form.values()].filter((value): value is File => typeof value !== "string");
    if (files.length === 0) throw badUpload("Choose a file to attach.");
    if (files.length > 1) throw badUpload("Attach one file per request.");
    const file = files[0]!;
    if (file.size > MAX_ATTACHMENT_BYTES) throw tooLarge();
    return { filename: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
  }
  const header = c.req.header("x-filename");
  if (!header?.trim()) {
    throw badUpload("Name the file in the x-filename header, or send it as multipart/form-data.", "filename");
  }
  let filename = header;
  try {
    filename = decodeURIComponent(header);
  } catch {
    // Not percent-encoded: use it as it came.
  }
  if (declared !== null && declared > MAX_ATTACHMENT_BYTES) throw tooLarge();
  return { filename, bytes: await readLimited(c.req.raw.body, MAX_ATTACHMENT_BYTES) };
}

/** `attachment; filename="…"` with an ASCII fallback and the exact UTF-8 name (RFC 6266 / 8187). */
export function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
  const exact = encodeURIComponent(filename).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${exact}`;
}

/**
 * The bytes of issue attachments, over plain HTTP (mounted at /api/v1/attachments). Credentials and the
 * organization are checked exactly as for tRPC (worker/trpc/gate.ts): cookie or bearer, and the `x-nexus-tenant`
 * header — for downloads also the `tenant` query parameter, so a plain link works. Cookie-carrying uploads
 * must come from Nexus's own origin.
 *
 * - `POST /?issueId=…`: multipart/form-data with one file, or the raw bytes with `x-filename` (percent-
 *   encoded when not ASCII). ≤ 25 MB (413 beyond), allowed types only (400); 201 with the attachment.
 * - `GET /:id`: the bytes, as a download (`Content-Disposition: attachment`, the stored type, nosniff).
 */
export const attachmentsHttp = new Hono<AppBindings>();

// Mounted under the app, the request already has its id and logger; mounted alone (tests), it gets them here.
attachmentsHttp.use("*", async (c, next) => (c.get("requestId") ? next() : requestContext(c, next)));
attachmentsHttp.use("*", sameOriginWrites);

function contextInput(c: Context<AppBindings>, tenant?: string) {
  const headers = new Headers(c.req.raw.headers);
  if (tenant && !headers.get(TENANT_HEADER)) headers.set(TENANT_HEADER, tenant);
  return { env: c.env, headers, requestId: c.get("requestId"), ip: c.get("ip"), log: c.get("log") };
}

attachmentsHttp.post("/", async (c) => {
  const gate = await passGate(contextInput(c), "projects.write");
  const { issueId } = uploadAttachmentQuery.parse({ issueId: c.req.query("issueId") });
  // Before reading the body: an issue that is not there (or not this organization's) reads nothing.
  await loadOpenIssue(gate.db, issueId);
  const upload = await readUpload(c);
  const created = await uploadAttachment(gate, {
    bucket: c.env.ATTACHMENTS,
    issueId,
    filename: upload.filename,
    bytes: upload.bytes,
  });
  return c.json(attachment.parse(created), 201);
});

attachmentsHttp.get("/:id", async (c) => {
  const gate = await passGate(contextInput(c, c.req.query("tenant")), "projects.read");
  const { id } = attachmentIdInput.parse({ id: c.req.param("id") });
  const row = await loadAttachment(gate.db, id);
  const object = await c.env.ATTACHMENTS.get(row.r2Key);
  if (!object) {
    gate.log.warn("attachment bytes missing", { attachmentId: row.id, key: row.r2Key });
    throw attachmentNotFound();
  }
  return c.body(object.body as ReadableStream, 200, {
    "content-type": row.contentType,
    "content-length": String(row.size),
    "content-disposition": contentDisposition(row.filename),
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; sandbox",
    "cache-control": "private, no-store",
    etag: `"${row.sha256}"`,
  });
});

attachmentsHttp.onError((error, c) => errorResponse(error, c));
