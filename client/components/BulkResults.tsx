import type { ReactNode } from "react";
import { type Column, DataTable } from "./collection/DataTable";
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
      <div className="bulk-results-table">
        <DataTable
          caption={caption}
          columns={columns}
          rows={ordered}
          rowKey={(row) => row.key}
          rowLabel={(row) => row.key}
          noun={{ one: "row", other: "rows" }}
          rowAttributes={(row) => ({ "data-outcome": row.tone })}
          empty={null}
        />
      </div>
    </div>
  );
}

const columns: Column<BulkResultRow>[] = [
  {
    id: "row",
    header: "Row",
    rowHeader: true,
    cell: (row) => (
      <>
        {row.label}
        {row.detail ? <span className="cell-detail">{row.detail}</span> : null}
      </>
    ),
  },
  { id: "result", header: "Result", cell: (row) => <Badge tone={row.tone}>{row.outcome}</Badge> },
  {
    id: "details",
    header: "Details",
    cell: (row) => (
      <span className={row.tone === "danger" ? "cell-error" : "muted"}>{row.message ?? ""}</span>
    ),
  },
];
