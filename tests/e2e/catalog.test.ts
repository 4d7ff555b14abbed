import { randomBytes } from "node:crypto";
import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeScan, browserSuite, failure, focused, toast } from "../support/e2e";

/**
 * The issue catalog in Chromium against the whole local stack (sqld, the seeded districts, wrangler dev
 * serving the built client): an administrator sets up a category and a request type with extra fields,
 * changes, archives and restores it; the server's message for a bad field key appears beside that field; a
 * member sees the catalog without the administrator's controls; and an accessibility scan (axe) of the page,
 * the request-type sheet and the category dialog. Needs `npm run build:client`.
 */

const director = "director@riverton.example.org";
const technician = "tech@riverton.example.org";

const suite = browserSuite("catalog", { width: 1440 });
const { openPage, screenshot } = suite;

/** Names no demo record has, so every lookup finds only what this file made. */
const marker = randomBytes(3).toString("hex");
const category = `Devices ${marker}`;
const group = `Device repair ${marker}`;

const signIn = (page: Page, email = director) => suite.signIn(page, email);

async function openCatalog(page: Page): Promise<void> {
  await page.goto(`${suite.stack.url}/riverton/projects/catalog`);
  await page.getByRole("heading", { level: 1, name: "Catalog" }).waitFor();
}

