/** localStorage that never throws (private modes and disabled storage just forget). */
export function readSetting(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function writeSetting(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Not persisted; the choice still applies to this visit.
  }
}

const LAST_TENANT_KEY = "nexus.lastTenant";

/** The organization the user last worked in, opened again by `/`. */
export function lastTenant(): string | null {
  return readSetting(LAST_TENANT_KEY);
}

export function rememberTenant(slug: string): void {
  writeSetting(LAST_TENANT_KEY, slug);
}

/**
 * True the first time it is asked for `key` in this browser session (sessionStorage), false afterwards —
 * and false where session storage is unavailable, so nothing repeats on every visit.
 */
export function firstTimeThisSession(key: string): boolean {
  try {
    if (window.sessionStorage.getItem(key)) return false;
    window.sessionStorage.setItem(key, "1");
    return true;
  } catch {
    return false;
  }
}
