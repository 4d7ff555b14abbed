import type { ReactNode } from "react";
import { Badge, type Tone } from "./ui";

export interface BulkResultRow {
  key: string;
  /** The row as the user knows it: a name, an address, "Row 4". */
  label: ReactNode;
  detail?: ReactNode;
  outcome: string;
  tone: Tone;
  message?: string;
}

/**
 * What a bulk action did to each row: a summary, then one line per row with its outcome, failures first so
 * they are not missed.
 */
export function BulkResults({
  rows,
  summary,
  caption,
}: {
  rows: readonly BulkResultRow[];
  summary: ReactNode;
  caption: string;
}) {
  const ordered = [...rows].sort((a, b) => Number(b.tone === "danger") - Number(a.tone === "danger"));
  return (
    <div className="bulk-results">
      <p className="bulk-results-summary" role="status">
        {summary}
      </p>
      <div className="table-wrap bulk-results-table">
        <table className="table">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">Result</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {ordered.map((row) => (
              <tr key={row.key} data-outcome={row.tone}>
                <th scope="row" className="row-header">
                  {row.label}
                  {row.detail ? <span className="cell-detail">{row.detail}</span> : null}
                </th>
                <td>
                  <Badge tone={row.tone}>{row.outcome}</Badge>
                </td>
                <td className={row.tone === "danger" ? "cell-error" : "muted"}>{row.message ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
