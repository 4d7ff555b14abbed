import { randomBytes } from "node:crypto";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeScan, browserSuite, failure, focused, toast } from "../support/e2e";

/**
 * The collection page (one page for every object's list) in Chromium against the whole local stack: on a
 * phone the rows come first and the filters wait behind one "Filters" button; a school opens in the
 * inspector sheet from the keyboard and closes with Escape, and is closed and reopened there through the
 * changes its registry entry declares; a new school opens through a checked form; the users list sorts by
 * its column headers, with the sort in the address. Needs `npm run build:client`.
 */

const director = "director@riverton.example.org";
const phone = { width: 390, height: 844 };

const suite = browserSuite("collection");
const { openPage, screenshot } = suite;

const heading = (page: Page, name: string) => page.getByRole("heading", { level: 1, name }).waitFor();

describe("the collection page in the browser", () => {
  it("shows the rows first on a phone, with the filters folded behind one Filters button", async () => {
    const page = await openPage(phone);
    await suite.signIn(page, director);
    await page.goto(`${suite.stack.url}/riverton/projects/issues`);
    await heading(page, "Issues");
    const firstRow = page.locator("tbody tr").first();
    await firstRow.waitFor();

    const toggle = page.getByRole("button", { name: "Filters", exact: true });
    expect(await toggle.getAttribute("aria-expanded")).toBe("false");
    const type = page.getByLabel("Type", { exact: true });
    expect(await type.isVisible()).toBe(false);
    expect(await page.getByRole("button", { name: "Export CSV" }).isVisible()).toBe(false);
    // The search box stays, and the first row is on the first screen.
    expect(await page.getByRole("searchbox", { name: "Search issues" }).isVisible()).toBe(true);
    const box = await firstRow.boundingBox();
    expect(box).not.toBeNull();
    expect((box?.y ?? phone.height) + (box?.height ?? 0)).toBeLessThanOrEqual(phone.height);
    await screenshot(page, "phone-issues", false);
    expect(await axeScan(page)).toEqual([]);

    await toggle.click();
    expect(await toggle.getAttribute("aria-expanded")).toBe("true");
    await type.selectOption("change");
    await page.waitForURL(/type=change/);
    await expect.poll(() => firstRow.textContent()).toContain("Change");
    // One filter is set: the button says so.
    await page.getByRole("button", { name: "Filters 1 set", exact: true }).waitFor();
    await screenshot(page, "phone-issues-filters", false);
    expect(await axeScan(page)).toEqual([]);
  });

  it("opens a school in the inspector from the keyboard, closes it with Escape, and searches by code", async () => {
    const page = await openPage(phone);
    await suite.signIn(page, director);
    await page.goto(`${suite.stack.url}/riverton/education/schools`);
    await heading(page, "Schools");
    const search = page.getByRole("searchbox", { name: "Search schools" });
    expect(await search.getAttribute("placeholder")).toBe("Search by name, code, principal or city");
    const rows = page.locator("tbody tr");
    await rows.first().waitFor();

    await page.locator("main").click({ position: { x: 5, y: 5 } });
    await page.keyboard.press("j");
    await page.keyboard.press("j");
    const second = rows.nth(1);
    const link = second.locator("[data-row-link]");
    await focused(link);
    const name = (await link.textContent()) ?? "";
    const code = (await second.locator("td").first().textContent()) ?? "";
    await page.keyboard.press("Enter");
    const sheet = page.getByRole("dialog", { name });
    await sheet.waitFor();
    await page.waitForURL((url) => url.searchParams.has("open"));
    await sheet.getByText(code, { exact: true }).waitFor();
    await screenshot(page, "phone-school-inspector", false);
    expect(await axeScan(page, ".sheet")).toEqual([]);

    await page.keyboard.press("Escape");
    await sheet.waitFor({ state: "hidden" });
    await page.waitForURL((url) => !url.searchParams.has("open"));
    await focused(link);

    // The search box finds what it says it does: a school by its code.
    await search.fill(code);
    await page.waitForURL((url) => url.searchParams.has("search"));
    await expect.poll(() => page.getByRole("rowheader").allTextContents()).toEqual([name]);
  });

  it("sorts the users by a column header, with the sort in the address, and selects all but oneself", async () => {
    const page = await openPage();
    await suite.signIn(page, director);
    await page.goto(`${suite.stack.url}/riverton/system/users`);
    await heading(page, "Users");
    const table = page.getByRole("table", { name: "Users" });
    const emails = () => table.locator("tbody tr td:nth-of-type(2)").allTextContents();
    await table.locator("tbody tr").first().waitFor();

    await table.getByRole("button", { name: "Email" }).click();
    await page.waitForURL((url) => url.searchParams.get("sort") === "email");
    const header = table.getByRole("columnheader", { name: "Email" });
    await expect.poll(() => header.getAttribute("aria-sort")).toBe("ascending");
    const ascending = await emails();
    expect(ascending).toEqual([...ascending].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));

    await table.getByRole("button", { name: "Email" }).click();
    await page.waitForURL((url) => url.searchParams.get("dir") === "desc");
    await expect.poll(() => header.getAttribute("aria-sort")).toBe("descending");
    await expect.poll(emails).toEqual([...ascending].reverse());

    // Select all: everyone shown but the signed-in user, whose box is disabled.
    const all = table.getByRole("checkbox", { name: "Select all users shown" });
    await all.check();
    const others = (await table.locator("tbody tr").count()) - 1;
    await page
      .getByRole("region", { name: "Selected rows" })
      .getByText(`${others} ${others === 1 ? "user" : "users"} selected`)
      .waitFor();
    expect(
      await table
        .getByRole("row", { name: /Jordan Avery/ })
        .getByRole("checkbox")
        .isDisabled(),
    ).toBe(true);
    expect(await all.evaluate((el) => (el as HTMLInputElement).indeterminate)).toBe(false);
  });

  it("selects every issue shown, and shows some-but-not-all once one is left out", async () => {
    const page = await openPage();
    await suite.signIn(page, director);
    await page.goto(`${suite.stack.url}/riverton/projects/issues?type=incident`);
    const rows = page.locator("tbody tr");
    await rows.first().waitFor();
    const all = page.getByRole("checkbox", { name: "Select all issues shown" });
    const indeterminate = () => all.evaluate((el) => (el as HTMLInputElement).indeterminate);
    const bar = page.getByRole("region", { name: "Selected rows" });
    const shown = await rows.count();
    expect(shown).toBeGreaterThan(2);

    await all.check();
    await bar.getByText(`${shown} issues selected`).waitFor();
    expect(await indeterminate()).toBe(false);
    await rows.first().getByRole("checkbox").uncheck();
    await bar.getByText(`${shown - 1} issues selected`).waitFor();
    expect(await indeterminate()).toBe(true);
    expect(await all.isChecked()).toBe(false);

    // Other filters, other rows: the selection does not follow.
    await page.getByLabel("Type", { exact: true }).selectOption("change");
    await page.waitForURL(/type=change/);
    await bar.waitFor({ state: "detached" });
    expect(await indeterminate()).toBe(false);
  });

  it("closes a school from its inspector for a reason and reopens it, as its lifecycle offers", async () => {
    const page = await openPage();
    await suite.signIn(page, director);
    await page.goto(`${suite.stack.url}/riverton/education/schools`);
    await page.locator('tbody tr[data-status="open"]').first().waitFor();
    const key = await page.locator('tbody tr[data-status="open"]').first().getAttribute("data-row-key");
    const row = page.locator(`tbody tr[data-row-key="${key}"]`);
    const link = row.locator("[data-row-link]");
    const name = (await link.textContent()) ?? "";
    await link.click();
    const sheet = page.getByRole("dialog", { name });
    const changes = sheet.getByRole("group", { name: "Change this school" });
    // Only the change its state allows.
    expect(await changes.getByRole("button").allTextContents()).toEqual(["Close school"]);

    await changes.getByRole("button", { name: "Close school" }).click();
    const closing = page.getByRole("dialog", { name: `Close school: ${name}` });
    expect(await closing.getByLabel("Closes on").inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // A reason of blanks is no reason: said beside the field, nothing sent.
    await closing.getByLabel("Why").fill("   ");
    await closing.locator('button[type="submit"]').click();
    await closing.getByText("Say why, for the record.").waitFor();
    expect(await axeScan(page, ".dialog")).toEqual([]);
    await closing.getByLabel("Why").fill("Merged into the new middle school building.");
    await closing.locator('button[type="submit"]').click();
    await toast(page, "School closed");
    await closing.waitFor({ state: "hidden" });
    await sheet.getByText("Closed", { exact: true }).first().waitFor();
    await expect.poll(() => changes.getByRole("button").allTextContents()).toEqual(["Reopen school"]);

    await changes.getByRole("button", { name: "Reopen school" }).click();
    const reopening = page.getByRole("dialog", { name: `Reopen school: ${name}` });
    await reopening.getByLabel("Why").fill("The merger was called off.");
    await reopening.locator('button[type="submit"]').click();
    await toast(page, "School reopened");
    await expect.poll(() => changes.getByRole("button").allTextContents()).toEqual(["Close school"]);
    expect(await row.getAttribute("data-status")).toBe("open");
    await sheet.getByRole("button", { name: "Close", exact: true }).click();
    await sheet.waitFor({ state: "hidden" });
    await page.waitForURL((url) => !url.searchParams.has("open"));
  });

  it("opens a new school through its form, and says beside the field when the building code is taken", async () => {
    // The second opening with the same building code is refused.
    const page = await openPage({ failures: [failure("POST", "/trpc/education.schools.open", 409)] });
    await suite.signIn(page, director);
    await page.goto(`${suite.stack.url}/riverton/education/schools`);
    await heading(page, "Schools");
    const code = `T-${randomBytes(2).toString("hex")}`;
    const openOne = async (name: string) => {
      await page.getByRole("button", { name: "Open a school" }).click();
      const dialog = page.getByRole("dialog", { name: "Open a school" });
      await dialog.getByLabel("Name").fill(name);
      await dialog.getByLabel("Building code").fill(code);
      await dialog.getByLabel("Level").selectOption("middle");
      await dialog.getByLabel("Lowest grade").selectOption("6");
      await dialog.getByLabel("Highest grade").selectOption("8");
      await dialog.getByLabel("City").fill("Riverton");
      await dialog.getByRole("button", { name: "Open school" }).click();
      return dialog;
    };

    const first = await openOne("Riverside Middle School");
    await toast(page, "School opened");
    await first.waitFor({ state: "hidden" });
    await page.getByRole("searchbox", { name: "Search schools" }).fill(code);
    await page.getByRole("rowheader", { name: "Riverside Middle School" }).waitFor();
    expect(await page.getByRole("row", { name: /Riverside Middle School/ }).textContent()).toContain("6–8");

    const second = await openOne("Riverside Middle School Annex");
    const codeField = second.getByLabel("Building code");
    await second.getByText(`A school with building code ${code} already exists.`).waitFor();
    expect(await codeField.getAttribute("aria-invalid")).toBe("true");
    expect(await axeScan(page, ".dialog")).toEqual([]);
  });
});
