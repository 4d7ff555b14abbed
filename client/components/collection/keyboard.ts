import { type RefObject, useCallback, useEffect, useRef, useState } from "react";

/** Keys that mean something only while typing is not under way and no dialog is open. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  );
}

function dialogOpen(): boolean {
  return document.querySelector('[role="dialog"][data-state="open"], [role="alertdialog"]') !== null;
}

/**
 * The keyboard flow of a list: j/k or the arrow keys (inside the list) move the focus through the rows'
 * links (`[data-row-link]`), Enter follows the focused link (opens the record), Escape closes the record
 * open beside the list and puts the focus back on its row, `/` focuses the search box, `n` makes a new
 * record. Answers the row the keyboard is on, and a way to focus a row.
 */
export function useListKeyboard({
  body,
  keys,
  openKey,
  onClose,
  onNew,
  searchInputId,
}: {
  body: RefObject<HTMLTableSectionElement | null>;
  keys: readonly string[];
  /** The record open beside the list (Escape closes it); a sheet's own Escape closes a sheet. */
  openKey: string | null;
  onClose?: (() => void) | undefined;
  onNew?: (() => void) | undefined;
  searchInputId?: string | undefined;
}) {
  const [active, setActive] = useState<string | null>(openKey);

  useEffect(() => {
    if (openKey) setActive(openKey);
  }, [openKey]);

  const focusRow = useCallback(
    (key: string) => {
      setActive(key);
      const link = body.current?.querySelector<HTMLElement>(
        `[data-row-key="${CSS.escape(key)}"] [data-row-link]`,
      );
      link?.focus();
      link?.scrollIntoView({ block: "nearest" });
    },
    [body],
  );

  const activeIndex = active ? keys.indexOf(active) : -1;
  const handlers = useRef({ keys, activeIndex, openKey, onClose, onNew, focusRow, searchInputId });
  handlers.current = { keys, activeIndex, openKey, onClose, onNew, focusRow, searchInputId };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      const h = handlers.current;
      if (event.key === "Escape") {
        if (isTyping(event.target) || dialogOpen() || !h.openKey || !h.onClose) return;
        event.preventDefault();
        const key = h.openKey;
        h.onClose();
        requestAnimationFrame(() => h.focusRow(key));
        return;
      }
      if (isTyping(event.target) || dialogOpen()) return;
      const inList = body.current?.contains(event.target as Node) ?? false;
      const move = (delta: number) => {
        // Rows without a link to open (a list of people) have nowhere for the focus to go.
        if (h.keys.length === 0 || !body.current?.querySelector("[data-row-link]")) return;
        event.preventDefault();
        const from = h.activeIndex === -1 ? (delta > 0 ? -1 : h.keys.length) : h.activeIndex;
        const next = Math.min(h.keys.length - 1, Math.max(0, from + delta));
        const key = h.keys[next];
        if (key) h.focusRow(key);
      };
      switch (event.key) {
        case "j":
          move(1);
          break;
        case "ArrowDown":
          if (inList) move(1);
          break;
        case "k":
          move(-1);
          break;
        case "ArrowUp":
          if (inList) move(-1);
          break;
        case "/":
          if (h.searchInputId) {
            event.preventDefault();
            document.getElementById(h.searchInputId)?.focus();
          }
          break;
        case "n":
          if (h.onNew) {
            event.preventDefault();
            h.onNew();
          }
          break;
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [body]);

  return { active, focusRow };
}
