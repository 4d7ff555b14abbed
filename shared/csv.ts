import Papa from "papaparse";

/** What one CSV cell may hold. */
export type CsvCell = string | number | boolean | null;

/**
 * CSV as RFC 4180 (CRLF, quotes doubled). A cell that starts with = + - @ (or a tab or carriage return)
 * is prefixed with ' so spreadsheet programs show it as text instead of running it as a formula.
 */
export function toCsv(fields: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return Papa.unparse(
    { fields: [...fields], data: rows.map((r) => [...r]) },
    { escapeFormulae: true, newline: "\r\n", header: true },
  );
}
