import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeScan, browserSuite, failure, toast } from "../support/e2e";

/**
 * The service levels screen in Chromium against the whole local stack: a district owner sets school hours,
 * a holiday and a target, saves, reloads and finds them kept; a technician (member) may look but not
 * change. Axe scans the page. Needs `npm run build:client`.
 */

const director = "director@riverton.example.org";
const technician = "tech@riverton.example.org";

const suite = browserSuite("service-levels", { width: 1440 });
const { openPage, screenshot } = suite;

/** A day no demo district has as a holiday (they are given Thanksgiving and the Friday after). */
const holiday = "2031-03-17";

/** The day as the page writes it (in the browser's own locale, as the page does). */
const shownDate = (page: Page, day: string) =>
  page.evaluate(
    (d) =>
      new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" }).format(
        new Date(`${d}T00:00:00Z`),
      ),
    day,
  );

async function openServiceLevels(page: Page) {
  await page.goto(`${suite.stack.url}/riverton/projects/service-levels`);
  await page.getByRole("heading", { level: 1, name: "Service levels" }).waitFor();
}

describe("Service levels in the browser", () => {
  it("lets an administrator change the hours, a holiday and a target, and keeps them after a reload", async () => {
    // The day ending before it starts is refused by the server (400), which Chromium reports.
    const page = await openPage({
      failures: [failure("POST", "/trpc/projects.serviceLevels.update", 400)],
    });
    await suite.signIn(page, director);
    await page.goto(`${suite.stack.url}/riverton/projects`);
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Service levels" })
      .click();
    await page.getByRole("heading", { level: 1, name: "Service levels" }).waitFor();
    expect(await axeScan(page)).toEqual([]);

    await page.getByLabel("Time zone").selectOption("America/Chicago");
    await page.getByLabel("Day starts").fill("07:30");
    await page.getByLabel("Day ends").fill("06:00");
    await page.getByRole("button", { name: "Save service levels" }).click();
    await page.getByText("The day must end after it starts.").waitFor();

    await page.getByLabel("Day ends").fill("15:30");
    const days = page.getByRole("group", { name: "Working days" });
    for (const day of ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]) {
      await days.getByLabel(day).check();
    }
    await days.getByLabel("Saturday").uncheck();
    await days.getByLabel("Sunday").uncheck();
    const holidays = page.getByRole("list", { name: "Holidays" }).getByRole("listitem");
    const seeded = await holidays.allTextContents();
    const added = await shownDate(page, holiday);
    // The district's own holidays are listed; the one added here is not among them.
    expect(seeded.length).toBeGreaterThan(0);
    expect(seeded).not.toContain(added);
    await page.getByLabel("Add a holiday").fill(holiday);
    await page.getByRole("button", { name: "Add holiday" }).click();
    await page.getByRole("button", { name: `Remove ${added}` }).waitFor();
    expect(await holidays.allTextContents()).toEqual(expect.arrayContaining([...seeded, added]));
    expect(await holidays.count()).toBe(seeded.length + 1);
    await page.getByLabel("High response hours").fill("2");
    await page.getByLabel("High response minutes").fill("30");
    await page.getByLabel("High clock").selectOption("business");
    await page.getByLabel("Critical clock").selectOption("always");
    await page.getByText(/A high issue filed now is due for a response by/).waitFor();
    await page.getByRole("button", { name: "Save service levels" }).click();
    await toast(page, "Service levels saved");

    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Service levels" }).waitFor();
    expect(await page.getByLabel("Time zone").inputValue()).toBe("America/Chicago");
    expect(await page.getByLabel("Day starts").inputValue()).toBe("07:30");
    expect(await page.getByLabel("Day ends").inputValue()).toBe("15:30");
    expect(await days.getByLabel("Friday").isChecked()).toBe(true);
    expect(await days.getByLabel("Saturday").isChecked()).toBe(false);
    expect(await page.getByLabel("High response hours").inputValue()).toBe("2");
    expect(await page.getByLabel("High response minutes").inputValue()).toBe("30");
    expect(await page.getByLabel("High clock").inputValue()).toBe("business");
    await page.getByRole("button", { name: `Remove ${added}` }).waitFor();
    expect(await holidays.allTextContents()).toEqual(expect.arrayContaining([...seeded, added]));
    expect(await holidays.count()).toBe(seeded.length + 1);
    expect(await page.getByRole("button", { name: "Save service levels" }).isDisabled()).toBe(true);
    expect(await axeScan(page)).toEqual([]);
    await screenshot(page, "administrator");
  });

  it("shows a technician the service levels read-only, without offering them in navigation", async () => {
    const page = await openPage();
    await suite.signIn(page, technician);
    await page.goto(`${suite.stack.url}/riverton/projects`);
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Issues" }).waitFor();
    expect(await nav.getByRole("link", { name: "Service levels" }).count()).toBe(0);
    await openServiceLevels(page);
    await page.getByText("Only project administrators can change them.").waitFor();
    expect(await page.getByLabel("Day starts").isDisabled()).toBe(true);
    expect(await page.getByLabel("High clock").isDisabled()).toBe(true);
    expect(await page.getByRole("button", { name: "Save service levels" }).count()).toBe(0);
    expect(await axeScan(page)).toEqual([]);
    await screenshot(page, "read-only");
  });
});
