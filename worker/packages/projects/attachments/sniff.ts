import { type AttachmentType, attachmentTypes } from "../../../../shared/schemas/issue-extras";

const ascii = (text: string) => Array.from(text, (ch) => ch.charCodeAt(0));

function startsWith(bytes: Uint8Array, prefix: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + prefix.length) return false;
  return prefix.every((b, i) => bytes[offset + i] === b);
}

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const GIF87 = ascii("GIF87a");
const GIF89 = ascii("GIF89a");
const RIFF = ascii("RIFF");
const WEBP = ascii("WEBP");
const PDF = ascii("%PDF-");
const ZIP_LOCAL = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY = [0x50, 0x4b, 0x05, 0x06];

/** Text files: no NUL and no control characters other than tab, line feed, form feed and carriage return. */
function looksLikeText(bytes: Uint8Array): boolean {
  for (const b of bytes) {
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d) return false;
    if (b === 0x7f) return false;
  }
  return true;
}

/**
 * The names of the entries of a zip archive, from its central directory (found through the end-of-central-
 * directory record in the last 64 KiB); null when the structure is not a readable zip.
 */
export function zipEntryNames(bytes: Uint8Array): string[] | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const EOCD = 0x06054b50;
  const CENTRAL = 0x02014b50;
  const floor = Math.max(0, bytes.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= floor; i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  const names: string[] = [];
  const decoder = new TextDecoder();
  for (let n = 0; n < count; n++) {
    if (offset + 46 > bytes.length || view.getUint32(offset, true) !== CENTRAL) return null;
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    if (offset + 46 + nameLength > bytes.length) return null;
    names.push(decoder.decode(bytes.subarray(offset + 46, offset + 46 + nameLength)));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/** An Office Open XML package: a zip with [Content_Types].xml and the application's part folder. */
function isOfficeDocument(bytes: Uint8Array, folder: string): boolean {
  if (!startsWith(bytes, ZIP_LOCAL)) return false;
  const names = zipEntryNames(bytes);
  return Boolean(names?.includes("[Content_Types].xml") && names.some((n) => n.startsWith(folder)));
}

const contentMatches: Record<AttachmentType, (bytes: Uint8Array) => boolean> = {
  png: (b) => startsWith(b, PNG),
  jpeg: (b) => startsWith(b, JPEG),
  gif: (b) => startsWith(b, GIF87) || startsWith(b, GIF89),
  webp: (b) => startsWith(b, RIFF) && startsWith(b, WEBP, 8),
  pdf: (b) => startsWith(b, PDF),
  txt: looksLikeText,
  csv: looksLikeText,
  docx: (b) => isOfficeDocument(b, "word/"),
  xlsx: (b) => isOfficeDocument(b, "xl/"),
  pptx: (b) => isOfficeDocument(b, "ppt/"),
  zip: (b) => (startsWith(b, ZIP_LOCAL) || startsWith(b, ZIP_EMPTY)) && zipEntryNames(b) !== null,
};

/** The lower-case extension of a file name ("" when it has none). */
export function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf(".");
  return dot > 0 ? filename.slice(dot + 1).toLowerCase() : "";
}

export type Detected =
  | { ok: true; type: AttachmentType; contentType: string }
  | { ok: false; reason: "extension" | "content" };

/**
 * What an upload is, judged by its extension AND its bytes: both must name the same allowed type. A `.png`
 * that is really an executable, or an allowed file renamed to something else, is refused.
 */
export function detectAttachmentType(filename: string, bytes: Uint8Array): Detected {
  const extension = extensionOf(filename);
  const entry = (
    Object.entries(attachmentTypes) as [AttachmentType, (typeof attachmentTypes)[AttachmentType]][]
  ).find(([, t]) => (t.extensions as readonly string[]).includes(extension));
  if (!entry) return { ok: false, reason: "extension" };
  const [type, definition] = entry;
  if (!contentMatches[type](bytes)) return { ok: false, reason: "content" };
  return { ok: true, type, contentType: definition.contentType };
}
