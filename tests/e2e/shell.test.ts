import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type RunningStack, startStack } from "../../scripts/lib/stack";
import { launchBrowser } from "../support/browser";

/**
 * The application shell in Chromium against the whole local stack (sqld, two seeded districts, wrangler dev
 * serving the built client). Needs `npm run build:client` first (`npm test` runs it).
 */

const root = resolve(import.meta.dirname, "../..");
const screenshots = resolve(root, ".tmp/screenshots");
const director = "director@riverton.example.org";
const riverton = "Riverton R-IV School District";
const cedarValley = "Cedar Valley R-II School District";

/** What the browser reports when the server answers 401: expected only where a test says so. */
const unauthorizedLoad = "Failed to load resource: the server responded with a status of 401";

let stack: RunningStack;
let browser: Browser;
let dataDir: string;
const password = randomBytes(18).toString("base64url");
const contexts: BrowserContext[] = [];
let pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(resolve(root, "client/dist/index.html"))) {
    throw new Error("client/dist is missing: run `npm run build:client` before the browser tests.");
  }
  mkdirSync(screenshots, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), "nexus-e2e-"));
  stack = await startStack({ dataDir, demoPassword: password });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
  const errors = pageErrors;
  pageErrors = [];
  expect(errors, "console errors or uncaught errors in the page").toEqual([]);
});

/** A fresh browser profile whose console errors and uncaught exceptions fail the test. */
async function openPage(options: { width: number; height: number; allow?: string[] }): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: options.width, height: options.height },
    colorScheme: "light",
  });
  contexts.push(context);
  const page = await context.newPage();
  const allowed = options.allow ?? [];
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const text = message.text();
    if (allowed.some((expected) => text.startsWith(expected))) return;
    pageErrors.push(`console.error: ${text}`);
  });
  page.on("pageerror", (error) => pageErrors.push(`uncaught: ${error.message}`));
  return page;
}

async function signIn(page: Page, email = director): Promise<void> {
  await page.goto(`${stack.url}/sign-in`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname !== "/sign-in");
}

/** For looking at: into .tmp/screenshots, with no hover state and animations finished. */
async function screenshot(page: Page, name: string, options = { fullPage: true }): Promise<void> {
  await page.mouse.move(0, 0);
  await page.screenshot({
    path: join(screenshots, name),
    fullPage: options.fullPage,
    animations: "disabled",
  });
}

async function pageTitle(page: Page, name: string): Promise<void> {
  await page.getByRole("heading", { level: 1, name }).waitFor();
}

