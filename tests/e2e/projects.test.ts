import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeScan, browserSuite, failure, focused, toast } from "../support/e2e";

/**
 * The Projects package in Chromium against the whole local stack (sqld, the seeded districts with their demo
 * issues, wrangler dev serving the built client): filing an incident and working it to resolution through
 * the workflow buttons, the keyboard flow of the list, the global search, the notification centre, and an
 * accessibility scan (axe) of the landing page, the list, the detail and the inspector sheet. Needs
 * `npm run build:client`.
 */

const director = "director@riverton.example.org";
const technician = "tech@riverton.example.org";

const suite = browserSuite("projects", { width: 1440 });
const { openPage, screenshot } = suite;

/** A word no demo issue has, so the search finds only the incident filed here. */
const marker = `projector${randomBytes(3).toString("hex")}`;
const title = `Gym ${marker} flickers during assemblies`;

/** Signs in (as the director unless told otherwise). */
const signIn = (page: Page, email = director) => suite.signIn(page, email);

describe("Projects in the browser", () => {
  it("files an incident, comments, attaches a file, links it and resolves it through the workflow", async () => {
    const page = await openPage();
    await signIn(page);
    await page.goto(`${suite.stack.url}/riverton/projects`);
    await page.getByRole("heading", { level: 1, name: "Projects" }).waitFor();
    await page.getByRole("heading", { name: /Open issues: \d+/ }).waitFor();
    await screenshot(page, "landing", true);

    await page.getByRole("button", { name: "New incident" }).click();
    const dialog = page.getByRole("dialog", { name: "New issue" });
    await dialog.getByLabel("Title").fill(title);
    await dialog.getByLabel("Description").fill("The projector in the gym flickers and then goes dark.");
    await dialog.getByLabel("Impact").selectOption("high");
    await dialog.getByLabel("Urgency").selectOption("high");
    await dialog.getByText("Critical", { exact: true }).waitFor();
    await screenshot(page, "create");
    await dialog.getByRole("button", { name: "File incident" }).click();
    await page.waitForURL(/\/riverton\/projects\/issues\/[^/]+$/);
    const detail = page.locator("article.issue-detail");
    await detail.getByRole("heading", { name: title }).waitFor();
    await detail.getByText("Critical priority").waitFor();
    await detail.getByText("New", { exact: true }).waitFor();
    const issueUrl = page.url();

    // A comment appears at once, and stays once the server has it.
    await detail.getByLabel("Add a comment").fill("Replaced the HDMI cable; watching it for a day.");
    await detail.getByRole("button", { name: "Comment" }).click();
    await detail.locator(".comment", { hasText: "Replaced the HDMI cable" }).waitFor();
    await expect.poll(() => detail.locator('.comment[data-pending="true"]').count()).toBe(0);

    // A file, through the attachments endpoint.
    await detail.getByRole("tab", { name: "Attachments" }).click();
    const log = join(suite.dataDir, "projector.log");
    writeFileSync(log, "12:01 signal lost\n12:02 signal restored\n");
    await detail.locator('input[type="file"]').setInputFiles(log);
    await toast(page, "File attached");
    const download = detail.getByRole("link", { name: "projector.log" });
    await download.waitFor();
    const href = await download.getAttribute("href");
    const fetched = await page.evaluate(async (url) => (await fetch(url ?? "")).text(), href);
    expect(fetched).toContain("signal lost");
    // A type issues do not accept is refused before it is sent, and said.
    const bad = join(suite.dataDir, "tool.exe");
    writeFileSync(bad, "MZ");
    await detail.locator('input[type="file"]').setInputFiles(bad);
    await detail.getByText(/this type of file cannot be attached/).waitFor();

    // A link to another issue, found by words of its title.
    await detail.getByRole("tab", { name: "Links" }).click();
    await detail.getByLabel("Kind").selectOption("caused_by");
    await detail.getByLabel("Find an issue").fill("printer");
    const target = detail.getByLabel("Issue to link");
    await expect.poll(() => target.isEnabled()).toBe(true);
    await detail.getByRole("button", { name: "Add link" }).click();
    await toast(page, "Link added");
    await detail.locator(".issue-link", { hasText: "Caused by" }).waitFor();

    // Filing and commenting made the user a watcher; Watch toggles at once.
    await detail.getByRole("button", { name: /^Unwatch/ }).click();
    await detail.getByRole("button", { name: /^Watch/ }).click();
    await detail.getByRole("button", { name: /^Unwatch/ }).waitFor();

    // Only the transitions the workflow allows are offered; working it to resolved.
    const moveTo = detail.getByRole("group", { name: "Move to" });
    await expect.poll(() => moveTo.getByRole("button").allTextContents()).toEqual(["Triaged"]);
    for (const step of ["Triaged", "In progress", "Resolved"]) {
      await moveTo.getByRole("button", { name: step, exact: true }).click();
      await toast(page, new RegExp(`is now ${step}`));
    }
    await detail.locator(".badge", { hasText: /^Resolved$/ }).waitFor();
    await expect.poll(() => moveTo.getByRole("button").allTextContents()).toEqual(["Closed", "In progress"]);

    await detail.getByRole("tab", { name: "Activity" }).click();
    await detail.locator(".activity", { hasText: "changed status" }).first().waitFor();
    await screenshot(page, "detail-resolved");

    // The address opens the same issue.
    await page.goto(issueUrl);
    await page.locator("article.issue-detail").getByRole("heading", { name: title }).waitFor();
  });

  it("keeps the user's edits when someone else changed the issue meanwhile", async () => {
    // The save on the stale version answers 409, which Chromium reports.
    const page = await openPage({ failures: [failure("POST", "/trpc/projects.issues.update", 409)] });
    await signIn(page);
    await page.goto(`${suite.stack.url}/riverton/projects/issues?type=known_problem`);
    const first = page.locator("tbody [data-row-link]").first();
    await first.click();
    const detail = page.locator("article.issue-detail");
    await detail.waitFor();
    await detail.getByRole("button", { name: "Edit" }).click();
    const sheet = page.getByRole("dialog", { name: /^Edit / });
    await sheet.getByLabel("Workaround").fill("Restart the print spooler.");

    // Someone else saves a change first (same user, another tab: the version moves on).
    const other = await page.context().newPage();
    await other.goto(page.url());
    await other.locator("article.issue-detail").getByRole("button", { name: "Edit" }).click();
    const otherSheet = other.getByRole("dialog", { name: /^Edit / });
    await otherSheet.getByLabel("Cause").fill("A driver update.");
    await otherSheet.getByRole("button", { name: "Save changes" }).click();
    await otherSheet.waitFor({ state: "hidden" });
    await other.close();

    await sheet.getByRole("button", { name: "Save changes" }).click();
    await sheet.getByText("This issue was changed by someone else.").waitFor();
    expect(await sheet.getByLabel("Workaround").inputValue()).toBe("Restart the print spooler.");
    await screenshot(page, "sheet-conflict");
    await sheet.getByRole("button", { name: "Reload" }).click();
    await sheet.getByRole("button", { name: "Save changes" }).click();
    await sheet.waitFor({ state: "hidden" });
    await detail.getByText("Restart the print spooler.").waitFor();
    await detail.getByText("A driver update.").waitFor();
  }, 60_000);

  it("moves through the list with the keyboard: j/k, Enter, Escape, / and n", async () => {
    const page = await openPage();
    await signIn(page);
    await page.goto(`${suite.stack.url}/riverton/projects/issues?type=incident`);
    await page.getByRole("heading", { level: 1, name: "Issues" }).waitFor();
    await page.locator("tbody tr").first().waitFor();
    await page.locator("main").click({ position: { x: 5, y: 5 } });

    await page.keyboard.press("j");
    await page.keyboard.press("j");
    const second = page.locator("tbody tr").nth(1);
    await focused(second.locator("[data-row-link]"));
    await page.keyboard.press("k");
    await focused(page.locator("tbody tr").first().locator("[data-row-link]"));
    await page.keyboard.press("ArrowDown");
    await focused(second.locator("[data-row-link]"));
    const key = await second.getAttribute("data-row-key");
    await page.keyboard.press("Enter");
    await page.waitForURL(new RegExp(`/issues/${key}\\?type=incident$`));
    await expect.poll(() => second.getAttribute("aria-current")).toBe("true");
    await page.locator("article.issue-detail").waitFor();
    await screenshot(page, "list-detail");

    await page.keyboard.press("Escape");
    await page.waitForURL(/\/issues\?type=incident$/);
    await focused(second.locator("[data-row-link]"));

    await page.keyboard.press("/");
    await focused(page.getByLabel("Search issues"));
    await page.keyboard.press("Escape");
    await page.locator("main").click({ position: { x: 5, y: 5 } });
    await page.keyboard.press("n");
    await page.getByRole("dialog", { name: "New issue" }).waitFor();
    await page.keyboard.press("Escape");
    await page.getByRole("dialog", { name: "New issue" }).waitFor({ state: "hidden" });

    // Filters live in the address.
    await page.getByLabel("Type", { exact: true }).selectOption("change");
    await page.waitForURL(/type=change/);
    await expect.poll(() => page.locator("tbody tr").first().textContent()).toContain("Change");
  });

  it("acts on several issues at once, exports the list and saves the filters", async () => {
    const page = await openPage();
    await signIn(page);
    await page.goto(`${suite.stack.url}/riverton/projects/issues?type=service_request`);
    await page.locator("tbody tr").first().waitFor();
    const rows = page.locator("tbody tr");
    await rows.nth(0).getByRole("checkbox").check();
    await rows.nth(1).getByRole("checkbox").check();
    const bar = page.getByRole("region", { name: "Selected" });
    await bar.getByText("2 issues selected").waitFor();
    await bar.getByRole("button", { name: "Assign to me" }).click();
    const results = page.getByRole("dialog", { name: "Assign to me: results" });
    await results.getByText("2 of 2 issues changed.").waitFor();
    await screenshot(page, "bulk-results");
    await results.getByRole("button", { name: "Done" }).click();

    // The list's filters can be remembered and applied again.
    await page.getByLabel("Assignee").selectOption("me");
    await page.waitForURL(/assignee=me/);
    await page.getByRole("button", { name: "Saved filters" }).click();
    await page.getByRole("menuitem", { name: "Save the current filters…" }).click();
    const save = page.getByRole("dialog", { name: "Save these filters" });
    await save.getByLabel("Name").fill("My service requests");
    await save.getByRole("button", { name: "Save" }).click();
    await toast(page, "Filters saved");
    await page.getByRole("button", { name: "Clear filters" }).click();
    await page.waitForURL((url) => !url.search.includes("assignee"));
    await page.getByRole("button", { name: "Saved filters" }).click();
    await page.getByRole("menuitem", { name: "My service requests" }).click();
    await page.waitForURL(/assignee=me/);
    expect(page.url()).toContain("type=service_request");

    const downloading = page.waitForEvent("download");
    await page.getByRole("button", { name: "Export CSV" }).click();
    const file = await downloading;
    expect(file.suggestedFilename()).toMatch(/\.csv$/);
    const csv = readFileSync((await file.path()) ?? "", "utf8");
    expect(csv.split("\n")[0]).toMatch(/key|number/i);
    await toast(page, "Export ready");
  });

  it("assigns with the people picker from the keyboard, in the sheet and in bulk, and names the assignee", async () => {
    const page = await openPage();
    await signIn(page);
    await page.goto(`${suite.stack.url}/riverton/projects/issues?type=repair`);
    await page.locator("tbody [data-row-link]").first().click();
    const detail = page.locator("article.issue-detail");
    await detail.waitFor();
    await detail.getByRole("button", { name: "Edit" }).click();
    const sheet = page.getByRole("dialog", { name: /^Edit / });
    await sheet.getByRole("button", { name: /^Assignee:/ }).focus();
    await page.keyboard.press("Enter");
    const find = page.getByRole("combobox", { name: /Find a person or group/ });
    await expect.poll(() => find.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type("Sam");
    await page.getByRole("option", { name: /Sam Delgado/ }).waitFor();
    await expect
      .poll(() => page.getByRole("listbox", { name: "Assignee", exact: true }).getByRole("option").count())
      .toBe(1);
    await page.keyboard.press("Enter");
    await sheet.getByRole("button", { name: "Assignee: Sam Delgado" }).waitFor();
    await sheet.getByRole("button", { name: "Save changes" }).click();
    await sheet.waitFor({ state: "hidden" });
    await detail.locator(".detail-field", { hasText: "Assignee" }).getByText("Sam Delgado").waitFor();

    const rows = page.locator("tbody tr");
    await rows.nth(0).getByRole("checkbox").check();
    const bar = page.getByRole("region", { name: "Selected" });
    await bar.getByRole("button", { name: "Assign to…" }).click();
    await expect.poll(() => find.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type("Jordan");
    const choices = page.getByRole("listbox", { name: "Assign to", exact: true }).getByRole("option");
    await expect.poll(() => choices.allTextContents()).toEqual(["Jordan Averydirector@riverton.example.org"]);
    await page.keyboard.press("Enter");
    const results = page.getByRole("dialog", { name: "Assign to Jordan Avery: results" });
    await results.getByText("1 of 1 issues changed.").waitFor();
    await results.getByRole("button", { name: "Done" }).click();
  });

  it("finds the incident with the global search (Ctrl+K)", async () => {
    const page = await openPage();
    await signIn(page);
    await page.goto(`${suite.stack.url}/riverton/projects`);
    await page.getByRole("heading", { level: 1, name: "Projects" }).waitFor();
    await page.keyboard.press("Control+k");
    const search = page.getByRole("dialog", { name: "Search Nexus" });
    await search.getByLabel("Search everything in this organization").fill(marker);
    const hit = search.locator("a[data-hit]", { hasText: title });
    await hit.waitFor();
    await search.getByRole("heading", { name: "Issues" }).waitFor();
    await screenshot(page, "search");
    await page.keyboard.press("ArrowDown");
    await focused(hit);
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/riverton\/projects\/issues\/[^/]+$/);
    await page.locator("article.issue-detail").getByRole("heading", { name: title }).waitFor();
  });

  it("notifies a mentioned colleague, who opens the issue from the notification centre", async () => {
    const page = await openPage();
    await signIn(page);
    await page.goto(`${suite.stack.url}/riverton/projects/issues?type=incident`);
    await page.locator("tbody [data-row-link]").first().click();
    const detail = page.locator("article.issue-detail");
    await detail.waitFor();
    const issueTitle = (await detail.getByRole("heading", { level: 2 }).textContent()) ?? "";
    await detail.getByLabel("Add a comment").fill("@tech@riverton.example.org can you take a look today?");
    await detail.getByRole("button", { name: "Comment" }).click();
    await detail.locator(".comment", { hasText: "can you take a look today?" }).waitFor();
    await expect.poll(() => detail.locator('.comment[data-pending="true"]').count()).toBe(0);

    const colleague = await openPage();
    await signIn(colleague, technician);
    await colleague.goto(`${suite.stack.url}/riverton/projects`);
    const bell = colleague.getByRole("button", { name: /^Notifications, \d+ unread$/ });
    await bell.waitFor();
    await bell.click();
    const panel = colleague.getByRole("dialog", { name: "Notifications" });
    const mention = panel.locator('.notification[data-unread="true"]', { hasText: "mentioned you" }).first();
    await mention.waitFor();
    await screenshot(colleague, "notifications");
    await mention.getByRole("link").click();
    await colleague.waitForURL(/\/riverton\/projects\/issues\/[^/]+$/);
    await colleague.locator("article.issue-detail").getByRole("heading", { name: issueTitle }).waitFor();
    await colleague.getByRole("button", { name: /^Notifications/ }).click();
    await expect
      .poll(() =>
        colleague.locator(".notification", { hasText: "mentioned you" }).first().getAttribute("data-unread"),
      )
      .toBe(null);
  });

  it("has no serious or critical accessibility violations on the landing page, list, detail, sheet and picker", async () => {
    const page = await openPage();
    await signIn(page);
    const found: Record<string, string[]> = {};

    await page.goto(`${suite.stack.url}/riverton/projects`);
    await page.getByRole("heading", { name: /Open issues: \d+/ }).waitFor();
    await page.locator(".recent").first().waitFor();
    found.landing = await axeScan(page);

    await page.goto(`${suite.stack.url}/riverton/projects/issues?type=incident`);
    await page.locator("tbody tr").first().waitFor();
    found.list = await axeScan(page);

    await page.locator("tbody [data-row-link]").first().click();
    const detail = page.locator("article.issue-detail");
    await detail.waitFor();
    await detail.locator(".comment, .empty-state").first().waitFor();
    found.detail = await axeScan(page);

    await detail.getByRole("button", { name: "Edit" }).click();
    await page.getByRole("dialog", { name: /^Edit / }).waitFor();
    found.sheet = await axeScan(page, ".sheet");
    await screenshot(page, "sheet");
    await page.getByRole("button", { name: /^Assignee:/ }).click();
    await page.getByRole("listbox", { name: "Assignee", exact: true }).getByRole("option").first().waitFor();
    found.picker = await axeScan(page, ".popover");
    await page.keyboard.press("Escape");

    await page.setViewportSize({ width: 420, height: 860 });
    await page.keyboard.press("Escape");
    await screenshot(page, "narrow-detail");

    // The dark theme too: the open issue beside the list.
    const dark = await openPage({ colorScheme: "dark" });
    await signIn(dark);
    await dark.goto(`${suite.stack.url}/riverton/projects/issues?type=incident`);
    await dark.locator("tbody [data-row-link]").first().click();
    await dark.locator("article.issue-detail").waitFor();
    found.dark = await axeScan(dark);
    await screenshot(dark, "dark-detail");

    expect(found).toEqual({ landing: [], list: [], detail: [], sheet: [], picker: [], dark: [] });
  });
});
