import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { type RunningStack, startStack } from "../../scripts/lib/stack";
import { launchBrowser } from "./browser";

const root = resolve(import.meta.dirname, "../..");
export const screenshots = resolve(root, ".tmp/screenshots");

/**
 * A request a test provokes to fail: its method, its path (without the query string) and the status it is
 * answered with. Each one declared must happen, and allows exactly one such response (and the console error
 * Chromium prints for it); any other error status fails the test.
 */
export interface ExpectedFailure {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  status: number;
}

export const failure = (
  method: ExpectedFailure["method"],
  path: string,
  status: number,
): ExpectedFailure => ({ method, path, status });

const describeFailure = (f: { method: string; path: string; status: number }) =>
  `${f.method} ${f.path} → ${f.status}`;

/** How Chromium reports a response with an error status on the console. */
const failedLoadMessage = /^Failed to load resource: the server responded with a status of (\d+)/;

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe in the page (or in the element `context` selects); answers its serious and critical violations. */
export async function axeScan(page: Page, context?: string): Promise<string[]> {
  // Evaluated rather than added as a <script>: the Content-Security-Policy (script-src 'self') refuses inline
  // scripts, as it should, and the tests keep it on.
  await page.evaluate(axeSource);
  const violations = (await page.evaluate(async (selector) => {
    const axe = (
      window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<{ violations: unknown[] }> } }
    ).axe;
    const result = await axe.run(selector ? { include: [selector] } : document, {
      resultTypes: ["violations"],
    });
    return result.violations;
  }, context ?? null)) as AxeViolation[];
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) => v.nodes.map((n) => `${v.impact} ${v.id}: ${v.help} — ${n.target.join(" ")}`));
}

/** Waits for a notice (toast) with this title. Radix also copies toasts into a live region: match the toast. */
export async function toast(page: Page, title: string | RegExp): Promise<void> {
  await page.locator(".toast-title", { hasText: title }).first().waitFor();
}

/** Waits until the element has the keyboard focus. */
export async function focused(locator: Locator): Promise<void> {
  await expect.poll(() => locator.evaluate((el) => el === document.activeElement)).toBe(true);
}

export interface PageOptions {
  width?: number;
  height?: number;
  /** The requests this page is expected to see fail (see ExpectedFailure); any other failure fails the test. */
  failures?: ExpectedFailure[];
  colorScheme?: "light" | "dark";
}

/**
 * The harness of a browser-test file: the whole local stack (sqld, seeded demo data, wrangler dev serving the
 * built client) and Debian's Chromium, started once for the file; every page's console errors, uncaught
 * exceptions and responses with an error status fail the test that caused them, but for the exact requests
 * the test declared it expects to fail. Call at the top level of the file.
 */
export function browserSuite(name: string, defaults: { width?: number; height?: number } = {}) {
  const password = randomBytes(18).toString("base64url");
  const contexts: BrowserContext[] = [];
  let pageErrors: string[] = [];
  let expectedFailures: ExpectedFailure[] = [];
  let failedResponses: { method: string; path: string; url: string; status: number }[] = [];
  let failedLoads: { url: string; status: number; text: string }[] = [];
  let stack: RunningStack | undefined;
  let browser: Browser | undefined;
  let dataDir: string | undefined;

  beforeAll(async () => {
    if (!existsSync(resolve(root, "client/dist/index.html"))) {
      throw new Error("client/dist is missing: run `npm run build:client` before the browser tests.");
    }
    mkdirSync(screenshots, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), `nexus-e2e-${name}-`));
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
    const errors = [...pageErrors, ...unexplainedFailures(expectedFailures, failedResponses, failedLoads)];
    pageErrors = [];
    expectedFailures = [];
    failedResponses = [];
    failedLoads = [];
    expect(errors, "console errors, uncaught errors or failed requests in the page").toEqual([]);
  });

  const suite = {
    password,
    /** A scratch folder of the file's own (removed afterwards). */
    get dataDir(): string {
      if (!dataDir) throw new Error("the stack is not started yet");
      return dataDir;
    },
    get stack(): RunningStack {
      if (!stack) throw new Error("the stack is not started yet");
      return stack;
    },
    get browser(): Browser {
      if (!browser) throw new Error("the browser is not started yet");
      return browser;
    },
    /**
     * Fails the test on the page's console errors, uncaught exceptions and responses with an error status,
     * but for the `failures` declared here (each allowing one response, see ExpectedFailure).
     */
    watch(page: Page, failures: ExpectedFailure[] = []): Page {
      expectedFailures.push(...failures);
      page.on("response", (response) => {
        if (response.status() < 400) return;
        const url = response.url();
        failedResponses.push({
          method: response.request().method(),
          path: new URL(url).pathname,
          url,
          status: response.status(),
        });
      });
      page.on("console", (message) => {
        if (message.type() !== "error") return;
        const text = message.text();
        const failed = failedLoadMessage.exec(text);
        if (failed) failedLoads.push({ url: message.location().url, status: Number(failed[1]), text });
        else pageErrors.push(`console.error: ${text}`);
      });
      page.on("pageerror", (error) => pageErrors.push(`uncaught: ${error.message}`));
      return page;
    },
    /** Signs in with the demo password (or `secret`) and waits to leave the sign-in page. */
    async signIn(page: Page, email: string, secret = password): Promise<void> {
      await page.goto(`${suite.stack.url}/sign-in`);
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(secret);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((url) => url.pathname !== "/sign-in");
    },
    /** A fresh browser profile, closed after the test. */
    async openPage(options: PageOptions = {}): Promise<Page> {
      const context = await suite.browser.newContext({
        viewport: {
          width: options.width ?? defaults.width ?? 1360,
          height: options.height ?? defaults.height ?? 900,
        },
        colorScheme: options.colorScheme ?? "light",
      });
      contexts.push(context);
      return suite.watch(await context.newPage(), options.failures ?? []);
    },
    /** For looking at: into .tmp/screenshots/<name>-<shot>.png, with no hover state and animations finished. */
    async screenshot(page: Page, shot: string, fullPage = true): Promise<void> {
      await page.mouse.move(0, 0);
      await page.screenshot({
        path: join(screenshots, `${name}-${shot}.png`),
        fullPage,
        animations: "disabled",
      });
    },
  };
  return suite;
}

/**
 * What the expected failures do not explain: each failed response must match an expected failure not used
 * yet (method, path, status), each expected failure must have happened, and each "Failed to load resource"
 * console error must belong to one of the failed responses (whose own verdict then stands).
 */
export function unexplainedFailures(
  expected: readonly ExpectedFailure[],
  responses: readonly { method: string; path: string; url: string; status: number }[],
  loads: readonly { url: string; status: number; text: string }[],
): string[] {
  const problems: string[] = [];
  const unused = [...expected];
  for (const response of responses) {
    const at = unused.findIndex(
      (f) => f.method === response.method && f.path === response.path && f.status === response.status,
    );
    if (at >= 0) unused.splice(at, 1);
    else problems.push(`unexpected failed request: ${describeFailure(response)}`);
  }
  for (const missing of unused) problems.push(`expected to fail, but did not: ${describeFailure(missing)}`);
  const reported = [...responses];
  for (const load of loads) {
    const at = reported.findIndex((r) => r.url === load.url && r.status === load.status);
    if (at >= 0) reported.splice(at, 1);
    else problems.push(`console.error: ${load.text} (${load.url})`);
  }
  return problems;
}
