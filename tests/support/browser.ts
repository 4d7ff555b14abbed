import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM_PATH = process.env.NEXUS_CHROMIUM ?? "/usr/bin/chromium";

/** Debian's Chromium, headless, with no background networking (the machine has no network but npm). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not at ${CHROMIUM_PATH}. \`npm test\` installs it on Debian (apt-get install chromium); ` +
        "elsewhere install Chromium and set NEXUS_CHROMIUM to its path.",
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
