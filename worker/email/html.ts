/** Pieces of the HTML part of Nexus's mail, shared by every template. */

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch] ?? ch,
  );
}

/** Blocks of lines as escaped paragraphs (lines joined by line breaks); null lines and empty blocks left out. */
export function paragraphs(lines: (string | null)[][]): string {
  return lines
    .map((block) =>
      block
        .filter((line): line is string => line !== null)
        .map(escapeHtml)
        .join("<br>"),
    )
    .filter(Boolean)
    .map((block) => `<p>${block}</p>`)
    .join("\n");
}
