import { useEffect, useSyncExternalStore } from "react";

/** Whether a media query matches, kept current. */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const list = window.matchMedia(query);
      list.addEventListener("change", onChange);
      return () => list.removeEventListener("change", onChange);
    },
    () => window.matchMedia(query).matches,
  );
}

/** The wide layout (sidebar) starts here; narrower screens get a top bar and a drawer. */
export const WIDE_LAYOUT = "(min-width: 900px)";

/** Sets the document title for the page showing. */
export function useDocumentTitle(...parts: (string | undefined)[]): void {
  const title = [...parts.filter(Boolean), "Nexus"].join(" · ");
  useEffect(() => {
    document.title = title;
  }, [title]);
}
