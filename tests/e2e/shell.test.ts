import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserSuite, failure } from "../support/e2e";

/**
 * The application shell in Chromium against the whole local stack (sqld, two seeded districts, wrangler dev
 * serving the built client). Needs `npm run build:client` first (`npm test` runs it).
 */

const director = "director@riverton.example.org";
const riverton = "Riverton R-IV School District";
const cedarValley = "Cedar Valley R-II School District";

const suite = browserSuite("shell");
const { openPage, screenshot } = suite;

const signIn = (page: Page, email = director) => suite.signIn(page, email);

async function pageTitle(page: Page, name: string): Promise<void> {
  await page.getByRole("heading", { level: 1, name }).waitFor();
}

describe("the application shell", () => {
  it("signs a director in, switches from Riverton to Cedar Valley, and shows only Cedar Valley's schools", async () => {
    const page = await openPage({ width: 1360, height: 900 });
    await signIn(page);

    await page.goto(`${suite.stack.url}/riverton`);
    await pageTitle(page, riverton);
    expect(await page.getByTestId("tenant-switcher").textContent()).toContain(riverton);
    const nav = page.getByRole("navigation", { name: "Main" });
    expect(await nav.getByRole("link", { name: "Education" }).count()).toBe(1);
    expect(await nav.getByRole("link", { name: /^Calendars\s*soon$/ }).count()).toBe(1);
    await page.getByRole("heading", { name: "Recent job runs" }).waitFor();
    await screenshot(page, "home-wide-light");

    await nav.getByRole("link", { name: "Schools", exact: true }).click();
    await page.waitForURL(`${suite.stack.url}/riverton/education/schools`);
    await page.getByRole("rowheader", { name: "Bluff View Elementary" }).waitFor();
    const rivertonSchools = await page.getByRole("rowheader").allTextContents();
    expect(rivertonSchools).toHaveLength(8);

    await page.getByTestId("tenant-switcher").click();
    await page.getByRole("menuitem", { name: cedarValley }).click();
    await page.waitForURL(`${suite.stack.url}/cedar-valley/education/schools`);
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

  it("shows a district's director readiness as counts, and a Global administrator every organization's database", async () => {
    const page = await openPage({ width: 1360, height: 900 });
    await signIn(page);
    await page.goto(`${suite.stack.url}/riverton`);
    await pageTitle(page, riverton);

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Status" }).click();
    await page.waitForURL(`${suite.stack.url}/riverton/system/status`);
    const status = page.getByTestId("status-page");
    await status.getByRole("heading", { level: 1, name: "System status" }).waitFor();
    await status.getByText("All systems ready").waitFor();
    const table = status.getByRole("table", { name: "Databases" });
    for (const database of ["Control database", "Organizations' databases"]) {
      const row = table.getByRole("row", { name: new RegExp(database) });
      expect(await row.count(), database).toBe(1);
      expect(await row.getByRole("cell").first().textContent(), database).toBe("Ready");
    }
    await screenshot(page, "status-wide-light");
    // Three organizations (the two districts and Global), all ready — and none of them named.
    expect(
      await table
        .getByRole("row", { name: /Organizations' databases/ })
        .getByRole("cell")
        .nth(1)
        .textContent(),
    ).toBe("3 of 3");
    for (const name of [riverton, cedarValley, "riverton", "cedar-valley"])
      expect(await table.getByText(name).count(), name).toBe(0);

    // An operator sees each database by organization.
    const operator = await openPage({ width: 1360, height: 900 });
    await signIn(operator, "desk@global.example.org");
    await operator.goto(`${suite.stack.url}/global/system/status`);
    const detail = operator.getByTestId("status-page");
    await detail.getByText("All systems ready").waitFor();
    for (const database of ["Control database", riverton, cedarValley, "Global"]) {
      const row = detail.getByRole("row", { name: new RegExp(database) });
      expect(await row.count(), database).toBe(1);
      expect(await row.getByRole("cell").first().textContent(), database).toBe("Ready");
    }
    await screenshot(operator, "status-operator");

    await status.getByRole("button", { name: "Refresh" }).click();
    await status.getByRole("button", { name: "Refresh" }).waitFor();
    await status.getByText("All systems ready").waitFor();

    await page.getByRole("radio", { name: "Dark theme" }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
    await screenshot(page, "status-wide-dark");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Home" }).click();
    await pageTitle(page, riverton);
    await screenshot(page, "home-wide-dark");

    // The choice survives a reload.
    await page.reload();
    await pageTitle(page, riverton);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
  });

  it("opens the navigation drawer from the top bar's menu button on a narrow screen", async () => {
    const page = await openPage({ width: 400, height: 800 });
    await signIn(page);
    await page.goto(`${suite.stack.url}/riverton`);
    await pageTitle(page, riverton);
    expect(await page.getByRole("navigation", { name: "Main" }).count()).toBe(0);

    await page.getByRole("button", { name: "Open navigation" }).click();
    const drawer = page.getByRole("dialog");
    await drawer.waitFor();
    expect(await drawer.getByTestId("tenant-switcher").textContent()).toContain(riverton);
    await screenshot(page, "drawer-narrow-light", false);

    await drawer.getByRole("link", { name: "Schools", exact: true }).click();
    await page.waitForURL(`${suite.stack.url}/riverton/education/schools`);
    await drawer.waitFor({ state: "detached" });
    await page.getByRole("rowheader", { name: "Bluff View Elementary" }).waitFor();
  });

  it("sends signed-out visitors, and users whose session ended, to the sign-in page", async () => {
    // Each case starts with the server answering 401; so does the wrong password.
    const page = await openPage({
      width: 1360,
      height: 900,
      failures: [
        failure("GET", "/trpc/system.me", 401),
        failure("POST", "/auth/sign-in", 401),
        failure("GET", "/trpc/system.health.status", 401),
      ],
    });

    await page.goto(`${suite.stack.url}/riverton/education/schools`);
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
    await page.getByLabel("Password").fill(suite.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${suite.stack.url}/riverton/education/schools`);
    await page.getByRole("rowheader", { name: "Bluff View Elementary" }).waitFor();

    await page.goto(`${suite.stack.url}/riverton/system/status`);
    await page.getByTestId("status-page").waitFor();
    await page.context().clearCookies();
    await page.getByRole("button", { name: "Refresh" }).click();
    await page.waitForURL((url) => url.pathname === "/sign-in" && url.searchParams.get("expired") === "1");
    await page.getByText("Your session has ended. Sign in again.").waitFor();
  });
});
