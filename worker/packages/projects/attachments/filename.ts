import { extensionOf } from "./sniff";

const MAX_FILENAME = 200;

/**
 * The name an upload is stored and served under: its last path segment, without control characters or
 * quotes, whitespace collapsed, at most 200 characters (keeping the extension). Empty when nothing is left.
 */
export function cleanFilename(raw: string): string {
  const base = raw.split(/[/\\]/).pop() ?? "";
  let name = base
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
    .replace(/[\u0000-\u001f\u007f"]/g, "")
    .replace(/\s+/g, " ")
    .trim();
  if (name.length > MAX_FILENAME) {
    const extension = extensionOf(name);
    const keep = extension ? `.${extension}` : "";
    name = `${name.slice(0, MAX_FILENAME - keep.length)}${keep}`;
  }
  return name === "." || name === ".." ? "" : name;
}
