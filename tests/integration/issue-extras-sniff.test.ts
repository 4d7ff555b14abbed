import { describe, expect, it } from "vitest";
import { cleanFilename } from "../../worker/packages/projects/attachments/filename";
import { contentDisposition } from "../../worker/packages/projects/attachments/http";
import { detectAttachmentType, zipEntryNames } from "../../worker/packages/projects/attachments/sniff";

/** A zip archive with `names` as empty stored entries: local headers, central directory, end record. */
function zip(names: string[]): Uint8Array {
  const encoder = new TextEncoder();
  const locals: number[] = [];
  const central: number[] = [];
  const u16 = (n: number) => [n & 0xff, (n >> 8) & 0xff];
  const u32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
  for (const name of names) {
    const bytes = [...encoder.encode(name)];
    const offset = locals.length;
    locals.push(...u32(0x04034b50), ...u16(20), ...u16(0), ...u16(0), ...u16(0), ...u16(0));
    locals.push(...u32(0), ...u32(0), ...u32(0), ...u16(bytes.length), ...u16(0), ...bytes);
    central.push(...u32(0x02014b50), ...u16(20), ...u16(20), ...u16(0), ...u16(0), ...u16(0), ...u16(0));
    central.push(...u32(0), ...u32(0), ...u32(0), ...u16(bytes.length), ...u16(0), ...u16(0));
    central.push(...u16(0), ...u16(0), ...u32(0), ...u32(offset), ...bytes);
  }
  const end = [
    ...u32(0x06054b50),
    ...u16(0),
    ...u16(0),
    ...u16(names.length),
    ...u16(names.length),
    ...u32(central.length),
    ...u32(locals.length),
    ...u16(0),
  ];
  return new Uint8Array([...locals, ...central, ...end]);
}

const ascii = (text: string) => new TextEncoder().encode(text);

describe("attachment types", () => {
  it("are recognised by extension and content together", () => {
    const samples: [string, Uint8Array, string][] = [
      ["a.png", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]), "image/png"],
      ["a.JPG", new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0]), "image/jpeg"],
      ["a.jpeg", new Uint8Array([0xff, 0xd8, 0xff, 0xdb]), "image/jpeg"],
      ["a.gif", ascii("GIF89a...."), "image/gif"],
      ["a.webp", ascii("RIFF\x10\x00\x00\x00WEBPVP8 "), "image/webp"],
      ["a.pdf", ascii("%PDF-1.4\n"), "application/pdf"],
      ["a.txt", ascii("Hello\tworld\r\n"), "text/plain"],
      ["server.log", ascii("2026-09-01 ERROR disk full\n"), "text/plain"],
      ["a.csv", new Uint8Array([0xef, 0xbb, 0xbf, ...ascii("name;ort\nJosé;Zürich\n")]), "text/csv"],
      [
        "a.docx",
        zip(["[Content_Types].xml", "_rels/.rels", "word/document.xml"]),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      ],
      [
        "a.xlsx",
        zip(["[Content_Types].xml", "xl/workbook.xml"]),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      ],
      [
        "a.pptx",
        zip(["[Content_Types].xml", "ppt/presentation.xml"]),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
      ],
      ["a.zip", zip(["readme.txt", "photos/1.jpg"]), "application/zip"],
      ["empty.zip", zip([]), "application/zip"],
    ];
    for (const [name, bytes, contentType] of samples) {
      expect(detectAttachmentType(name, bytes), name).toEqual({
        ok: true,
        type: expect.any(String),
        contentType,
      });
    }
  });

  it("refuse other extensions and content that does not match", () => {
    const refusals: [string, Uint8Array, "extension" | "content"][] = [
      ["a.exe", new Uint8Array([0x4d, 0x5a]), "extension"],
      ["a.svg", ascii("<svg/>"), "extension"],
      ["a.png.exe", new Uint8Array([0x89, 0x50, 0x4e, 0x47]), "extension"],
      ["a", ascii("plain"), "extension"],
      [".txt", ascii("hidden file, no extension"), "extension"],
      ["a.png", ascii("GIF89a"), "content"],
      ["a.webp", ascii("RIFF\x10\x00\x00\x00WAVEfmt "), "content"],
      ["a.txt", new Uint8Array([0x4d, 0x5a, 0x90, 0x00]), "content"],
      ["a.csv", ascii("a,b\x1b[31m\n"), "content"],
      ["a.docx", zip(["[Content_Types].xml", "xl/workbook.xml"]), "content"],
      ["a.xlsx", zip(["xl/workbook.xml"]), "content"],
      ["a.zip", ascii("PK\x03\x04 truncated"), "content"],
      ["a.pdf", ascii("% not a PDF"), "content"],
    ];
    for (const [name, bytes, reason] of refusals) {
      expect(detectAttachmentType(name, bytes), name).toEqual({ ok: false, reason });
    }
  });

  it("read zip entry names from the central directory", () => {
    expect(zipEntryNames(zip(["a.txt", "dir/b.txt"]))).toEqual(["a.txt", "dir/b.txt"]);
    expect(zipEntryNames(ascii("not a zip at all, no end record"))).toBeNull();
  });
});

describe("attachment file names", () => {
  it("keep the last path segment, without control characters or quotes, at most 200 characters", () => {
    expect(cleanFilename("C:\\Users\\ana\\Desktop\\plan.pdf")).toBe("plan.pdf");
    expect(cleanFilename("../../etc/passwd.txt")).toBe("passwd.txt");
    expect(cleanFilename(' "new\n  report".pdf ')).toBe("new report.pdf");
    expect(cleanFilename("..")).toBe("");
    const long = cleanFilename(`${"x".repeat(300)}.docx`);
    expect(long).toHaveLength(200);
    expect(long.endsWith(".docx")).toBe(true);
  });

  it("are sent as attachments with an ASCII fallback and the exact UTF-8 name", () => {
    expect(contentDisposition("Plan März (v2).pdf")).toBe(
      `attachment; filename="Plan M_rz (v2).pdf"; filename*=UTF-8''Plan%20M%C3%A4rz%20%28v2%29.pdf`,
    );
    expect(contentDisposition("a\\b.txt")).toBe(`attachment; filename="a_b.txt"; filename*=UTF-8''a%5Cb.txt`);
  });
});