describe("the application shell", () => {
  it("signs a director in, switches from Riverton to Cedar Valley, and shows only Cedar Valley's schools", async () => {
    const page = await openPage({ width: 1360, height: 900 });
    await signIn(page);

    await page.goto(`${stack.url}/riverton`);
    await pageTitle(page, riverton);
    expect(await page.getByTestId("tenant-switcher").textContent()).toContain(riverton);
    const nav = page.getByRole("navigation", { name: "Main" });
    expect(await nav.getByRole("link", { name: "Education" }).count()).toBe(1);
    expect(await nav.getByRole("link", { name: /^Calendars\s*soon$/ }).count()).toBe(1);
    await page.getByRole("heading", { name: "Recent job runs" }).waitFor();
    await screenshot(page, "home-wide-light.png");

    await nav.getByRole("link", { name: "Schools", exact: true }).click();
    await page.waitForURL(`${stack.url}/riverton/education/schools`);
    await page.getByRole("rowheader", { name: "Bluff View Elementary" }).waitFor();
    const rivertonSchools = await page.getByRole("rowheader").allTextContents();
    expect(rivertonSchools).toHaveLength(8);

    await page.getByTestId("tenant-switcher").click();
    await page.getByRole("menuitem", { name: cedarValley }).click();
    await page.waitForURL(`${stack.url}/cedar-valley/education/schools`);
    await page.getByRole("rowheader", { name: "Westfork Rural School" }).waitFor();
    expect(await page.getByTestId("tenant-switcher").textContent()).toContain(cedarValley);
    const cedarSchools = await page.getByRole("rowheader").allTextContents();
    expect(cedarSchools).toHaveLength(5);
    expect(cedarSchools.filter((name) => rivertonSchools.includes(name))).toEqual([]);
    expect(await page.getByText("Bluff View Elementary").count()).toBe(0);

    await nav.getByRole("link", { name: "Home" }).click();
    await pageTitle(page, cedarValley);
    expect(await page.getByText(riverton).count()).toBe(0);
  });

  it("shows the control database and both organizations ready on the status page", async () => {
    const page = await openPage({ width: 1360, height: 900 });
    await signIn(page);
    await page.goto(`${stack.url}/riverton`);
    await pageTitle(page, riverton);

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Status" }).click();
    await page.waitForURL(`${stack.url}/riverton/system/status`);
    const status = page.getByTestId("status-page");
    await status.getByRole("heading", { level: 1, name: "System status" }).waitFor();
    await status.getByText("All systems ready").waitFor();
    for (const database of ["Control database", riverton, cedarValley]) {
      const row = status.getByRole("row", { name: new RegExp(database) });
      expect(await row.count(), database).toBe(1);
      expect(await row.getByRole("cell").first().textContent(), database).toBe("Ready");
    }
    await screenshot(page, "status-wide-light.png");

    await status.getByRole("button", { name: "Refresh" }).click();
    await status.getByRole("button", { name: "Refresh" }).waitFor();
    await status.getByText("All systems ready").waitFor();

    await page.getByRole("radio", { name: "Dark theme" }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
    await screenshot(page, "status-wide-dark.png");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Home" }).click();
    await pageTitle(page, riverton);
    await screenshot(page, "home-wide-dark.png");

    // The choice survives a reload.
    await page.reload();
    await pageTitle(page, riverton);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
  });

  it("opens the navigation drawer from the top bar's menu button on a narrow screen", async () => {
    const page = await openPage({ width: 400, height: 800 });
    await signIn(page);
    await page.goto(`${stack.url}/riverton`);
    await pageTitle(page, riverton);
    expect(await page.getByRole("navigation", { name: "Main" }).count()).toBe(0);

    await page.getByRole("button", { name: "Open navigation" }).click();
    const drawer = page.getByRole("dialog");
    await drawer.waitFor();
    expect(await drawer.getByTestId("tenant-switcher").textContent()).toContain(riverton);
    await screenshot(page, "drawer-narrow-light.png", { fullPage: false });

    await drawer.getByRole("link", { name: "Schools", exact: true }).click();
    await page.waitForURL(`${stack.url}/riverton/education/schools`);
    await drawer.waitFor({ state: "detached" });
    await page.getByRole("rowheader", { name: "Bluff View Elementary" }).waitFor();
  });

  it("sends signed-out visitors, and users whose session ended, to the sign-in page", async () => {
    // Both cases start with the server answering 401, which Chromium reports as a console error.
    const page = await openPage({ width: 1360, height: 900, allow: [unauthorizedLoad] });

    await page.goto(`${stack.url}/riverton/education/schools`);
    // Sent to sign in, and brought back to the page afterwards.
    await page.waitForURL(
      (url) => url.pathname === "/sign-in" && url.searchParams.get("next") === "/riverton/education/schools",
    );
    await page.getByLabel("Password").fill("not the password");
    await page.getByLabel("Email").fill(director);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page
      .getByRole("alert")
      .getByText("That email and password do not match an active account.")
      .waitFor();

    await signIn(page);
    await page.goto(`${stack.url}/riverton/system/status`);
    await page.getByTestId("status-page").waitFor();
    await page.context().clearCookies();
    await page.getByRole("button", { name: "Refresh" }).click();
    await page.waitForURL((url) => url.pathname === "/sign-in" && url.searchParams.get("expired") === "1");
    await page.getByText("Your session has ended. Sign in again.").waitFor();
  });
});
