import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeScan, browserSuite, failure, toast } from "../support/e2e";

/**
 * Running the Projects package in Chromium against the whole local stack: a district owner manages its own
 * projects (default group, archive and restore), files an issue for someone else, and writes up a
 * post-incident analysis (timeline and actions with owners); the Global organization's desk works every
 * district's shared-project issues; a technician chooses which notifications are emailed. Axe scans each
 * screen. Needs `npm run build:client`.
 */

const director = "director@riverton.example.org";
const deskAdmin = "desk@global.example.org";
const technician = "tech@riverton.example.org";

const suite = browserSuite("projects-admin", { width: 1440 });
const { openPage, screenshot } = suite;

const heading = (page: Page, name: string | RegExp) =>
  page.getByRole("heading", { level: 1, name }).waitFor();

/** Chooses `name` in a person/group picker (a button opening a combobox with its listbox). */
async function pick(page: Page, trigger: RegExp, find: RegExp, name: string): Promise<void> {
  await page.getByRole("button", { name: trigger }).click();
  await page.getByRole("combobox", { name: find }).fill(name.split(" ")[0] ?? name);
  await page
    .getByRole("option", { name: new RegExp(name) })
    .first()
    .click();
}

describe("Projects administration in the browser", () => {
  it("creates a project with a default group, renames it, archives and restores it", async () => {
    // The malformed key is refused by the server (400), which Chromium reports.
    const page = await openPage({ failures: [failure("POST", "/trpc/projects.projects.create", 400)] });
    await suite.signIn(page, director);
    await page.goto(`${suite.stack.url}/riverton/projects/projects`);
    await heading(page, "All projects");
    const table = page.getByRole("table", { name: "Projects" });
    // Shared service desks are listed, but not managed here.
    await table.getByRole("row", { name: /Technology Service/ }).waitFor();
    expect(
      await table
        .getByRole("row", { name: /Technology Service/ })
        .getByRole("button")
        .count(),
    ).toBe(0);

    await page.getByRole("button", { name: "New project" }).click();
    const dialog = page.getByRole("dialog", { name: "New project" });
    await dialog.getByLabel("Key").fill("1f");
    await dialog.getByLabel("Name").fill("Facilities requests");
    await dialog.getByRole("button", { name: "Create project" }).click();
    await dialog.getByText(/Use 2 to 10 letters and digits/).waitFor();
    await dialog.getByLabel("Key").fill("fac");
    await pick(page, /^Default group/, /Find a group/, "Help Desk");
    expect(await axeScan(page, "[role=dialog]")).toEqual([]);
    await dialog.getByRole("button", { name: "Create project" }).click();
    await toast(page, "Project created");
    const row = table.getByRole("row", { name: /Facilities requests/ });
    await row.getByText("FAC", { exact: true }).waitFor();
    await row.getByText(/Help Desk/).waitFor();

    await row.getByRole("button", { name: /Actions for Facilities requests/ }).click();
    await page.getByRole("menuitem", { name: "Edit" }).click();
    const edit = page.getByRole("dialog", { name: "Edit Facilities requests" });
    await edit.getByLabel("Name").fill("Facilities");
    await edit.getByRole("button", { name: "Save" }).click();
    await toast(page, "Project saved");
    const renamed = table.getByRole("row", { name: /^Facilities\b/ });
    await renamed.waitFor();

    await renamed.getByRole("button", { name: /Actions for Facilities/ }).click();
    await page.getByRole("menuitem", { name: "Archive" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Archive" }).click();
    await toast(page, "Project archived");
    await renamed.waitFor({ state: "detached" });
    await page.getByLabel("Show").selectOption("all");
    const archived = table.getByRole("row", { name: /^Facilities\b/ });
    await archived.getByText("Archived").waitFor();
    await archived.getByRole("button", { name: /Actions for Facilities/ }).click();
    await page.getByRole("menuitem", { name: "Restore" }).click();
    await toast(page, "Project restored");
    expect(await axeScan(page)).toEqual([]);
    await screenshot(page, "projects");
  });

  it("files an issue for someone else and writes up an analysis with its timeline and owned actions", async () => {
    const page = await openPage();
    await suite.signIn(page, director);
    await page.goto(`${suite.stack.url}/riverton/projects/issues`);
    await page.getByRole("button", { name: "New issue" }).click();
    const dialog = page.getByRole("dialog", { name: "New issue" });
    // Through the catalog: the request type sets the subtype and project and asks its own questions.
    await dialog.getByLabel("Request type").selectOption({ label: "Broken Chromebook" });
    expect(await dialog.getByLabel("Type", { exact: true }).inputValue()).toBe("repair");
    await dialog.getByLabel("Title").fill("Chromebook screen cracked in room 114");
    await dialog.getByLabel("School", { exact: true }).selectOption({ label: "Riverton High School" });
    await dialog.getByLabel("Asset tag (required)").fill("CB-20931");
    await dialog.getByLabel("What is wrong (required)").selectOption("Cracked screen");
    await pick(page, /^Requester/, /Find a person/, "Sam Delgado");
    await dialog.getByLabel("Tags").fill("chromebook, room 114");
    expect(await axeScan(page, "[role=dialog]")).toEqual([]);
    await dialog.getByRole("button", { name: /^File repair/ }).click();
    const detail = page.locator("article.issue-detail");
    await detail.getByRole("heading", { name: "Chromebook screen cracked in room 114" }).waitFor();
    const field = (label: string) =>
      detail.locator(".detail-field", { has: page.getByText(label, { exact: true }) });
    await field("Requester").getByText("Sam Delgado").waitFor();
    await field("School").getByText("Riverton High School").waitFor();
    await field("Request type").getByText("Broken Chromebook").waitFor();
    await field("Asset tag").getByText("CB-20931").waitFor();
    await field("What is wrong").getByText("Cracked screen").waitFor();

    await page.goto(`${suite.stack.url}/riverton/projects/issues?type=post_incident_analysis`);
    await page.locator("tbody [data-row-link]").first().click();
    await detail.waitFor();
    await detail.getByRole("button", { name: "Edit" }).click();
    const sheet = page.getByRole("dialog", { name: /^Edit / });
    const timeline = sheet.getByRole("group", { name: "Timeline" });
    const moments = await timeline.getByRole("listitem").count();
    await timeline.getByRole("button", { name: "Add a moment" }).click();
    await sheet.getByLabel(`When (moment ${moments + 1})`).fill("2026-03-02T07:45");
    await sheet.getByLabel(`What happened (moment ${moments + 1})`).fill("Vendor confirmed the API outage");
    const actions = sheet.getByRole("group", { name: "Actions" });
    const count = await actions.getByRole("listitem").count();
    await actions.getByRole("button", { name: "Add an action" }).click();
    await sheet.getByLabel(`Action ${count + 1}`, { exact: true }).fill("Alert on sync runs over 30 minutes");
    await pick(page, new RegExp(`^Owner of action ${count + 1}`), /Find a person/, "Sam Delgado");
    expect(await axeScan(page, ".sheet")).toEqual([]);
    await sheet.getByRole("button", { name: "Save changes" }).click();
    await toast(page, /saved$/);
    await detail.getByText("Vendor confirmed the API outage").waitFor();
    await detail.getByText(/Alert on sync runs over 30 minutes \(Sam Delgado\)/).waitFor();
  });

  it("lets the Global organization's desk work every district's shared-project issues", async () => {
    const director_ = await openPage();
    await suite.signIn(director_, director);
    await director_.goto(`${suite.stack.url}/riverton/projects`);
    await heading(director_, "Projects");
    // A district's people are not offered the desk.
    const nav = director_.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Issues" }).waitFor();
    expect(await nav.getByRole("link", { name: "Service desk" }).count()).toBe(0);

    const page = await openPage();
    await suite.signIn(page, deskAdmin);
    await page.goto(`${suite.stack.url}/global/projects/desk`);
    await heading(page, "Service desk");
    const table = page.getByRole("table", { name: /Shared-project issues/ });
    await table.getByRole("button", { name: "Riverton R-IV School District" }).first().waitFor();
    await table
      .getByRole("button", { name: /Cedar Valley/ })
      .first()
      .waitFor();
    expect(await axeScan(page)).toEqual([]);
    await screenshot(page, "desk");

    // One district only, then open an issue in its district.
    await table.getByRole("button", { name: "Riverton R-IV School District" }).first().click();
    await expect.poll(() => table.getByRole("button", { name: /Cedar Valley/ }).count()).toBe(0);
    const first = table.locator("tbody tr").first().getByRole("link");
    const title = (await first.textContent()) ?? "";
    await first.click();
    await page.waitForURL(/\/riverton\/projects\/issues\//);
    await page.locator("article.issue-detail").getByRole("heading", { name: title }).waitFor();
  });

  it("opens the issue list on the school remembered in My context, as a filter that can be cleared", async () => {
    const page = await openPage();
    await suite.signIn(page, technician);
    await page.goto(`${suite.stack.url}/me/context`);
    await heading(page, "Default context");
    await page
      .getByLabel("School in Riverton R-IV School District")
      .selectOption({ label: "Riverton High School" });
    await toast(page, "School saved");

    await page.goto(`${suite.stack.url}/riverton/projects/issues`);
    await page.waitForURL((url) => url.searchParams.has("school"));
    const school = page.getByLabel("School", { exact: true });
    await expect.poll(() => school.locator("option:checked").textContent()).toBe("Riverton High School");
    const details = page.locator("tbody .cell-detail");
    await details.first().waitFor();
    for (const text of await details.allTextContents()) expect(text).toContain("Riverton High School");

    // Cleared, it stays cleared for the rest of the session.
    await school.selectOption("");
    await page.waitForURL((url) => !url.searchParams.has("school"));
    await page.goto(`${suite.stack.url}/riverton/projects/issues`);
    await page.locator("tbody [data-row-link]").first().waitFor();
    expect(new URL(page.url()).searchParams.has("school")).toBe(false);
  });

  it("files an issue straight from the catalog, on the request type chosen there", async () => {
    const page = await openPage();
    await suite.signIn(page, technician);
    await page.goto(`${suite.stack.url}/riverton/projects/catalog`);
    await heading(page, "Catalog");
    await page.getByRole("button", { name: "File a Heating or cooling" }).click();
    const dialog = page.getByRole("dialog", { name: "New issue" });
    await expect
      .poll(() => dialog.getByLabel("Request type").locator("option:checked").textContent())
      .toBe("Heating or cooling");
    expect(await dialog.getByLabel("Type", { exact: true }).inputValue()).toBe("service_request");
    expect(await dialog.getByLabel("Project").locator("option:checked").textContent()).toMatch(
      /Maintenance Service/,
    );
    await dialog.getByLabel("Title").fill("Room 12 is cold every morning");
    await dialog.getByLabel("Room (required)").fill("12");
    await dialog.getByLabel("Temperature in the room (°F)").fill("61");
    await dialog.getByRole("button", { name: /^File service request/ }).click();
    const detail = page.locator("article.issue-detail");
    await detail.getByRole("heading", { name: "Room 12 is cold every morning" }).waitFor();
    await detail.locator(".detail-field", { hasText: "Temperature in the room" }).getByText("61").waitFor();
  });

  it("turns assignment emails off on the profile page, saved at once", async () => {
    const page = await openPage();
    await suite.signIn(page, technician);
    await page.goto(`${suite.stack.url}/me/profile`);
    await heading(page, "Profile");
    const choices = page.getByRole("group", { name: "Email me when" });
    const assigned = choices.getByLabel("An issue is assigned to me");
    expect(await assigned.isChecked()).toBe(true);
    expect(await choices.getByLabel("Someone mentions me in a comment").isChecked()).toBe(true);
    expect(await axeScan(page, "[aria-labelledby=notification-email-title]")).toEqual([]);

    await assigned.uncheck();
    await toast(page, "No more email when an issue is assigned to you");
    await page.reload();
    await heading(page, "Profile");
    expect(await assigned.isChecked()).toBe(false);
    await assigned.check();
    await toast(page, "We will email you when an issue is assigned to you");
  });
});
