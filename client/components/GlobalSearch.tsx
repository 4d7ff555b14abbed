import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { Search, X } from "lucide-react";
import { Dialog } from "radix-ui";
import { type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { objectOfSearchType, packages } from "../../shared/registry";
import type { SearchHit } from "../../shared/schemas/search";
import { messageOf } from "../lib/errors";
import { useTRPC } from "../lib/trpc";
import { RegistryIcon } from "./icons";
import { Spinner } from "./ui";

const TYPING_DELAY_MS = 200;

/** The matched words of a snippet, marked. */
function Highlighted({ hit }: { hit: SearchHit }) {
  const parts: (string | { mark: string })[] = [];
  let at = 0;
  for (const { start, end } of [...hit.highlights].sort((a, b) => a.start - b.start)) {
    if (start < at) continue;
    parts.push(hit.snippet.slice(at, start), { mark: hit.snippet.slice(start, end) });
    at = end;
  }
  parts.push(hit.snippet.slice(at));
  return (
    <>
      {parts.map((part, i) =>
        typeof part === "string" ? (
          part
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: positions are the identity of a snippet's parts.
          <mark key={i}>{part.mark}</mark>
        ),
      )}
    </>
  );
}

/**
 * The top bar's search across every package (system.search.query), opened with Ctrl+K or ⌘K. Results are
 * grouped by object type; the arrow keys move through them and Enter opens one.
 */
export function GlobalSearch({ tenant }: { tenant: string }) {
  const [open, setOpen] = useState(false);

  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k") {
        event.preventDefault();
        setOpen(true);
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger className="search-trigger" aria-keyshortcuts="Control+K Meta+K">
        <Search size={14} aria-hidden="true" />
        <span>Search</span>
        <kbd className="kbd">Ctrl K</kbd>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog search-dialog" aria-describedby={undefined}>
          <Dialog.Title className="visually-hidden">Search Nexus</Dialog.Title>
          <SearchPanel tenant={tenant} onDone={() => setOpen(false)} />
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function SearchPanel({ tenant, onDone }: { tenant: string; onDone: () => void }) {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const inputId = useId();
  const [text, setText] = useState("");
  const [q, setQ] = useState("");
  const results = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), TYPING_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const query = useQuery({
    ...trpc.system.search.query.queryOptions({ q, limit: 20 }),
    enabled: q.length > 0,
  });
  const groups = query.data?.groups ?? [];

  const go = (path: string) => {
    onDone();
    void navigate({ to: `/${tenant}${path}` as "/" });
  };

  const move = (event: KeyboardEvent) => {
    const links = [...(results.current?.querySelectorAll<HTMLAnchorElement>("a[data-hit]") ?? [])];
    if (links.length === 0) return;
    const index = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (event.key === "ArrowDown") {
      event.preventDefault();
      links[Math.min(links.length - 1, index + 1)]?.focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (index <= 0) document.getElementById(inputId)?.focus();
      else links[index - 1]?.focus();
    }
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: arrow keys move between the results inside.
    <div className="search-panel" onKeyDown={move}>
      <div className="search-box">
        <label htmlFor={inputId} className="visually-hidden">
          Search everything in this organization
        </label>
        <Search size={16} aria-hidden="true" />
        <input
          id={inputId}
          type="search"
          className="search-input"
          placeholder="Search issues, people, places…"
          autoComplete="off"
          value={text}
          maxLength={200}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter") {
              const first = groups[0]?.items[0];
              if (first) go(first.path);
            }
          }}
        />
        {query.isFetching ? <Spinner size={14} /> : null}
        <Dialog.Close className="icon-button" aria-label="Close search">
          <X size={16} aria-hidden="true" />
        </Dialog.Close>
      </div>
      <div className="search-results" ref={results} aria-live="polite">
        {q.length === 0 ? (
          <p className="muted small search-hint">Type to search. ↑ ↓ move, Enter opens, Escape closes.</p>
        ) : query.isError ? (
          <p className="cell-error">{messageOf(query.error)}</p>
        ) : query.data && groups.length === 0 ? (
          <p className="muted">Nothing matches “{q}”.</p>
        ) : (
          groups.map((group) => {
            const object = objectOfSearchType(group.objectType);
            const pkg = packages.find((p) => p.key === object?.package);
            return (
              <section key={group.objectType} className="search-group" aria-label={group.label}>
                <h2 className="search-group-title">
                  {pkg ? <RegistryIcon name={pkg.icon} size={14} /> : null}
                  {group.label}
                </h2>
                <ul>
                  {group.items.map((hit) => (
                    <li key={hit.objectId}>
                      <a
                        href={`/${tenant}${hit.path}`}
                        data-hit=""
                        className="search-hit"
                        onClick={(event) => {
                          if (event.ctrlKey || event.metaKey || event.shiftKey) return;
                          event.preventDefault();
                          go(hit.path);
                        }}
                      >
                        <span className="strong">{hit.title}</span>
                        {hit.subtitle ? <span className="muted small">{hit.subtitle}</span> : null}
                        <span className="small search-snippet">
                          <Highlighted hit={hit} />
                        </span>
                      </a>
                    </li>
                  ))}
                </ul>
              </section>
            );
          })
        )}
      </div>
    </div>
  );
}
