import { useSyncExternalStore } from "react";
import { readSetting, writeSetting } from "./storage";

/** The user's choice; "system" follows prefers-color-scheme. public/theme-init.js applies it before first paint. */
export type ThemePreference = "light" | "dark" | "system";
export const themePreferences: readonly ThemePreference[] = ["light", "dark", "system"];

const KEY = "nexus.theme";
const darkQuery = () => window.matchMedia("(prefers-color-scheme: dark)");
const listeners = new Set<() => void>();

function readPreference(): ThemePreference {
  const saved = readSetting(KEY);
  return saved === "light" || saved === "dark" ? saved : "system";
}

let preference: ThemePreference = readPreference();

function apply(): void {
  const dark = preference === "dark" || (preference === "system" && darkQuery().matches);
  document.documentElement.dataset.theme = dark ? "dark" : "light";
}

export function setThemePreference(next: ThemePreference): void {
  preference = next;
  writeSetting(KEY, next);
  apply();
  for (const listener of listeners) listener();
}

/** Applies the saved preference and follows the system setting while the preference is "system". */
export function initTheme(): void {
  apply();
  darkQuery().addEventListener("change", () => {
    if (preference === "system") apply();
  });
  window.addEventListener("storage", (event) => {
    if (event.key !== KEY) return;
    preference = readPreference();
    apply();
    for (const listener of listeners) listener();
  });
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useThemePreference(): ThemePreference {
  return useSyncExternalStore(subscribe, () => preference);
}
