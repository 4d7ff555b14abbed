/**
 * Placeholders while a list or a record loads. Apart from the table itself, so pending views cost the first
 * load nothing.
 */

/** What a table looks like while its first page loads. */
export function TableSkeleton({ columns = 4, rows = 6, label = "Loading" }) {
  return (
    <div className="table-wrap" role="status" aria-label={label}>
      <table className="table table-skeleton" aria-hidden="true">
        <thead>
          <tr>
            {Array.from({ length: columns }, (_, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity.
              <th key={i}>
                <span className="skeleton skeleton-header" />
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: rows }, (_, r) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity.
            <tr key={r}>
              {Array.from({ length: columns }, (_, c) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity.
                <td key={c}>
                  <span className="skeleton" style={{ width: `${45 + ((r * 7 + c * 13) % 45)}%` }} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The detail pane while it loads. */
export function DetailSkeleton({ label }: { label: string }) {
  return (
    <div className="detail-skeleton" role="status" aria-label={label}>
      <div className="skeleton skeleton-title" />
      <div className="skeleton skeleton-line" />
      <div className="skeleton skeleton-line short" />
      <div className="skeleton skeleton-block" />
    </div>
  );
}