async function createCategory(page: Page, name: string, description: string): Promise<Locator> {
  await page.getByRole("button", { name: "New category" }).first().click();
  const dialog = page.getByRole("dialog", { name: "New category" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Description").fill(description);
  await dialog.getByRole("button", { name: "Create category" }).click();
  await toast(page, "Category created");
  await dialog.waitFor({ state: "hidden" });
  const section = page.getByRole("region", { name });
  await section.waitFor();
  return section;
}

/** The n-th extra field's group in the sheet ("Field 2: Damage"). */
const fieldGroup = (sheet: Locator, n: number) =>
  sheet.getByRole("group", { name: new RegExp(`^Field ${n}\\b`) });

describe("the issue catalog in the browser", () => {
  it("lets an administrator set up a request type with extra fields, change it, archive it and restore it", async () => {
    const page = await openPage();
    await signIn(page);

    // A group for new issues of the type to go to.
    await page.goto(`${suite.stack.url}/riverton/system/groups`);
    await page.getByRole("button", { name: "New group" }).first().click();
    const groupDialog = page.getByRole("dialog", { name: "New group" });
    await groupDialog.getByLabel("Name").fill(group);
    await groupDialog.getByRole("button", { name: "Create group" }).click();
    await toast(page, "Group created");

    // The catalog is in the navigation, no longer "soon".
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Catalog", exact: true }).click();
    await page.waitForURL(`${suite.stack.url}/riverton/projects/catalog`);
    await page.getByRole("heading", { level: 1, name: "Catalog" }).waitFor();

    const section = await createCategory(page, category, "Laptops, Chromebooks, projectors and printers.");
    await section.getByText(`No request types in ${category} yet`).waitFor();

    await section.getByRole("button", { name: `Add request type to ${category}` }).click();
    const sheet = page.getByRole("dialog", { name: "New request type" });
    await sheet.getByLabel("Name").fill("Broken Chromebook");
    await sheet
      .getByLabel("Description")
      .fill("A student or staff Chromebook that is damaged or will not start.");
    await expect
      .poll(() => sheet.getByLabel("Category").locator("option:checked").textContent())
      .toBe(category);
    await sheet.getByLabel("Issue type").selectOption({ label: "Repair" });
    await sheet.getByLabel("Default project").selectOption({ label: "Technology Service" });
    await sheet.getByLabel("Default assignee group").selectOption({ label: group });

    // Two extra fields; the key follows the label until it is edited.
    await sheet.getByRole("button", { name: "Add field" }).click();
    const first = fieldGroup(sheet, 1);
    await focused(first.getByLabel("Label"));
    await page.keyboard.type("Asset tag");
    expect(await first.getByLabel("Key").inputValue()).toBe("asset_tag");
    await first.getByLabel("Required").check();
    await sheet.getByRole("button", { name: "Add field" }).click();
    const second = fieldGroup(sheet, 2);
    await second.getByLabel("Label").fill("What is damaged?");
    expect(await second.getByLabel("Key").inputValue()).toBe("what_is_damaged");
    await second.getByLabel("Key").fill("damage");
    await second.getByLabel("Label").fill("Damage");
    expect(await second.getByLabel("Key").inputValue()).toBe("damage");
    await second.getByLabel("Kind").selectOption("select");
    await second.getByLabel("Options").fill("Screen\nKeyboard\nWill not turn on");

    // Reordered from the keyboard: the moved field keeps the focus.
    await second.getByRole("button", { name: "Move field 2 up" }).focus();
    await page.keyboard.press("Enter");
    await sheet.getByRole("group", { name: "Field 1: Damage" }).waitFor();
    await focused(sheet.getByRole("button", { name: "Move field 1 down" }));
    await sheet.getByRole("group", { name: "Field 2: Asset tag" }).waitFor();
    await screenshot(page, "sheet-new");

    await sheet.getByRole("button", { name: "Create request type" }).click();
    await toast(page, "Request type created");
    await sheet.waitFor({ state: "hidden" });
    const row = section.getByRole("row", { name: /Broken Chromebook/ });
    await row.waitFor();
    await row.getByText("Technology Service").waitFor();
    await row.getByText(group).waitFor();
    await row.getByText("Repair", { exact: true }).waitFor();
    const chips = row.getByRole("list", { name: "Extra fields of Broken Chromebook" }).getByRole("listitem");
    expect(await chips.allTextContents()).toEqual([
      "Damage · choice from a list (choices: Screen, Keyboard, Will not turn on)",
      "Asset tag · text, required",
    ]);
    await screenshot(page, "catalog");

    // Edited through the row's menu; the stored fields come back in their order, keys kept.
    await row.getByRole("button", { name: "Actions for Broken Chromebook" }).click();
    await page.getByRole("menuitem", { name: "Edit" }).click();
    const edit = page.getByRole("dialog", { name: "Edit Broken Chromebook" });
    expect(await fieldGroup(edit, 1).getByLabel("Options").inputValue()).toBe(
      "Screen\nKeyboard\nWill not turn on",
    );
    await fieldGroup(edit, 2).getByLabel("Label").fill("Asset tag or serial number");
    expect(await fieldGroup(edit, 2).getByLabel("Key").inputValue()).toBe("asset_tag");
    await edit.getByLabel("Name").fill("Damaged Chromebook");
    await edit.getByLabel("Default assignee group").selectOption({ label: "No default group" });
    await edit.getByRole("button", { name: "Save changes" }).click();
    await toast(page, "Request type saved");
    await edit.waitFor({ state: "hidden" });
    const renamed = section.getByRole("row", { name: /Damaged Chromebook/ });
    await renamed.getByText("Asset tag or serial number").waitFor();
    expect(await renamed.getByRole("cell").nth(2).textContent()).toBe("None");

    // Archived: gone from the list, back with "Show archived", restored from there.
    await renamed.getByRole("button", { name: "Actions for Damaged Chromebook" }).click();
    await page.getByRole("menuitem", { name: "Archive" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Archive" }).click();
    await toast(page, "Request type archived");
    await renamed.waitFor({ state: "detached" });
    await section.getByText(`No request types in ${category} yet`).waitFor();
    await page.getByLabel("Show archived").check();
    await page.waitForURL(/archived=yes/);
    const archived = section.getByRole("row", { name: /Damaged Chromebook/ });
    await archived.getByText("Archived", { exact: true }).waitFor();
    await archived.getByRole("button", { name: "Actions for Damaged Chromebook" }).click();
    await page.getByRole("menuitem", { name: "Restore" }).click();
    await toast(page, "Request type restored");
    await archived.getByText("Active", { exact: true }).waitFor();

    // The category too: renamed, archived (shown only with archived ones), restored.
    await section.getByRole("button", { name: `Actions for the category ${category}` }).click();
    await page.getByRole("menuitem", { name: "Edit" }).click();
    const rename = page.getByRole("dialog", { name: `Edit ${category}` });
    await rename.getByLabel("Description").fill("Every device the district lends or owns.");
    await rename.getByRole("button", { name: "Save" }).click();
    await toast(page, "Category saved");
    await section.getByText("Every device the district lends or owns.").waitFor();
    await section.getByRole("button", { name: `Actions for the category ${category}` }).click();
    await page.getByRole("menuitem", { name: "Archive" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Archive" }).click();
    await toast(page, "Category archived");
    await section.getByRole("heading", { name: new RegExp(`${category}\\s*Archived`) }).waitFor();
    expect(await section.getByRole("button", { name: /^Add request type/ }).count()).toBe(0);
    await page.getByLabel("Show archived").uncheck();
    await section.waitFor({ state: "detached" });
    await page.getByLabel("Show archived").check();
    await section.getByRole("button", { name: `Actions for the category ${category}` }).click();
    await page.getByRole("menuitem", { name: "Restore" }).click();
    await toast(page, "Category restored");
    await section.getByRole("button", { name: `Add request type to ${category}` }).waitFor();
  });

  it("shows the server's message for a bad field key beside that field, and keeps what was typed", async () => {
    // The two refused saves answer 400.
    const refusedSave = failure("POST", "/trpc/projects.catalog.requestTypes.create", 400);
    const page = await openPage({ failures: [refusedSave, refusedSave] });
    await signIn(page);
    await openCatalog(page);
    const section = await createCategory(page, `Facilities ${marker}`, "Heating, cooling, lights and doors.");
    await section.getByRole("button", { name: /^Add request type/ }).click();
    const sheet = page.getByRole("dialog", { name: "New request type" });
    await sheet.getByLabel("Name").fill("Room too cold");
    await sheet.getByRole("button", { name: "Add field" }).click();
    await fieldGroup(sheet, 1).getByLabel("Label").fill("Room");
    await sheet.getByRole("button", { name: "Add field" }).click();
    const second = fieldGroup(sheet, 2);
    await second.getByLabel("Label").fill("Room");
    // A different key is suggested; typing the same one is the server's to refuse.
    expect(await second.getByLabel("Key").inputValue()).toBe("room_2");
    await second.getByLabel("Key").fill("room");

    await sheet.getByRole("button", { name: "Create request type" }).click();
    await second.getByText("Another field has this key.").waitFor();
    expect(await second.getByLabel("Key").getAttribute("aria-invalid")).toBe("true");
    await focused(second.getByLabel("Key"));
    expect(await fieldGroup(sheet, 1).getByText("Another field has this key.").count()).toBe(0);
    expect(await sheet.locator(".notice-danger").count()).toBe(0);
    expect(await sheet.getByLabel("Name").inputValue()).toBe("Room too cold");

    // A key the schema refuses: said as it is typed, and once (not twice) when the server says it too.
    const rule = "Use lower-case letters, digits and _, starting with a letter.";
    await second.getByLabel("Key").fill("2nd-room");
    await second.getByText(rule).waitFor();
    await sheet.getByRole("button", { name: "Create request type" }).click();
    await expect.poll(() => second.getByText("Another field has this key.").count()).toBe(0);
    await second.getByText(rule).waitFor();
    expect(await second.getByText(rule).count()).toBe(1);
    await focused(second.getByLabel("Key"));
    await second.scrollIntoViewIfNeeded();
    await screenshot(page, "sheet-bad-key", false);

    // Moved, the message follows its field.
    await second.getByRole("button", { name: "Move field 2 up" }).click();
    await fieldGroup(sheet, 1).getByText(rule).waitFor();

    await fieldGroup(sheet, 1).getByLabel("Key").fill("room_number");
    await expect.poll(() => sheet.getByText(rule).count()).toBe(0);
    await sheet.getByRole("button", { name: "Create request type" }).click();
    await toast(page, "Request type created");
    await section.getByRole("row", { name: /Room too cold/ }).waitFor();
  });

  it("shows a member the catalog without the administrator's controls", async () => {
    const page = await openPage();
    await signIn(page, technician);
    await openCatalog(page);
    const section = page.getByRole("region", { name: category });
    await section.getByRole("row", { name: /Damaged Chromebook/ }).waitFor();
    expect(await page.getByRole("button", { name: "New category" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: /^Actions for/ }).count()).toBe(0);
    expect(await page.getByRole("button", { name: /^Add request type/ }).count()).toBe(0);
    expect(await section.getByRole("button", { name: "Damaged Chromebook", exact: true }).count()).toBe(0);
  });

  it("has no serious or critical accessibility violations on the catalog, the request-type sheet and the category dialog", async () => {
    const page = await openPage();
    await signIn(page);
    const found: Record<string, string[]> = {};

    await openCatalog(page);
    await page.getByRole("region", { name: category }).waitFor();
    found.catalog = await axeScan(page);

    await page.getByRole("button", { name: "Damaged Chromebook", exact: true }).click();
    const sheet = page.getByRole("dialog", { name: "Edit Damaged Chromebook" });
    await fieldGroup(sheet, 2).waitFor();
    // With a message on a field, as after a refused save.
    await fieldGroup(sheet, 2).getByLabel("Key").fill("Asset tag");
    await fieldGroup(sheet, 2)
      .getByText(/Use lower-case letters/)
      .waitFor();
    found.sheet = await axeScan(page, ".sheet");
    await page.keyboard.press("Escape");
    await sheet.waitFor({ state: "hidden" });

    await page.getByRole("button", { name: "New category" }).first().click();
    const dialog = page.getByRole("dialog", { name: "New category" });
    await dialog.waitFor();
    // Scanned once it has faded in: half-way, its text is still lighter than it will be.
    await dialog.evaluate((el) => Promise.all(el.getAnimations().map((a) => a.finished)));
    found.dialog = await axeScan(page, ".dialog");
    await page.keyboard.press("Escape");

    const dark = await openPage({ colorScheme: "dark" });
    await signIn(dark);
    await openCatalog(dark);
    await dark.getByRole("region", { name: category }).waitFor();
    found.dark = await axeScan(dark);
    await screenshot(dark, "dark");

    expect(found).toEqual({ catalog: [], sheet: [], dialog: [], dark: [] });
  });
});
