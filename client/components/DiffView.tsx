/** One changed value: where it is (`security.ssoOnly`), before and after. */
interface DiffRow {
  path: string;
  before: string | undefined;
  after: string | undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Nested objects become dotted paths; arrays and scalars are shown whole. */
function flatten(value: unknown, prefix = "", out = new Map<string, string>()): Map<string, string> {
  if (isPlainObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0 && prefix) out.set(prefix, "{}");
    for (const [key, inner] of entries) flatten(inner, prefix ? `${prefix}.${key}` : key, out);
  } else if (value !== undefined) {
    out.set(prefix || "value", typeof value === "string" ? value : JSON.stringify(value));
  }
  return out;
}

export function diffRows(before: unknown, after: unknown): DiffRow[] {
  const a = flatten(before);
  const b = flatten(after);
  const paths = [...new Set([...a.keys(), ...b.keys()])];
  return paths.map((path) => ({ path, before: a.get(path), after: b.get(path) }));
}

/**
 * Before and after of an audited change, one line per field: `role  member → viewer`. Removed values are
 * struck through, new ones marked, unchanged ones plain; a field that only appeared shows just its value.
 */
export function DiffView({ before, after }: { before: unknown; after: unknown }) {
  const rows = diffRows(before, after);
  if (rows.length === 0) return <span className="muted">No details recorded</span>;
  return (
    <dl className="diff">
      {rows.map((row) => {
        const changed = row.before !== row.after;
        return (
          <div key={row.path} className="diff-row" data-changed={changed || undefined}>
            <dt className="diff-path">{row.path}</dt>
            <dd className="diff-values">
              {!changed ? (
                <span className="diff-same">{row.after}</span>
              ) : (
                <>
                  {row.before !== undefined ? (
                    <del>
                      <span className="visually-hidden">was </span>
                      {row.before}
                    </del>
                  ) : null}
                  {row.before !== undefined && row.after !== undefined ? (
                    <span className="diff-arrow" aria-hidden="true">
                      →
                    </span>
                  ) : null}
                  {row.after !== undefined ? (
                    <ins>
                      <span className="visually-hidden">now </span>
                      {row.after}
                    </ins>
                  ) : (
                    <span className="muted"> (removed)</span>
                  )}
                </>
              )}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
